/**
 * WebAssembly module metrics for contract_code rows, the same quantities Soroban records as
 * ContractCodeCostInputs: operators in all function bodies (each `end` included), functions (code bodies),
 * globals, table entries (sum of initial table sizes), types, data/elem segments, imports, exports and the
 * byte total of data segments. A small LEB128 walker over the binary format; it decodes every operator's
 * immediates so instruction counts are exact.
 */

export interface WasmMetrics {
  nInstructions: number;
  nFunctions: number;
  nGlobals: number;
  nTableEntries: number;
  nTypes: number;
  nDataSegments: number;
  nElemSegments: number;
  nImports: number;
  nExports: number;
  nDataSegmentBytes: number;
}

export class WasmParseError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(`wasm byte ${offset}: ${message}`);
    this.name = "WasmParseError";
  }
}

class Reader {
  pos: number;
  constructor(
    readonly buf: Uint8Array,
    pos = 0,
    readonly end = buf.length,
  ) {
    this.pos = pos;
  }
  eof(): boolean {
    return this.pos >= this.end;
  }
  byte(): number {
    if (this.pos >= this.end) throw new WasmParseError(this.pos, "unexpected end");
    return this.buf[this.pos++] as number;
  }
  u32(): number {
    let result = 0;
    let shift = 0;
    for (let i = 0; i < 5; i++) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
    }
    throw new WasmParseError(this.pos, "LEB128 u32 too long");
  }
  /** Signed LEB128 of at most `maxBytes` bytes; the value itself is not needed, only its extent. */
  skipSigned(maxBytes: number): void {
    for (let i = 0; i < maxBytes; i++) if ((this.byte() & 0x80) === 0) return;
    throw new WasmParseError(this.pos, "LEB128 too long");
  }
  skip(n: number): void {
    if (n < 0 || this.pos + n > this.end) throw new WasmParseError(this.pos, `cannot skip ${n} bytes`);
    this.pos += n;
  }
}

function skipValType(r: Reader): void {
  r.byte();
}

function skipLimits(r: Reader): number {
  const flag = r.byte();
  const initial = r.u32();
  if (flag & 1) r.u32();
  return initial;
}

function skipConstExpr(r: Reader): void {
  // Constant expressions are operators ending with `end`; reuse the operator walker.
  while (readOperator(r) !== 0x0b) {
    /* keep reading */
  }
}

function skipBlockType(r: Reader): void {
  const b = r.buf[r.pos];
  if (
    b === 0x40 ||
    b === 0x7f ||
    b === 0x7e ||
    b === 0x7d ||
    b === 0x7c ||
    b === 0x7b ||
    b === 0x70 ||
    b === 0x6f
  )
    r.pos++;
  else r.skipSigned(5); // type index as s33
}

/** Reads one operator with its immediates and returns its opcode (prefix byte for 0xFC/0xFD). */
function readOperator(r: Reader): number {
  const op = r.byte();
  switch (op) {
    case 0x02:
    case 0x03:
    case 0x04:
      skipBlockType(r);
      break;
    case 0x0c:
    case 0x0d:
    case 0x10:
    case 0x12:
    case 0x20:
    case 0x21:
    case 0x22:
    case 0x23:
    case 0x24:
    case 0x25:
    case 0x26:
    case 0xd2:
      r.u32();
      break;
    case 0x0e: {
      const n = r.u32();
      for (let i = 0; i <= n; i++) r.u32();
      break;
    }
    case 0x11:
    case 0x13:
      r.u32();
      r.u32();
      break;
    case 0x1c: {
      const n = r.u32();
      for (let i = 0; i < n; i++) skipValType(r);
      break;
    }
    case 0x3f:
    case 0x40:
      r.byte();
      break;
    case 0x41:
      r.skipSigned(5);
      break;
    case 0x42:
      r.skipSigned(10);
      break;
    case 0x43:
      r.skip(4);
      break;
    case 0x44:
      r.skip(8);
      break;
    case 0xd0:
      r.byte();
      break;
    case 0xfc: {
      const sub = r.u32();
      if (sub <= 7) break;
      if (sub === 8) {
        r.u32();
        r.byte();
      } else if (sub === 9 || sub === 13 || (sub >= 15 && sub <= 17)) r.u32();
      else if (sub === 10) {
        r.byte();
        r.byte();
      } else if (sub === 11) r.byte();
      else if (sub === 12 || sub === 14) {
        r.u32();
        r.u32();
      } else throw new WasmParseError(r.pos, `unknown 0xFC operator ${sub}`);
      break;
    }
    default:
      if (op >= 0x28 && op <= 0x3e) {
        r.u32(); // align
        r.u32(); // offset
      } else if (
        op === 0x00 ||
        op === 0x01 ||
        op === 0x05 ||
        op === 0x0b ||
        op === 0x0f ||
        op === 0x1a ||
        op === 0x1b ||
        op === 0xd1 ||
        (op >= 0x45 && op <= 0xc4)
      ) {
        // no immediates
      } else {
        throw new WasmParseError(r.pos - 1, `unsupported opcode 0x${op.toString(16)}`);
      }
  }
  return op;
}

export function wasmMetrics(code: Uint8Array): WasmMetrics {
  const m: WasmMetrics = {
    nInstructions: 0,
    nFunctions: 0,
    nGlobals: 0,
    nTableEntries: 0,
    nTypes: 0,
    nDataSegments: 0,
    nElemSegments: 0,
    nImports: 0,
    nExports: 0,
    nDataSegmentBytes: 0,
  };
  const r = new Reader(code);
  if (code.length < 8 || code[0] !== 0 || code[1] !== 0x61 || code[2] !== 0x73 || code[3] !== 0x6d)
    throw new WasmParseError(0, "not a wasm module");
  r.skip(8);
  while (!r.eof()) {
    const id = r.byte();
    const size = r.u32();
    const end = r.pos + size;
    if (end > code.length) throw new WasmParseError(r.pos, `section ${id} overruns the module`);
    const s = new Reader(code, r.pos, end);
    switch (id) {
      case 1:
        m.nTypes = s.u32();
        break;
      case 2: {
        m.nImports = s.u32();
        break;
      }
      case 4: {
        const n = s.u32();
        for (let i = 0; i < n; i++) {
          skipValType(s);
          m.nTableEntries += skipLimits(s);
        }
        break;
      }
      case 6:
        m.nGlobals = s.u32();
        break;
      case 7:
        m.nExports = s.u32();
        break;
      case 9:
        m.nElemSegments = s.u32();
        break;
      case 10: {
        const n = s.u32();
        m.nFunctions = n;
        for (let i = 0; i < n; i++) {
          const bodySize = s.u32();
          const body = new Reader(code, s.pos, s.pos + bodySize);
          const groups = body.u32();
          for (let g = 0; g < groups; g++) {
            body.u32();
            skipValType(body);
          }
          while (!body.eof()) {
            readOperator(body);
            m.nInstructions++;
          }
          s.skip(bodySize);
        }
        break;
      }
      case 11: {
        const n = s.u32();
        m.nDataSegments = n;
        for (let i = 0; i < n; i++) {
          const kind = s.u32();
          if (kind === 2) s.u32();
          if (kind === 0 || kind === 2) skipConstExpr(s);
          const len = s.u32();
          m.nDataSegmentBytes += len;
          s.skip(len);
        }
        break;
      }
      default:
        break;
    }
    r.pos = end;
  }
  return m;
}
