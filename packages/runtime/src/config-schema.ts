/**
 * One way every service reads its settings: a schema of options (each with its flag, its environment variable,
 * its type, default and help line) that parses argv + environment into a typed object and renders `--help`.
 * Precedence: flag, then environment variable, then default. A bad value is a ConfigError naming the flag and
 * the variable it may have come from, with the value (never for a secret) and what was expected.
 */
import { parseArgs } from "node:util";
import { parseDuration } from "./duration";

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

interface OptionBase<T> {
  /** Long flag without dashes (`max-batch`); absent: environment only. */
  flag?: string;
  short?: string;
  /** Environment variables read in order (the first set one wins). */
  env?: string | readonly string[];
  help: string;
  /** The value's name in `--help` (`N`, `URL`, …). */
  placeholder?: string;
  default?: T;
  /** Shown in `--help` instead of the default's value (e.g. "the embedded dev database"). */
  defaultText?: string;
}

export interface Option<T> extends OptionBase<T> {
  readonly kind: string;
  readonly required: boolean;
  /** Converts one raw value; throws a plain message (without the name: the parser adds it). */
  convert(raw: string): T;
  /** Secrets are never echoed in errors or help. */
  readonly secret?: boolean;
}

type Value<O> = O extends Option<infer T> ? T : never;
type Shape = Record<string, Option<unknown>>;
/** The typed result of a schema: required options and options with a default are always present. */
export type ConfigOf<S extends Shape> = {
  [K in keyof S]: S[K]["required"] extends true
    ? Value<S[K]>
    : S[K] extends { default: unknown }
      ? Value<S[K]>
      : Value<S[K]> | undefined;
};

const DECIMAL = /^-?[0-9]+$/;

function make<T>(
  kind: string,
  base: OptionBase<T> & { required?: boolean; secret?: boolean },
  convert: (raw: string) => T,
) {
  return { ...base, kind, required: base.required ?? false, convert } as Option<T>;
}

/** An integer written in decimal digits only (`1e3`, `0x10`, ` 5`, `Infinity` are refused). */
export function int<const B extends OptionBase<number> & { min?: number; max?: number; required?: boolean }>(
  o: B,
): Option<number> & B {
  const min = o.min ?? 0;
  return make("int", o, (raw) => {
    const n = DECIMAL.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min || (o.max !== undefined && n > o.max))
      throw new Error(`expected an integer${describeBounds(min, o.max)}, got '${raw}'`);
    return n;
  }) as Option<number> & B;
}

/** A finite decimal number (e.g. a rate). */
export function num<const B extends OptionBase<number> & { min?: number; required?: boolean }>(
  o: B,
): Option<number> & B {
  const min = o.min ?? 0;
  return make("number", o, (raw) => {
    if (!/^-?[0-9]+(\.[0-9]+)?$/.test(raw) || Number(raw) < min)
      throw new Error(`expected a number ≥ ${min}, got '${raw}'`);
    return Number(raw);
  }) as Option<number> & B;
}

export function str<
  const B extends OptionBase<string> & { required?: boolean; pattern?: RegExp; expected?: string },
>(o: B): Option<string> & B {
  return make("string", o, (raw) => {
    if (raw === "") throw new Error("expected a value, got an empty string");
    if (o.pattern && !o.pattern.test(raw))
      throw new Error(`expected ${o.expected ?? o.pattern}, got '${raw}'`);
    return raw;
  }) as Option<string> & B;
}

/** A value never echoed (passwords, tokens, URLs with credentials). */
export function secret<const B extends OptionBase<string> & { required?: boolean }>(
  o: B,
): Option<string> & B {
  return { ...make("string", o, (raw) => raw), secret: true } as Option<string> & B;
}

/** Milliseconds from `30s`, `10m`, `250ms`, `1.5h` or plain seconds. */
export function duration<const B extends OptionBase<number> & { required?: boolean }>(
  o: B,
): Option<number> & B {
  return make("duration", o, (raw) => parseDuration(raw, "value")) as Option<number> & B;
}

/** A flag without value; from the environment `1`/`true`/`yes` or `0`/`false`/`no`. */
export function bool<const B extends OptionBase<boolean>>(o: B): Option<boolean> & B {
  return make("boolean", o, (raw) => {
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    throw new Error(`expected 1/true/yes or 0/false/no, got '${raw}'`);
  }) as Option<boolean> & B;
}

export function oneOf<const V extends string, const B extends OptionBase<V> & { required?: boolean }>(
  values: readonly V[],
  o: B,
): Option<V> & B {
  return make("enum", o, (raw) => {
    if (!(values as readonly string[]).includes(raw))
      throw new Error(`expected one of ${values.join(", ")}, got '${raw}'`);
    return raw as V;
  }) as Option<V> & B;
}

/** A comma-separated list (blank items dropped). */
export function list<const B extends OptionBase<string[]>>(o: B): Option<string[]> & B {
  return make("list", o, (raw) =>
    raw
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  ) as Option<string[]> & B;
}

function describeBounds(min: number, max: number | undefined): string {
  return max === undefined ? ` ≥ ${min}` : ` in ${min}..${max}`;
}

const envNames = (o: Option<unknown>): readonly string[] =>
  o.env === undefined ? [] : typeof o.env === "string" ? [o.env] : o.env;

/** `--max-batch [INGESTER_MAX_BATCH]`: how an error names an option. */
function nameOf(o: Option<unknown>, key: string): string {
  const names = [o.flag ? `--${o.flag}` : undefined, ...envNames(o)].filter(Boolean) as string[];
  return names.length ? names.join(" / ") : key;
}

export interface ConfigSchema<S extends Shape> {
  readonly options: S;
  /** Parse argv (flags) over env; `"help"` when `--help`/`-h` is given. */
  parse(argv: readonly string[], env?: NodeJS.ProcessEnv): ConfigOf<S> | "help";
  /** The options block of `--help`, one line per option with its variable and default. */
  help(): string;
}

export function defineConfig<S extends Shape>(options: S): ConfigSchema<S> {
  return {
    options,
    parse(argv, env = process.env) {
      const parseOptions: Record<string, { type: "string" | "boolean"; short?: string }> = {
        help: { type: "boolean", short: "h" },
      };
      for (const o of Object.values(options)) {
        if (!o.flag) continue;
        parseOptions[o.flag] = {
          type: o.kind === "boolean" ? "boolean" : "string",
          ...(o.short ? { short: o.short } : {}),
        };
      }
      let values: Record<string, string | boolean | undefined>;
      try {
        ({ values } = parseArgs({
          args: [...argv],
          options: parseOptions,
          strict: true,
          allowPositionals: false,
        }));
      } catch (err) {
        throw new ConfigError((err as Error).message.replace(/\. To specify a positional.*$/s, ""));
      }
      if (values.help) return "help";
      const out: Record<string, unknown> = {};
      for (const [key, o] of Object.entries(options)) {
        const fromFlag = o.flag ? values[o.flag] : undefined;
        let raw: string | boolean | undefined = fromFlag;
        if (raw === undefined) {
          for (const name of envNames(o)) {
            const v = env[name];
            if (v !== undefined && v !== "") {
              raw = v;
              break;
            }
          }
        }
        if (raw === undefined) {
          if (o.default !== undefined) out[key] = o.default;
          else if (o.required) throw new ConfigError(`${nameOf(o, key)} is required: ${o.help}`);
          continue;
        }
        if (typeof raw === "boolean") {
          out[key] = raw;
          continue;
        }
        try {
          out[key] = o.convert(raw);
        } catch (err) {
          const why = o.secret ? "is not valid" : (err as Error).message.replace(/^value: /, "");
          throw new ConfigError(`${nameOf(o, key)}: ${why}`);
        }
      }
      return out as ConfigOf<S>;
    },
    help() {
      const rows = Object.values(options).map((o) => {
        const left = o.flag
          ? `--${o.flag}${o.kind === "boolean" ? "" : ` ${o.placeholder ?? placeholderOf(o.kind)}`}`
          : (envNames(o)[0] ?? "");
        const vars = o.flag && envNames(o).length ? ` [${envNames(o).join(", ")}]` : "";
        const dflt =
          o.defaultText !== undefined
            ? ` (default ${o.defaultText})`
            : o.default !== undefined && !o.secret && o.kind !== "boolean"
              ? ` (default ${Array.isArray(o.default) ? o.default.join(",") || "none" : String(o.default)})`
              : o.required
                ? " (required)"
                : "";
        return [left, `${o.help}${vars}${dflt}`] as const;
      });
      const width = Math.min(28, Math.max(...rows.map(([l]) => l.length)) + 2);
      return rows
        .map(([l, r]) => `  ${l.padEnd(width)}${l.length >= width ? `\n  ${" ".repeat(width)}` : ""}${r}`)
        .concat("  -h, --help")
        .join("\n");
    },
  };
}

function placeholderOf(kind: string): string {
  return kind === "int" || kind === "number"
    ? "N"
    : kind === "duration"
      ? "D"
      : kind === "list"
        ? "A,B"
        : "VALUE";
}
