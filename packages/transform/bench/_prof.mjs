import{createRequire as __cr}from'module';const require=__cr(import.meta.url);
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __commonJS = (cb, mod) => function __require() {
  try {
    return mod || (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;
  } catch (e) {
    throw mod = 0, e;
  }
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));

// node_modules/.pnpm/@stellar+js-xdr@4.0.0/node_modules/@stellar/js-xdr/lib/xdr.js
var require_xdr = __commonJS({
  "node_modules/.pnpm/@stellar+js-xdr@4.0.0/node_modules/@stellar/js-xdr/lib/xdr.js"(exports, module) {
    (function webpackUniversalModuleDefinition(root, factory) {
      if (typeof exports === "object" && typeof module === "object")
        module.exports = factory();
      else if (typeof define === "function" && define.amd)
        define([], factory);
      else if (typeof exports === "object")
        exports["XDR"] = factory();
      else
        root["XDR"] = factory();
    })(exports, () => {
      return (
        /******/
        (() => {
          var __webpack_modules__ = {
            /***/
            "./src/array.js"(__unused_webpack_module, __webpack_exports__2, __webpack_require__2) {
              "use strict";
              __webpack_require__2.r(__webpack_exports__2);
              __webpack_require__2.d(__webpack_exports__2, {
                /* harmony export */
                Array: () => (
                  /* binding */
                  Array2
                )
                /* harmony export */
              });
              var _xdr_type__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__2(
                /*! ./xdr-type */
                "./src/xdr-type.js"
              );
              var _errors__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__2(
                /*! ./errors */
                "./src/errors.js"
              );
              class Array2 extends _xdr_type__WEBPACK_IMPORTED_MODULE_0__.NestedXdrType {
                constructor(childType, length, maxDepth = _xdr_type__WEBPACK_IMPORTED_MODULE_0__.NestedXdrType.DEFAULT_MAX_DEPTH) {
                  super(maxDepth);
                  this._childType = childType;
                  this._length = length;
                }
                /**
                 * @inheritDoc
                 */
                read(reader, remainingDepth = this._maxDepth) {
                  if (this._length > reader.remainingBytes()) {
                    throw new _errors__WEBPACK_IMPORTED_MODULE_1__.XdrReaderError(`Array length ${this._length} exceeds remaining ${reader.remainingBytes()} bytes`);
                  }
                  _xdr_type__WEBPACK_IMPORTED_MODULE_0__.NestedXdrType.checkDepth(remainingDepth);
                  const result = [];
                  for (let i = 0; i < this._length; i++) {
                    result.push(this._childType.read(reader, remainingDepth - 1));
                  }
                  return result;
                }
                /**
                 * @inheritDoc
                 */
                write(value, writer) {
                  if (!global.Array.isArray(value)) throw new _errors__WEBPACK_IMPORTED_MODULE_1__.XdrWriterError(`value is not array`);
                  if (value.length !== this._length) throw new _errors__WEBPACK_IMPORTED_MODULE_1__.XdrWriterError(`got array of size ${value.length}, expected ${this._length}`);
                  for (const child of value) {
                    this._childType.write(child, writer);
                  }
                }
                /**
                 * @inheritDoc
                 */
                isValid(value) {
                  if (!(value instanceof global.Array) || value.length !== this._length) {
                    return false;
                  }
                  for (const child of value) {
                    if (!this._childType.isValid(child)) return false;
                  }
                  return true;
                }
              }
            },
            /***/
            "./src/bigint-encoder.js"(__unused_webpack_module, __webpack_exports__2, __webpack_require__2) {
              "use strict";
              __webpack_require__2.r(__webpack_exports__2);
              __webpack_require__2.d(__webpack_exports__2, {
                /* harmony export */
                calculateBigIntBoundaries: () => (
                  /* binding */
                  calculateBigIntBoundaries
                ),
                /* harmony export */
                encodeBigIntFromBits: () => (
                  /* binding */
                  encodeBigIntFromBits
                ),
                /* harmony export */
                formatIntName: () => (
                  /* binding */
                  formatIntName
                ),
                /* harmony export */
                sliceBigInt: () => (
                  /* binding */
                  sliceBigInt
                )
                /* harmony export */
              });
              function encodeBigIntFromBits(parts, size, unsigned) {
                if (!(parts instanceof Array)) {
                  parts = [parts];
                } else if (parts.length && parts[0] instanceof Array) {
                  parts = parts[0];
                }
                const total = parts.length;
                const sliceSize = size / total;
                switch (sliceSize) {
                  case 32:
                  case 64:
                  case 128:
                  case 256:
                    break;
                  default:
                    throw new RangeError(`expected slices to fit in 32/64/128/256 bits, got ${parts}`);
                }
                try {
                  for (let i = 0; i < parts.length; i++) {
                    if (typeof parts[i] !== "bigint") {
                      parts[i] = BigInt(parts[i].valueOf());
                    }
                  }
                } catch (e) {
                  throw new TypeError(`expected bigint-like values, got: ${parts} (${e})`);
                }
                if (parts.length === 1) {
                  const value = parts[0];
                  if (unsigned && value < 0n) {
                    throw new RangeError(`expected a positive value, got: ${parts}`);
                  }
                  const [min2, max2] = calculateBigIntBoundaries(size, unsigned);
                  if (value < min2 || value > max2) {
                    throw new RangeError(`bigint value ${value} for ${formatIntName(size, unsigned)} out of range [${min2}, ${max2}]`);
                  }
                  return value;
                }
                let result = 0n;
                for (let i = 0; i < parts.length; i++) {
                  assertSliceFits(parts[i], sliceSize);
                  result |= BigInt.asUintN(sliceSize, parts[i]) << BigInt(i * sliceSize);
                }
                if (!unsigned) {
                  result = BigInt.asIntN(size, result);
                }
                const [min, max] = calculateBigIntBoundaries(size, unsigned);
                if (result >= min && result <= max) {
                  return result;
                }
                throw new RangeError(`bigint values [${parts}] for ${formatIntName(size, unsigned)} out of range [${min}, ${max}]: ${result}`);
              }
              function sliceBigInt(value, iSize, sliceSize) {
                if (typeof value !== "bigint") {
                  throw new TypeError(`Expected bigint 'value', got ${typeof value}`);
                }
                const total = iSize / sliceSize;
                if (total === 1) {
                  return [value];
                }
                if (sliceSize < 32 || sliceSize > 128 || total !== 2 && total !== 4 && total !== 8) {
                  throw new TypeError(`invalid bigint (${value}) and slice size (${iSize} -> ${sliceSize}) combination`);
                }
                const shift = BigInt(sliceSize);
                const result = new Array(total);
                for (let i = 0; i < total; i++) {
                  result[i] = BigInt.asIntN(sliceSize, value);
                  value >>= shift;
                }
                return result;
              }
              function formatIntName(precision, unsigned) {
                return `${unsigned ? "u" : "i"}${precision}`;
              }
              function calculateBigIntBoundaries(size, unsigned) {
                if (unsigned) {
                  return [0n, (1n << BigInt(size)) - 1n];
                }
                const boundary = 1n << BigInt(size - 1);
                return [0n - boundary, boundary - 1n];
              }
              function assertSliceFits(part, sliceSize) {
                const fitsSigned = BigInt.asIntN(sliceSize, part) === part;
                const fitsUnsigned = BigInt.asUintN(sliceSize, part) === part;
                if (!fitsSigned && !fitsUnsigned) {
                  throw new RangeError(`slice value ${part} does not fit in ${sliceSize} bits`);
                }
              }
            },
            /***/
            "./src/bool.js"(__unused_webpack_module, __webpack_exports__2, __webpack_require__2) {
              "use strict";
              __webpack_require__2.r(__webpack_exports__2);
              __webpack_require__2.d(__webpack_exports__2, {
                /* harmony export */
                Bool: () => (
                  /* binding */
                  Bool
                )
                /* harmony export */
              });
              var _int__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__2(
                /*! ./int */
                "./src/int.js"
              );
              var _xdr_type__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__2(
                /*! ./xdr-type */
                "./src/xdr-type.js"
              );
              var _errors__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__2(
                /*! ./errors */
                "./src/errors.js"
              );
              class Bool extends _xdr_type__WEBPACK_IMPORTED_MODULE_1__.XdrPrimitiveType {
                /**
                 * @inheritDoc
                 */
                static read(reader) {
                  const value = _int__WEBPACK_IMPORTED_MODULE_0__.Int.read(reader);
                  switch (value) {
                    case 0:
                      return false;
                    case 1:
                      return true;
                    default:
                      throw new _errors__WEBPACK_IMPORTED_MODULE_2__.XdrReaderError(`got ${value} when trying to read a bool`);
                  }
                }
                /**
                 * @inheritDoc
                 */
                static write(value, writer) {
                  const intVal = value ? 1 : 0;
                  _int__WEBPACK_IMPORTED_MODULE_0__.Int.write(intVal, writer);
                }
                /**
                 * @inheritDoc
                 */
                static isValid(value) {
                  return typeof value === "boolean";
                }
              }
            },
            /***/
            "./src/browser.js"(module2, __unused_webpack_exports, __webpack_require__2) {
              const exports2 = __webpack_require__2(
                /*! ./index */
                "./src/index.js"
              );
              module2.exports = exports2;
            },
            /***/
            "./src/config.js"(__unused_webpack_module, __webpack_exports__2, __webpack_require__2) {
              "use strict";
              __webpack_require__2.r(__webpack_exports__2);
              __webpack_require__2.d(__webpack_exports__2, {
                /* harmony export */
                Reference: () => (
                  /* reexport safe */
                  _reference__WEBPACK_IMPORTED_MODULE_1__.Reference
                ),
                /* harmony export */
                config: () => (
                  /* binding */
                  config
                )
                /* harmony export */
              });
              var _types__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__2(
                /*! ./types */
                "./src/types.js"
              );
              var _reference__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__2(
                /*! ./reference */
                "./src/reference.js"
              );
              var _errors__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__2(
                /*! ./errors */
                "./src/errors.js"
              );
              class SimpleReference extends _reference__WEBPACK_IMPORTED_MODULE_1__.Reference {
                constructor(name) {
                  super();
                  this.name = name;
                }
                resolve(context) {
                  const defn = context.definitions[this.name];
                  return defn.resolve(context);
                }
              }
              class ArrayReference extends _reference__WEBPACK_IMPORTED_MODULE_1__.Reference {
                constructor(childReference, length, variable = false) {
                  super();
                  this.childReference = childReference;
                  this.length = length;
                  this.variable = variable;
                }
                resolve(context) {
                  let resolvedChild = this.childReference;
                  let length = this.length;
                  if (resolvedChild instanceof _reference__WEBPACK_IMPORTED_MODULE_1__.Reference) {
                    resolvedChild = resolvedChild.resolve(context);
                  }
                  if (length instanceof _reference__WEBPACK_IMPORTED_MODULE_1__.Reference) {
                    length = length.resolve(context);
                  }
                  if (this.variable) {
                    return new _types__WEBPACK_IMPORTED_MODULE_0__.VarArray(resolvedChild, length);
                  }
                  return new _types__WEBPACK_IMPORTED_MODULE_0__.Array(resolvedChild, length);
                }
              }
              class OptionReference extends _reference__WEBPACK_IMPORTED_MODULE_1__.Reference {
                constructor(childReference) {
                  super();
                  this.childReference = childReference;
                  this.name = childReference.name;
                }
                resolve(context) {
                  let resolvedChild = this.childReference;
                  if (resolvedChild instanceof _reference__WEBPACK_IMPORTED_MODULE_1__.Reference) {
                    resolvedChild = resolvedChild.resolve(context);
                  }
                  return new _types__WEBPACK_IMPORTED_MODULE_0__.Option(resolvedChild);
                }
              }
              class SizedReference extends _reference__WEBPACK_IMPORTED_MODULE_1__.Reference {
                constructor(sizedType, length) {
                  super();
                  this.sizedType = sizedType;
                  this.length = length;
                }
                resolve(context) {
                  let length = this.length;
                  if (length instanceof _reference__WEBPACK_IMPORTED_MODULE_1__.Reference) {
                    length = length.resolve(context);
                  }
                  return new this.sizedType(length);
                }
              }
              class Definition {
                constructor(constructor, name, cfg) {
                  this.constructor = constructor;
                  this.name = name;
                  this.config = cfg;
                }
                // resolve calls the constructor of this definition with the provided context
                // and this definitions config values.  The definitions constructor should
                // populate the final type on `context.results`, and may refer to other
                // definitions through `context.definitions`
                resolve(context) {
                  if (this.name in context.results) {
                    return context.results[this.name];
                  }
                  return this.constructor(context, this.name, this.config);
                }
              }
              function createTypedef(context, typeName, value) {
                if (value instanceof _reference__WEBPACK_IMPORTED_MODULE_1__.Reference) {
                  value = value.resolve(context);
                }
                context.results[typeName] = value;
                return value;
              }
              function createConst(context, name, value) {
                context.results[name] = value;
                return value;
              }
              class TypeBuilder {
                constructor(destination) {
                  this._destination = destination;
                  this._definitions = {};
                }
                enum(name, members) {
                  const result = new Definition(_types__WEBPACK_IMPORTED_MODULE_0__.Enum.create, name, members);
                  this.define(name, result);
                }
                struct(name, members) {
                  const result = new Definition(_types__WEBPACK_IMPORTED_MODULE_0__.Struct.create, name, members);
                  this.define(name, result);
                }
                union(name, cfg) {
                  const result = new Definition(_types__WEBPACK_IMPORTED_MODULE_0__.Union.create, name, cfg);
                  this.define(name, result);
                }
                typedef(name, cfg) {
                  const result = new Definition(createTypedef, name, cfg);
                  this.define(name, result);
                }
                const(name, cfg) {
                  const result = new Definition(createConst, name, cfg);
                  this.define(name, result);
                }
                void() {
                  return _types__WEBPACK_IMPORTED_MODULE_0__.Void;
                }
                bool() {
                  return _types__WEBPACK_IMPORTED_MODULE_0__.Bool;
                }
                int() {
                  return _types__WEBPACK_IMPORTED_MODULE_0__.Int;
                }
                hyper() {
                  return _types__WEBPACK_IMPORTED_MODULE_0__.Hyper;
                }
                uint() {
                  return _types__WEBPACK_IMPORTED_MODULE_0__.UnsignedInt;
                }
                uhyper() {
                  return _types__WEBPACK_IMPORTED_MODULE_0__.UnsignedHyper;
                }
                float() {
                  return _types__WEBPACK_IMPORTED_MODULE_0__.Float;
                }
                double() {
                  return _types__WEBPACK_IMPORTED_MODULE_0__.Double;
                }
                quadruple() {
                  return _types__WEBPACK_IMPORTED_MODULE_0__.Quadruple;
                }
                string(length) {
                  return new SizedReference(_types__WEBPACK_IMPORTED_MODULE_0__.String, length);
                }
                opaque(length) {
                  return new SizedReference(_types__WEBPACK_IMPORTED_MODULE_0__.Opaque, length);
                }
                varOpaque(length) {
                  return new SizedReference(_types__WEBPACK_IMPORTED_MODULE_0__.VarOpaque, length);
                }
                array(childType, length) {
                  return new ArrayReference(childType, length);
                }
                varArray(childType, maxLength) {
                  return new ArrayReference(childType, maxLength, true);
                }
                option(childType) {
                  return new OptionReference(childType);
                }
                define(name, definition) {
                  if (this._destination[name] === void 0) {
                    this._definitions[name] = definition;
                  } else {
                    throw new _errors__WEBPACK_IMPORTED_MODULE_2__.XdrDefinitionError(`${name} is already defined`);
                  }
                }
                lookup(name) {
                  return new SimpleReference(name);
                }
                resolve() {
                  for (const defn of Object.values(this._definitions)) {
                    defn.resolve({
                      definitions: this._definitions,
                      results: this._destination
                    });
                  }
                }
              }
              function config(fn, types = {}) {
                if (fn) {
                  const builder = new TypeBuilder(types);
                  fn(builder);
                  builder.resolve();
                }
                return types;
              }
            },
            /***/
            "./src/double.js"(__unused_webpack_module, __webpack_exports__2, __webpack_require__2) {
              "use strict";
              __webpack_require__2.r(__webpack_exports__2);
              __webpack_require__2.d(__webpack_exports__2, {
                /* harmony export */
                Double: () => (
                  /* binding */
                  Double
                )
                /* harmony export */
              });
              var _xdr_type__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__2(
                /*! ./xdr-type */
                "./src/xdr-type.js"
              );
              var _errors__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__2(
                /*! ./errors */
                "./src/errors.js"
              );
              class Double extends _xdr_type__WEBPACK_IMPORTED_MODULE_0__.XdrPrimitiveType {
                /**
                 * @inheritDoc
                 */
                static read(reader) {
                  return reader.readDoubleBE();
                }
                /**
                 * @inheritDoc
                 */
                static write(value, writer) {
                  if (typeof value !== "number") throw new _errors__WEBPACK_IMPORTED_MODULE_1__.XdrWriterError("not a number");
                  writer.writeDoubleBE(value);
                }
                /**
                 * @inheritDoc
                 */
                static isValid(value) {
                  return typeof value === "number";
                }
              }
            },
            /***/
            "./src/enum.js"(__unused_webpack_module, __webpack_exports__2, __webpack_require__2) {
              "use strict";
              __webpack_require__2.r(__webpack_exports__2);
              __webpack_require__2.d(__webpack_exports__2, {
                /* harmony export */
                Enum: () => (
                  /* binding */
                  Enum
                )
                /* harmony export */
              });
              var _int__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__2(
                /*! ./int */
                "./src/int.js"
              );
              var _xdr_type__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__2(
                /*! ./xdr-type */
                "./src/xdr-type.js"
              );
              var _errors__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__2(
                /*! ./errors */
                "./src/errors.js"
              );
              class Enum extends _xdr_type__WEBPACK_IMPORTED_MODULE_1__.XdrPrimitiveType {
                constructor(name, value) {
                  super();
                  this.name = name;
                  this.value = value;
                }
                /**
                 * @inheritDoc
                 */
                static read(reader) {
                  const intVal = _int__WEBPACK_IMPORTED_MODULE_0__.Int.read(reader);
                  const res = this._byValue[intVal];
                  if (res === void 0) throw new _errors__WEBPACK_IMPORTED_MODULE_2__.XdrReaderError(`unknown ${this.enumName} member for value ${intVal}`);
                  return res;
                }
                /**
                 * @inheritDoc
                 */
                static write(value, writer) {
                  if (!this.isValid(value)) {
                    throw new _errors__WEBPACK_IMPORTED_MODULE_2__.XdrWriterError(`${value} has enum name ${value?.enumName}, not ${this.enumName}: ${JSON.stringify(value)}`);
                  }
                  _int__WEBPACK_IMPORTED_MODULE_0__.Int.write(value.value, writer);
                }
                /**
                 * @inheritDoc
                 */
                static isValid(value) {
                  return value?.constructor?.enumName === this.enumName || (0, _xdr_type__WEBPACK_IMPORTED_MODULE_1__.isSerializableIsh)(value, this);
                }
                static members() {
                  return this._members;
                }
                static values() {
                  return Object.values(this._members);
                }
                static fromName(name) {
                  const result = this._members[name];
                  if (!result) throw new TypeError(`${name} is not a member of ${this.enumName}`);
                  return result;
                }
                static fromValue(value) {
                  const result = this._byValue[value];
                  if (result === void 0) throw new TypeError(`${value} is not a value of any member of ${this.enumName}`);
                  return result;
                }
                static create(context, name, members) {
                  const ChildEnum = class extends Enum {
                  };
                  ChildEnum.enumName = name;
                  context.results[name] = ChildEnum;
                  ChildEnum._members = {};
                  ChildEnum._byValue = {};
                  for (const [key, value] of Object.entries(members)) {
                    const inst = new ChildEnum(key, value);
                    ChildEnum._members[key] = inst;
                    ChildEnum._byValue[value] = inst;
                    ChildEnum[key] = () => inst;
                  }
                  return ChildEnum;
                }
              }
            },
            /***/
            "./src/errors.js"(__unused_webpack_module, __webpack_exports__2, __webpack_require__2) {
              "use strict";
              __webpack_require__2.r(__webpack_exports__2);
              __webpack_require__2.d(__webpack_exports__2, {
                /* harmony export */
                XdrDefinitionError: () => (
                  /* binding */
                  XdrDefinitionError
                ),
                /* harmony export */
                XdrNotImplementedDefinitionError: () => (
                  /* binding */
                  XdrNotImplementedDefinitionError
                ),
                /* harmony export */
                XdrReaderError: () => (
                  /* binding */
                  XdrReaderError
                ),
                /* harmony export */
                XdrWriterError: () => (
                  /* binding */
                  XdrWriterError
                )
                /* harmony export */
              });
              class XdrWriterError extends TypeError {
                constructor(message) {
                  super(`XDR Write Error: ${message}`);
                }
              }
              class XdrReaderError extends TypeError {
                constructor(message) {
                  super(`XDR Read Error: ${message}`);
                }
              }
              class XdrDefinitionError extends TypeError {
                constructor(message) {
                  super(`XDR Type Definition Error: ${message}`);
                }
              }
              class XdrNotImplementedDefinitionError extends XdrDefinitionError {
                constructor() {
                  super(`method not implemented, it should be overloaded in the descendant class.`);
                }
              }
            },
            /***/
            "./src/float.js"(__unused_webpack_module, __webpack_exports__2, __webpack_require__2) {
              "use strict";
              __webpack_require__2.r(__webpack_exports__2);
              __webpack_require__2.d(__webpack_exports__2, {
                /* harmony export */
                Float: () => (
                  /* binding */
                  Float
                )
                /* harmony export */
              });
              var _xdr_type__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__2(
                /*! ./xdr-type */
                "./src/xdr-type.js"
              );
              var _errors__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__2(
                /*! ./errors */
                "./src/errors.js"
              );
              class Float extends _xdr_type__WEBPACK_IMPORTED_MODULE_0__.XdrPrimitiveType {
                /**
                 * @inheritDoc
                 */
                static read(reader) {
                  return reader.readFloatBE();
                }
                /**
                 * @inheritDoc
                 */
                static write(value, writer) {
                  if (typeof value !== "number") throw new _errors__WEBPACK_IMPORTED_MODULE_1__.XdrWriterError("not a number");
                  writer.writeFloatBE(value);
                }
                /**
                 * @inheritDoc
                 */
                static isValid(value) {
                  return typeof value === "number";
                }
              }
            },
            /***/
            "./src/hyper.js"(__unused_webpack_module, __webpack_exports__2, __webpack_require__2) {
              "use strict";
              __webpack_require__2.r(__webpack_exports__2);
              __webpack_require__2.d(__webpack_exports__2, {
                /* harmony export */
                Hyper: () => (
                  /* binding */
                  Hyper
                )
                /* harmony export */
              });
              var _large_int__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__2(
                /*! ./large-int */
                "./src/large-int.js"
              );
              class Hyper extends _large_int__WEBPACK_IMPORTED_MODULE_0__.LargeInt {
                /**
                 * @param {Array<Number|BigInt|String>} parts - Slices to encode
                 */
                constructor(...args) {
                  super(args);
                }
                get low() {
                  return Number(this._value & 0xffffffffn) << 0;
                }
                get high() {
                  return Number(this._value >> 32n) >> 0;
                }
                get size() {
                  return 64;
                }
                get unsigned() {
                  return false;
                }
                /**
                 * Create Hyper instance from two [high][low] i32 values
                 * @param {Number} low - Low part of i64 number
                 * @param {Number} high - High part of i64 number
                 * @return {LargeInt}
                 */
                static fromBits(low, high) {
                  return new this(low, high);
                }
              }
              Hyper.defineIntBoundaries();
            },
            /***/
            "./src/index.js"(__unused_webpack_module, __webpack_exports__2, __webpack_require__2) {
              "use strict";
              __webpack_require__2.r(__webpack_exports__2);
              __webpack_require__2.d(__webpack_exports__2, {
                /* harmony export */
                Array: () => (
                  /* reexport safe */
                  _types__WEBPACK_IMPORTED_MODULE_0__.Array
                ),
                /* harmony export */
                Bool: () => (
                  /* reexport safe */
                  _types__WEBPACK_IMPORTED_MODULE_0__.Bool
                ),
                /* harmony export */
                Double: () => (
                  /* reexport safe */
                  _types__WEBPACK_IMPORTED_MODULE_0__.Double
                ),
                /* harmony export */
                Enum: () => (
                  /* reexport safe */
                  _types__WEBPACK_IMPORTED_MODULE_0__.Enum
                ),
                /* harmony export */
                Float: () => (
                  /* reexport safe */
                  _types__WEBPACK_IMPORTED_MODULE_0__.Float
                ),
                /* harmony export */
                Hyper: () => (
                  /* reexport safe */
                  _types__WEBPACK_IMPORTED_MODULE_0__.Hyper
                ),
                /* harmony export */
                Int: () => (
                  /* reexport safe */
                  _types__WEBPACK_IMPORTED_MODULE_0__.Int
                ),
                /* harmony export */
                LargeInt: () => (
                  /* reexport safe */
                  _types__WEBPACK_IMPORTED_MODULE_0__.LargeInt
                ),
                /* harmony export */
                Opaque: () => (
                  /* reexport safe */
                  _types__WEBPACK_IMPORTED_MODULE_0__.Opaque
                ),
                /* harmony export */
                Option: () => (
                  /* reexport safe */
                  _types__WEBPACK_IMPORTED_MODULE_0__.Option
                ),
                /* harmony export */
                Quadruple: () => (
                  /* reexport safe */
                  _types__WEBPACK_IMPORTED_MODULE_0__.Quadruple
                ),
                /* harmony export */
                Reference: () => (
                  /* reexport safe */
                  _config__WEBPACK_IMPORTED_MODULE_1__.Reference
                ),
                /* harmony export */
                String: () => (
                  /* reexport safe */
                  _types__WEBPACK_IMPORTED_MODULE_0__.String
                ),
                /* harmony export */
                Struct: () => (
                  /* reexport safe */
                  _types__WEBPACK_IMPORTED_MODULE_0__.Struct
                ),
                /* harmony export */
                Union: () => (
                  /* reexport safe */
                  _types__WEBPACK_IMPORTED_MODULE_0__.Union
                ),
                /* harmony export */
                UnsignedHyper: () => (
                  /* reexport safe */
                  _types__WEBPACK_IMPORTED_MODULE_0__.UnsignedHyper
                ),
                /* harmony export */
                UnsignedInt: () => (
                  /* reexport safe */
                  _types__WEBPACK_IMPORTED_MODULE_0__.UnsignedInt
                ),
                /* harmony export */
                VarArray: () => (
                  /* reexport safe */
                  _types__WEBPACK_IMPORTED_MODULE_0__.VarArray
                ),
                /* harmony export */
                VarOpaque: () => (
                  /* reexport safe */
                  _types__WEBPACK_IMPORTED_MODULE_0__.VarOpaque
                ),
                /* harmony export */
                Void: () => (
                  /* reexport safe */
                  _types__WEBPACK_IMPORTED_MODULE_0__.Void
                ),
                /* harmony export */
                XdrReader: () => (
                  /* reexport safe */
                  _serialization_xdr_reader__WEBPACK_IMPORTED_MODULE_2__.XdrReader
                ),
                /* harmony export */
                XdrWriter: () => (
                  /* reexport safe */
                  _serialization_xdr_writer__WEBPACK_IMPORTED_MODULE_3__.XdrWriter
                ),
                /* harmony export */
                config: () => (
                  /* reexport safe */
                  _config__WEBPACK_IMPORTED_MODULE_1__.config
                )
                /* harmony export */
              });
              var _types__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__2(
                /*! ./types */
                "./src/types.js"
              );
              var _config__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__2(
                /*! ./config */
                "./src/config.js"
              );
              var _serialization_xdr_reader__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__2(
                /*! ./serialization/xdr-reader */
                "./src/serialization/xdr-reader.js"
              );
              var _serialization_xdr_writer__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__2(
                /*! ./serialization/xdr-writer */
                "./src/serialization/xdr-writer.js"
              );
            },
            /***/
            "./src/int.js"(__unused_webpack_module, __webpack_exports__2, __webpack_require__2) {
              "use strict";
              __webpack_require__2.r(__webpack_exports__2);
              __webpack_require__2.d(__webpack_exports__2, {
                /* harmony export */
                Int: () => (
                  /* binding */
                  Int
                )
                /* harmony export */
              });
              var _xdr_type__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__2(
                /*! ./xdr-type */
                "./src/xdr-type.js"
              );
              var _errors__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__2(
                /*! ./errors */
                "./src/errors.js"
              );
              const MAX_VALUE = 2147483647;
              const MIN_VALUE = -2147483648;
              class Int extends _xdr_type__WEBPACK_IMPORTED_MODULE_0__.XdrPrimitiveType {
                /**
                 * @inheritDoc
                 */
                static read(reader) {
                  return reader.readInt32BE();
                }
                /**
                 * @inheritDoc
                 */
                static write(value, writer) {
                  if (typeof value !== "number") throw new _errors__WEBPACK_IMPORTED_MODULE_1__.XdrWriterError("not a number");
                  if ((value | 0) !== value) throw new _errors__WEBPACK_IMPORTED_MODULE_1__.XdrWriterError("invalid i32 value");
                  writer.writeInt32BE(value);
                }
                /**
                 * @inheritDoc
                 */
                static isValid(value) {
                  if (typeof value !== "number" || (value | 0) !== value) {
                    return false;
                  }
                  return value >= MIN_VALUE && value <= MAX_VALUE;
                }
              }
              Int.MAX_VALUE = MAX_VALUE;
              Int.MIN_VALUE = -MIN_VALUE;
            },
            /***/
            "./src/large-int.js"(__unused_webpack_module, __webpack_exports__2, __webpack_require__2) {
              "use strict";
              __webpack_require__2.r(__webpack_exports__2);
              __webpack_require__2.d(__webpack_exports__2, {
                /* harmony export */
                LargeInt: () => (
                  /* binding */
                  LargeInt
                )
                /* harmony export */
              });
              var _xdr_type__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__2(
                /*! ./xdr-type */
                "./src/xdr-type.js"
              );
              var _bigint_encoder__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__2(
                /*! ./bigint-encoder */
                "./src/bigint-encoder.js"
              );
              var _errors__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__2(
                /*! ./errors */
                "./src/errors.js"
              );
              class LargeInt extends _xdr_type__WEBPACK_IMPORTED_MODULE_0__.XdrPrimitiveType {
                /**
                 * @param {Array<Number|BigInt|String>} parts - Slices to encode
                 */
                constructor(args) {
                  super();
                  this._value = (0, _bigint_encoder__WEBPACK_IMPORTED_MODULE_1__.encodeBigIntFromBits)(args, this.size, this.unsigned);
                }
                /**
                 * Signed/unsigned representation
                 * @type {Boolean}
                 * @abstract
                 */
                get unsigned() {
                  throw new _errors__WEBPACK_IMPORTED_MODULE_2__.XdrNotImplementedDefinitionError();
                }
                /**
                 * Size of the integer in bits
                 * @type {Number}
                 * @abstract
                 */
                get size() {
                  throw new _errors__WEBPACK_IMPORTED_MODULE_2__.XdrNotImplementedDefinitionError();
                }
                /**
                 * Slice integer to parts with smaller bit size
                 * @param {32|64|128} sliceSize - Size of each part in bits
                 * @return {BigInt[]}
                 */
                slice(sliceSize) {
                  return (0, _bigint_encoder__WEBPACK_IMPORTED_MODULE_1__.sliceBigInt)(this._value, this.size, sliceSize);
                }
                toString() {
                  return this._value.toString();
                }
                toJSON() {
                  return {
                    _value: this._value.toString()
                  };
                }
                toBigInt() {
                  return BigInt(this._value);
                }
                /**
                 * @inheritDoc
                 */
                static read(reader) {
                  const {
                    size,
                    unsigned
                  } = this.prototype;
                  if (size === 64) {
                    return new this(unsigned ? reader.readBigUInt64BE() : reader.readBigInt64BE());
                  }
                  return new this(...Array.from({
                    length: size / 64
                  }, () => reader.readBigUInt64BE()).reverse());
                }
                /**
                 * @inheritDoc
                 */
                static write(value, writer) {
                  if (value instanceof this) {
                    value = value._value;
                  } else if (typeof value !== "bigint" || value > this.MAX_VALUE || value < this.MIN_VALUE) throw new _errors__WEBPACK_IMPORTED_MODULE_2__.XdrWriterError(`${value} is not a ${this.name}`);
                  const {
                    unsigned,
                    size
                  } = this.prototype;
                  if (size === 64) {
                    if (unsigned) {
                      writer.writeBigUInt64BE(value);
                    } else {
                      writer.writeBigInt64BE(value);
                    }
                  } else {
                    const uvalue = unsigned ? value : BigInt.asUintN(size, value);
                    for (let i = size / 64 - 1; i >= 0; i--) {
                      writer.writeBigUInt64BE(
                        uvalue >> BigInt(i * 64) & 0xffffffffffffffffn
                        // 2^64-1
                      );
                    }
                  }
                }
                /**
                 * @inheritDoc
                 */
                static isValid(value) {
                  if (value instanceof this) return true;
                  if (typeof value === "bigint") {
                    return value >= this.MIN_VALUE && value <= this.MAX_VALUE;
                  }
                  return false;
                }
                /**
                 * Create instance from string
                 * @param {String} string - Numeric representation
                 * @return {LargeInt}
                 */
                static fromString(string) {
                  return new this(string);
                }
                static MAX_VALUE = 0n;
                static MIN_VALUE = 0n;
                /**
                 * @internal
                 * @return {void}
                 */
                static defineIntBoundaries() {
                  const [min, max] = (0, _bigint_encoder__WEBPACK_IMPORTED_MODULE_1__.calculateBigIntBoundaries)(this.prototype.size, this.prototype.unsigned);
                  this.MIN_VALUE = min;
                  this.MAX_VALUE = max;
                }
              }
            },
            /***/
            "./src/opaque.js"(__unused_webpack_module, __webpack_exports__2, __webpack_require__2) {
              "use strict";
              __webpack_require__2.r(__webpack_exports__2);
              __webpack_require__2.d(__webpack_exports__2, {
                /* harmony export */
                Opaque: () => (
                  /* binding */
                  Opaque
                )
                /* harmony export */
              });
              var _xdr_type__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__2(
                /*! ./xdr-type */
                "./src/xdr-type.js"
              );
              var _errors__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__2(
                /*! ./errors */
                "./src/errors.js"
              );
              class Opaque extends _xdr_type__WEBPACK_IMPORTED_MODULE_0__.XdrCompositeType {
                constructor(length) {
                  super();
                  this._length = length;
                }
                /**
                 * @inheritDoc
                 */
                read(reader) {
                  return reader.read(this._length);
                }
                /**
                 * @inheritDoc
                 */
                write(value, writer) {
                  const {
                    length
                  } = value;
                  if (length !== this._length) throw new _errors__WEBPACK_IMPORTED_MODULE_1__.XdrWriterError(`got ${value.length} bytes, expected ${this._length}`);
                  writer.write(value, length);
                }
                /**
                 * @inheritDoc
                 */
                isValid(value) {
                  return Buffer.isBuffer(value) && value.length === this._length;
                }
              }
            },
            /***/
            "./src/option.js"(__unused_webpack_module, __webpack_exports__2, __webpack_require__2) {
              "use strict";
              __webpack_require__2.r(__webpack_exports__2);
              __webpack_require__2.d(__webpack_exports__2, {
                /* harmony export */
                Option: () => (
                  /* binding */
                  Option
                )
                /* harmony export */
              });
              var _bool__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__2(
                /*! ./bool */
                "./src/bool.js"
              );
              var _xdr_type__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__2(
                /*! ./xdr-type */
                "./src/xdr-type.js"
              );
              class Option extends _xdr_type__WEBPACK_IMPORTED_MODULE_1__.NestedXdrType {
                constructor(childType, maxDepth = _xdr_type__WEBPACK_IMPORTED_MODULE_1__.NestedXdrType.DEFAULT_MAX_DEPTH) {
                  super(maxDepth);
                  this._childType = childType;
                }
                /**
                 * @inheritDoc
                 */
                read(reader, remainingDepth = this._maxDepth) {
                  _xdr_type__WEBPACK_IMPORTED_MODULE_1__.NestedXdrType.checkDepth(remainingDepth);
                  if (_bool__WEBPACK_IMPORTED_MODULE_0__.Bool.read(reader)) {
                    return this._childType.read(reader, remainingDepth - 1);
                  }
                  return void 0;
                }
                /**
                 * @inheritDoc
                 */
                write(value, writer) {
                  const isPresent = value !== null && value !== void 0;
                  _bool__WEBPACK_IMPORTED_MODULE_0__.Bool.write(isPresent, writer);
                  if (isPresent) {
                    this._childType.write(value, writer);
                  }
                }
                /**
                 * @inheritDoc
                 */
                isValid(value) {
                  if (value === null || value === void 0) {
                    return true;
                  }
                  return this._childType.isValid(value);
                }
              }
            },
            /***/
            "./src/quadruple.js"(__unused_webpack_module, __webpack_exports__2, __webpack_require__2) {
              "use strict";
              __webpack_require__2.r(__webpack_exports__2);
              __webpack_require__2.d(__webpack_exports__2, {
                /* harmony export */
                Quadruple: () => (
                  /* binding */
                  Quadruple
                )
                /* harmony export */
              });
              var _xdr_type__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__2(
                /*! ./xdr-type */
                "./src/xdr-type.js"
              );
              var _errors__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__2(
                /*! ./errors */
                "./src/errors.js"
              );
              class Quadruple extends _xdr_type__WEBPACK_IMPORTED_MODULE_0__.XdrPrimitiveType {
                static read() {
                  throw new _errors__WEBPACK_IMPORTED_MODULE_1__.XdrDefinitionError("quadruple not supported");
                }
                static write() {
                  throw new _errors__WEBPACK_IMPORTED_MODULE_1__.XdrDefinitionError("quadruple not supported");
                }
                static isValid() {
                  return false;
                }
              }
            },
            /***/
            "./src/reference.js"(__unused_webpack_module, __webpack_exports__2, __webpack_require__2) {
              "use strict";
              __webpack_require__2.r(__webpack_exports__2);
              __webpack_require__2.d(__webpack_exports__2, {
                /* harmony export */
                Reference: () => (
                  /* binding */
                  Reference
                )
                /* harmony export */
              });
              var _xdr_type__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__2(
                /*! ./xdr-type */
                "./src/xdr-type.js"
              );
              var _errors__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__2(
                /*! ./errors */
                "./src/errors.js"
              );
              class Reference extends _xdr_type__WEBPACK_IMPORTED_MODULE_0__.XdrPrimitiveType {
                /* jshint unused: false */
                resolve() {
                  throw new _errors__WEBPACK_IMPORTED_MODULE_1__.XdrDefinitionError('"resolve" method should be implemented in the descendant class');
                }
              }
            },
            /***/
            "./src/serialization/xdr-reader.js"(__unused_webpack_module, __webpack_exports__2, __webpack_require__2) {
              "use strict";
              __webpack_require__2.r(__webpack_exports__2);
              __webpack_require__2.d(__webpack_exports__2, {
                /* harmony export */
                XdrReader: () => (
                  /* binding */
                  XdrReader2
                )
                /* harmony export */
              });
              var _errors__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__2(
                /*! ../errors */
                "./src/errors.js"
              );
              class XdrReader2 {
                /**
                 * @constructor
                 * @param {Buffer} source - Buffer containing serialized data
                 */
                constructor(source) {
                  if (!Buffer.isBuffer(source)) {
                    if (source instanceof Array || Array.isArray(source) || ArrayBuffer.isView(source)) {
                      source = Buffer.from(source);
                    } else {
                      throw new _errors__WEBPACK_IMPORTED_MODULE_0__.XdrReaderError(`source invalid: ${source}`);
                    }
                  }
                  this._buffer = source;
                  this._length = source.length;
                  this._index = 0;
                }
                /**
                 * @type {Buffer}
                 * @private
                 * @readonly
                 */
                _buffer;
                /**
                 * @type {Number}
                 * @private
                 * @readonly
                 */
                _length;
                /**
                 * @type {Number}
                 * @private
                 * @readonly
                 */
                _index;
                /**
                 * Check if the reader reached the end of the input buffer
                 * @return {Boolean}
                 */
                get eof() {
                  return this._index === this._length;
                }
                /**
                 * Advance reader position, check padding and overflow
                 * @param {Number} size - Bytes to read
                 * @return {Number} Position to read from
                 * @private
                 */
                advance(size) {
                  const from = this._index;
                  this._index += size;
                  if (this._length < this._index) throw new _errors__WEBPACK_IMPORTED_MODULE_0__.XdrReaderError("attempt to read outside the boundary of the buffer");
                  const padding = 4 - (size % 4 || 4);
                  if (padding > 0) {
                    for (let i = 0; i < padding; i++) if (this._buffer[this._index + i] !== 0)
                      throw new _errors__WEBPACK_IMPORTED_MODULE_0__.XdrReaderError("invalid padding");
                    this._index += padding;
                  }
                  return from;
                }
                /**
                 * Reset reader position
                 * @return {void}
                 */
                rewind() {
                  this._index = 0;
                }
                /**
                 * Remaining unread bytes in the source buffer
                 * @return {Number}
                 */
                remainingBytes() {
                  return this._length - this._index;
                }
                /**
                 * Read byte array from the buffer
                 * @param {Number} size - Bytes to read
                 * @return {Buffer} - Sliced portion of the underlying buffer
                 */
                read(size) {
                  const from = this.advance(size);
                  return this._buffer.subarray(from, from + size);
                }
                /**
                 * Read i32 from buffer
                 * @return {Number}
                 */
                readInt32BE() {
                  return this._buffer.readInt32BE(this.advance(4));
                }
                /**
                 * Read u32 from buffer
                 * @return {Number}
                 */
                readUInt32BE() {
                  return this._buffer.readUInt32BE(this.advance(4));
                }
                /**
                 * Read i64 from buffer
                 * @return {BigInt}
                 */
                readBigInt64BE() {
                  return this._buffer.readBigInt64BE(this.advance(8));
                }
                /**
                 * Read u64 from buffer
                 * @return {BigInt}
                 */
                readBigUInt64BE() {
                  return this._buffer.readBigUInt64BE(this.advance(8));
                }
                /**
                 * Read float from buffer
                 * @return {Number}
                 */
                readFloatBE() {
                  return this._buffer.readFloatBE(this.advance(4));
                }
                /**
                 * Read double from buffer
                 * @return {Number}
                 */
                readDoubleBE() {
                  return this._buffer.readDoubleBE(this.advance(8));
                }
                /**
                 * Ensure that input buffer has been consumed in full, otherwise it's a type mismatch
                 * @return {void}
                 * @throws {XdrReaderError}
                 */
                ensureInputConsumed() {
                  if (this._index !== this._length) throw new _errors__WEBPACK_IMPORTED_MODULE_0__.XdrReaderError(`invalid XDR contract typecast - source buffer not entirely consumed`);
                }
              }
            },
            /***/
            "./src/serialization/xdr-writer.js"(__unused_webpack_module, __webpack_exports__2, __webpack_require__2) {
              "use strict";
              __webpack_require__2.r(__webpack_exports__2);
              __webpack_require__2.d(__webpack_exports__2, {
                /* harmony export */
                XdrWriter: () => (
                  /* binding */
                  XdrWriter
                )
                /* harmony export */
              });
              const BUFFER_CHUNK = 8192;
              class XdrWriter {
                /**
                 * @param {Buffer|Number} [buffer] - Optional destination buffer
                 */
                constructor(buffer) {
                  if (typeof buffer === "number") {
                    buffer = Buffer.allocUnsafe(buffer);
                  } else if (!(buffer instanceof Buffer)) {
                    buffer = Buffer.allocUnsafe(BUFFER_CHUNK);
                  }
                  this._buffer = buffer;
                  this._length = buffer.length;
                }
                /**
                 * @type {Buffer}
                 * @private
                 * @readonly
                 */
                _buffer;
                /**
                 * @type {Number}
                 * @private
                 * @readonly
                 */
                _length;
                /**
                 * @type {Number}
                 * @private
                 * @readonly
                 */
                _index = 0;
                /**
                 * Advance writer position, write padding if needed, auto-resize the buffer
                 * @param {Number} size - Bytes to write
                 * @return {Number} Position to read from
                 * @private
                 */
                alloc(size) {
                  const from = this._index;
                  this._index += size;
                  if (this._length < this._index) {
                    this.resize(this._index);
                  }
                  return from;
                }
                /**
                 * Increase size of the underlying buffer
                 * @param {Number} minRequiredSize - Minimum required buffer size
                 * @return {void}
                 * @private
                 */
                resize(minRequiredSize) {
                  const newLength = Math.ceil(minRequiredSize / BUFFER_CHUNK) * BUFFER_CHUNK;
                  const newBuffer = Buffer.allocUnsafe(newLength);
                  this._buffer.copy(newBuffer, 0, 0, this._length);
                  this._buffer = newBuffer;
                  this._length = newLength;
                }
                /**
                 * Return XDR-serialized value
                 * @return {Buffer}
                 */
                finalize() {
                  return this._buffer.subarray(0, this._index);
                }
                /**
                 * Return XDR-serialized value as byte array
                 * @return {Number[]}
                 */
                toArray() {
                  return [...this.finalize()];
                }
                /**
                 * Write byte array from the buffer
                 * @param {Buffer|String} value - Bytes/string to write
                 * @param {Number} size - Size in bytes
                 * @return {XdrReader} - XdrReader wrapper on top of a subarray
                 */
                write(value, size) {
                  if (typeof value === "string") {
                    const offset = this.alloc(size);
                    this._buffer.write(value, offset, "utf8");
                  } else {
                    if (!(value instanceof Buffer)) {
                      value = Buffer.from(value);
                    }
                    const offset = this.alloc(size);
                    value.copy(this._buffer, offset, 0, size);
                  }
                  const padding = 4 - (size % 4 || 4);
                  if (padding > 0) {
                    const offset = this.alloc(padding);
                    this._buffer.fill(0, offset, this._index);
                  }
                }
                /**
                 * Write i32 from buffer
                 * @param {Number} value - Value to serialize
                 * @return {void}
                 */
                writeInt32BE(value) {
                  const offset = this.alloc(4);
                  this._buffer.writeInt32BE(value, offset);
                }
                /**
                 * Write u32 from buffer
                 * @param {Number} value - Value to serialize
                 * @return {void}
                 */
                writeUInt32BE(value) {
                  const offset = this.alloc(4);
                  this._buffer.writeUInt32BE(value, offset);
                }
                /**
                 * Write i64 from buffer
                 * @param {BigInt} value - Value to serialize
                 * @return {void}
                 */
                writeBigInt64BE(value) {
                  const offset = this.alloc(8);
                  this._buffer.writeBigInt64BE(value, offset);
                }
                /**
                 * Write u64 from buffer
                 * @param {BigInt} value - Value to serialize
                 * @return {void}
                 */
                writeBigUInt64BE(value) {
                  const offset = this.alloc(8);
                  this._buffer.writeBigUInt64BE(value, offset);
                }
                /**
                 * Write float from buffer
                 * @param {Number} value - Value to serialize
                 * @return {void}
                 */
                writeFloatBE(value) {
                  const offset = this.alloc(4);
                  this._buffer.writeFloatBE(value, offset);
                }
                /**
                 * Write double from buffer
                 * @param {Number} value - Value to serialize
                 * @return {void}
                 */
                writeDoubleBE(value) {
                  const offset = this.alloc(8);
                  this._buffer.writeDoubleBE(value, offset);
                }
                static bufferChunkSize = BUFFER_CHUNK;
              }
            },
            /***/
            "./src/string.js"(__unused_webpack_module, __webpack_exports__2, __webpack_require__2) {
              "use strict";
              __webpack_require__2.r(__webpack_exports__2);
              __webpack_require__2.d(__webpack_exports__2, {
                /* harmony export */
                String: () => (
                  /* binding */
                  String2
                )
                /* harmony export */
              });
              var _unsigned_int__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__2(
                /*! ./unsigned-int */
                "./src/unsigned-int.js"
              );
              var _xdr_type__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__2(
                /*! ./xdr-type */
                "./src/xdr-type.js"
              );
              var _errors__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__2(
                /*! ./errors */
                "./src/errors.js"
              );
              class String2 extends _xdr_type__WEBPACK_IMPORTED_MODULE_1__.XdrCompositeType {
                constructor(maxLength = _unsigned_int__WEBPACK_IMPORTED_MODULE_0__.UnsignedInt.MAX_VALUE) {
                  super();
                  this._maxLength = maxLength;
                }
                /**
                 * @inheritDoc
                 */
                read(reader) {
                  const size = _unsigned_int__WEBPACK_IMPORTED_MODULE_0__.UnsignedInt.read(reader);
                  if (size > this._maxLength) throw new _errors__WEBPACK_IMPORTED_MODULE_2__.XdrReaderError(`saw ${size} length String, max allowed is ${this._maxLength}`);
                  return reader.read(size);
                }
                readString(reader) {
                  return this.read(reader).toString("utf8");
                }
                /**
                 * @inheritDoc
                 */
                write(value, writer) {
                  const size = typeof value === "string" ? Buffer.byteLength(value, "utf8") : value.length;
                  if (size > this._maxLength) throw new _errors__WEBPACK_IMPORTED_MODULE_2__.XdrWriterError(`got ${value.length} bytes, max allowed is ${this._maxLength}`);
                  _unsigned_int__WEBPACK_IMPORTED_MODULE_0__.UnsignedInt.write(size, writer);
                  writer.write(value, size);
                }
                /**
                 * @inheritDoc
                 */
                isValid(value) {
                  if (typeof value === "string") {
                    return Buffer.byteLength(value, "utf8") <= this._maxLength;
                  }
                  if (value instanceof Array || Buffer.isBuffer(value)) {
                    return value.length <= this._maxLength;
                  }
                  return false;
                }
              }
            },
            /***/
            "./src/struct.js"(__unused_webpack_module, __webpack_exports__2, __webpack_require__2) {
              "use strict";
              __webpack_require__2.r(__webpack_exports__2);
              __webpack_require__2.d(__webpack_exports__2, {
                /* harmony export */
                Struct: () => (
                  /* binding */
                  Struct
                )
                /* harmony export */
              });
              var _reference__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__2(
                /*! ./reference */
                "./src/reference.js"
              );
              var _xdr_type__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__2(
                /*! ./xdr-type */
                "./src/xdr-type.js"
              );
              var _errors__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__2(
                /*! ./errors */
                "./src/errors.js"
              );
              class Struct extends _xdr_type__WEBPACK_IMPORTED_MODULE_1__.NestedXdrType {
                constructor(attributes, maxDepth) {
                  const resolvedMaxDepth = maxDepth ?? new.target?._maxDepth;
                  super(resolvedMaxDepth);
                  this._attributes = attributes || {};
                }
                /**
                 * @inheritDoc
                 */
                static read(reader, remainingDepth = this._maxDepth) {
                  _xdr_type__WEBPACK_IMPORTED_MODULE_1__.NestedXdrType.checkDepth(remainingDepth);
                  const attributes = {};
                  for (const [fieldName, type] of this._fields) {
                    attributes[fieldName] = type.read(reader, remainingDepth - 1);
                  }
                  return new this(attributes, this._maxDepth);
                }
                /**
                 * @inheritDoc
                 */
                static write(value, writer) {
                  if (!this.isValid(value)) {
                    throw new _errors__WEBPACK_IMPORTED_MODULE_2__.XdrWriterError(`${value} has struct name ${value?.constructor?.structName}, not ${this.structName}: ${JSON.stringify(value)}`);
                  }
                  for (const [fieldName, type] of this._fields) {
                    const attribute = value._attributes[fieldName];
                    type.write(attribute, writer);
                  }
                }
                /**
                 * @inheritDoc
                 */
                static isValid(value) {
                  return value?.constructor?.structName === this.structName || (0, _xdr_type__WEBPACK_IMPORTED_MODULE_1__.isSerializableIsh)(value, this);
                }
                static create(context, name, fields, maxDepth = _xdr_type__WEBPACK_IMPORTED_MODULE_1__.NestedXdrType.DEFAULT_MAX_DEPTH) {
                  const ChildStruct = class extends Struct {
                  };
                  ChildStruct.structName = name;
                  ChildStruct._maxDepth = maxDepth;
                  context.results[name] = ChildStruct;
                  const mappedFields = new Array(fields.length);
                  for (let i = 0; i < fields.length; i++) {
                    const fieldDescriptor = fields[i];
                    const fieldName = fieldDescriptor[0];
                    let field = fieldDescriptor[1];
                    if (field instanceof _reference__WEBPACK_IMPORTED_MODULE_0__.Reference) {
                      field = field.resolve(context);
                    }
                    mappedFields[i] = [fieldName, field];
                    ChildStruct.prototype[fieldName] = createAccessorMethod(fieldName);
                  }
                  ChildStruct._fields = mappedFields;
                  return ChildStruct;
                }
              }
              function createAccessorMethod(name) {
                return function readOrWriteAttribute(value) {
                  if (value !== void 0) {
                    this._attributes[name] = value;
                  }
                  return this._attributes[name];
                };
              }
            },
            /***/
            "./src/types.js"(__unused_webpack_module, __webpack_exports__2, __webpack_require__2) {
              "use strict";
              __webpack_require__2.r(__webpack_exports__2);
              __webpack_require__2.d(__webpack_exports__2, {
                /* harmony export */
                Array: () => (
                  /* reexport safe */
                  _array__WEBPACK_IMPORTED_MODULE_12__.Array
                ),
                /* harmony export */
                Bool: () => (
                  /* reexport safe */
                  _bool__WEBPACK_IMPORTED_MODULE_8__.Bool
                ),
                /* harmony export */
                Double: () => (
                  /* reexport safe */
                  _double__WEBPACK_IMPORTED_MODULE_6__.Double
                ),
                /* harmony export */
                Enum: () => (
                  /* reexport safe */
                  _enum__WEBPACK_IMPORTED_MODULE_16__.Enum
                ),
                /* harmony export */
                Float: () => (
                  /* reexport safe */
                  _float__WEBPACK_IMPORTED_MODULE_5__.Float
                ),
                /* harmony export */
                Hyper: () => (
                  /* reexport safe */
                  _hyper__WEBPACK_IMPORTED_MODULE_1__.Hyper
                ),
                /* harmony export */
                Int: () => (
                  /* reexport safe */
                  _int__WEBPACK_IMPORTED_MODULE_0__.Int
                ),
                /* harmony export */
                LargeInt: () => (
                  /* reexport safe */
                  _large_int__WEBPACK_IMPORTED_MODULE_4__.LargeInt
                ),
                /* harmony export */
                Opaque: () => (
                  /* reexport safe */
                  _opaque__WEBPACK_IMPORTED_MODULE_10__.Opaque
                ),
                /* harmony export */
                Option: () => (
                  /* reexport safe */
                  _option__WEBPACK_IMPORTED_MODULE_14__.Option
                ),
                /* harmony export */
                Quadruple: () => (
                  /* reexport safe */
                  _quadruple__WEBPACK_IMPORTED_MODULE_7__.Quadruple
                ),
                /* harmony export */
                String: () => (
                  /* reexport safe */
                  _string__WEBPACK_IMPORTED_MODULE_9__.String
                ),
                /* harmony export */
                Struct: () => (
                  /* reexport safe */
                  _struct__WEBPACK_IMPORTED_MODULE_17__.Struct
                ),
                /* harmony export */
                Union: () => (
                  /* reexport safe */
                  _union__WEBPACK_IMPORTED_MODULE_18__.Union
                ),
                /* harmony export */
                UnsignedHyper: () => (
                  /* reexport safe */
                  _unsigned_hyper__WEBPACK_IMPORTED_MODULE_3__.UnsignedHyper
                ),
                /* harmony export */
                UnsignedInt: () => (
                  /* reexport safe */
                  _unsigned_int__WEBPACK_IMPORTED_MODULE_2__.UnsignedInt
                ),
                /* harmony export */
                VarArray: () => (
                  /* reexport safe */
                  _var_array__WEBPACK_IMPORTED_MODULE_13__.VarArray
                ),
                /* harmony export */
                VarOpaque: () => (
                  /* reexport safe */
                  _var_opaque__WEBPACK_IMPORTED_MODULE_11__.VarOpaque
                ),
                /* harmony export */
                Void: () => (
                  /* reexport safe */
                  _void__WEBPACK_IMPORTED_MODULE_15__.Void
                )
                /* harmony export */
              });
              var _int__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__2(
                /*! ./int */
                "./src/int.js"
              );
              var _hyper__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__2(
                /*! ./hyper */
                "./src/hyper.js"
              );
              var _unsigned_int__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__2(
                /*! ./unsigned-int */
                "./src/unsigned-int.js"
              );
              var _unsigned_hyper__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__2(
                /*! ./unsigned-hyper */
                "./src/unsigned-hyper.js"
              );
              var _large_int__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__2(
                /*! ./large-int */
                "./src/large-int.js"
              );
              var _float__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__2(
                /*! ./float */
                "./src/float.js"
              );
              var _double__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__2(
                /*! ./double */
                "./src/double.js"
              );
              var _quadruple__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__2(
                /*! ./quadruple */
                "./src/quadruple.js"
              );
              var _bool__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__2(
                /*! ./bool */
                "./src/bool.js"
              );
              var _string__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__2(
                /*! ./string */
                "./src/string.js"
              );
              var _opaque__WEBPACK_IMPORTED_MODULE_10__ = __webpack_require__2(
                /*! ./opaque */
                "./src/opaque.js"
              );
              var _var_opaque__WEBPACK_IMPORTED_MODULE_11__ = __webpack_require__2(
                /*! ./var-opaque */
                "./src/var-opaque.js"
              );
              var _array__WEBPACK_IMPORTED_MODULE_12__ = __webpack_require__2(
                /*! ./array */
                "./src/array.js"
              );
              var _var_array__WEBPACK_IMPORTED_MODULE_13__ = __webpack_require__2(
                /*! ./var-array */
                "./src/var-array.js"
              );
              var _option__WEBPACK_IMPORTED_MODULE_14__ = __webpack_require__2(
                /*! ./option */
                "./src/option.js"
              );
              var _void__WEBPACK_IMPORTED_MODULE_15__ = __webpack_require__2(
                /*! ./void */
                "./src/void.js"
              );
              var _enum__WEBPACK_IMPORTED_MODULE_16__ = __webpack_require__2(
                /*! ./enum */
                "./src/enum.js"
              );
              var _struct__WEBPACK_IMPORTED_MODULE_17__ = __webpack_require__2(
                /*! ./struct */
                "./src/struct.js"
              );
              var _union__WEBPACK_IMPORTED_MODULE_18__ = __webpack_require__2(
                /*! ./union */
                "./src/union.js"
              );
            },
            /***/
            "./src/union.js"(__unused_webpack_module, __webpack_exports__2, __webpack_require__2) {
              "use strict";
              __webpack_require__2.r(__webpack_exports__2);
              __webpack_require__2.d(__webpack_exports__2, {
                /* harmony export */
                Union: () => (
                  /* binding */
                  Union
                )
                /* harmony export */
              });
              var _void__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__2(
                /*! ./void */
                "./src/void.js"
              );
              var _reference__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__2(
                /*! ./reference */
                "./src/reference.js"
              );
              var _xdr_type__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__2(
                /*! ./xdr-type */
                "./src/xdr-type.js"
              );
              var _errors__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__2(
                /*! ./errors */
                "./src/errors.js"
              );
              class Union extends _xdr_type__WEBPACK_IMPORTED_MODULE_2__.NestedXdrType {
                constructor(aSwitch, value, maxDepth) {
                  const resolvedMaxDepth = maxDepth ?? new.target?._maxDepth;
                  super(resolvedMaxDepth);
                  this.set(aSwitch, value);
                }
                set(aSwitch, value) {
                  if (typeof aSwitch === "string") {
                    aSwitch = this.constructor._switchOn.fromName(aSwitch);
                  }
                  this._switch = aSwitch;
                  const arm = this.constructor.armForSwitch(this._switch);
                  this._arm = arm;
                  this._armType = arm === _void__WEBPACK_IMPORTED_MODULE_0__.Void ? _void__WEBPACK_IMPORTED_MODULE_0__.Void : this.constructor._arms[arm];
                  this._value = value;
                }
                get(armName = this._arm) {
                  if (this._arm !== _void__WEBPACK_IMPORTED_MODULE_0__.Void && this._arm !== armName) throw new TypeError(`${armName} not set`);
                  return this._value;
                }
                switch() {
                  return this._switch;
                }
                arm() {
                  return this._arm;
                }
                armType() {
                  return this._armType;
                }
                value() {
                  return this._value;
                }
                static armForSwitch(aSwitch) {
                  const member = this._switches.get(aSwitch);
                  if (member !== void 0) {
                    return member;
                  }
                  if (this._defaultArm) {
                    return this._defaultArm;
                  }
                  throw new TypeError(`Bad union switch: ${aSwitch}`);
                }
                static armTypeForArm(arm) {
                  if (arm === _void__WEBPACK_IMPORTED_MODULE_0__.Void) {
                    return _void__WEBPACK_IMPORTED_MODULE_0__.Void;
                  }
                  return this._arms[arm];
                }
                /**
                 * @inheritDoc
                 */
                static read(reader, remainingDepth = this._maxDepth) {
                  _xdr_type__WEBPACK_IMPORTED_MODULE_2__.NestedXdrType.checkDepth(remainingDepth);
                  const aSwitch = this._switchOn.read(reader, remainingDepth - 1);
                  const arm = this.armForSwitch(aSwitch);
                  const armType = arm === _void__WEBPACK_IMPORTED_MODULE_0__.Void ? _void__WEBPACK_IMPORTED_MODULE_0__.Void : this._arms[arm];
                  let value;
                  if (armType !== void 0) {
                    value = armType.read(reader, remainingDepth - 1);
                  } else {
                    value = arm.read(reader, remainingDepth - 1);
                  }
                  return new this(aSwitch, value, this._maxDepth);
                }
                /**
                 * @inheritDoc
                 */
                static write(value, writer) {
                  if (!this.isValid(value)) {
                    throw new _errors__WEBPACK_IMPORTED_MODULE_3__.XdrWriterError(`${value} has union name ${value?.unionName}, not ${this.unionName}: ${JSON.stringify(value)}`);
                  }
                  this._switchOn.write(value.switch(), writer);
                  value.armType().write(value.value(), writer);
                }
                /**
                 * @inheritDoc
                 */
                static isValid(value) {
                  return value?.constructor?.unionName === this.unionName || (0, _xdr_type__WEBPACK_IMPORTED_MODULE_2__.isSerializableIsh)(value, this);
                }
                static create(context, name, config, maxDepth = _xdr_type__WEBPACK_IMPORTED_MODULE_2__.NestedXdrType.DEFAULT_MAX_DEPTH) {
                  const ChildUnion = class extends Union {
                  };
                  ChildUnion.unionName = name;
                  ChildUnion._maxDepth = maxDepth;
                  context.results[name] = ChildUnion;
                  if (config.switchOn instanceof _reference__WEBPACK_IMPORTED_MODULE_1__.Reference) {
                    ChildUnion._switchOn = config.switchOn.resolve(context);
                  } else {
                    ChildUnion._switchOn = config.switchOn;
                  }
                  ChildUnion._switches = /* @__PURE__ */ new Map();
                  ChildUnion._arms = {};
                  let defaultArm = config.defaultArm;
                  if (defaultArm instanceof _reference__WEBPACK_IMPORTED_MODULE_1__.Reference) {
                    defaultArm = defaultArm.resolve(context);
                  }
                  ChildUnion._defaultArm = defaultArm;
                  for (const [aSwitch, armName] of config.switches) {
                    const key = typeof aSwitch === "string" ? ChildUnion._switchOn.fromName(aSwitch) : aSwitch;
                    ChildUnion._switches.set(key, armName);
                  }
                  if (ChildUnion._switchOn.values !== void 0) {
                    for (const aSwitch of ChildUnion._switchOn.values()) {
                      ChildUnion[aSwitch.name] = function ctr(value) {
                        return new ChildUnion(aSwitch, value);
                      };
                      ChildUnion.prototype[aSwitch.name] = function set(value) {
                        return this.set(aSwitch, value);
                      };
                    }
                  }
                  if (config.arms) {
                    for (const [armsName, value] of Object.entries(config.arms)) {
                      ChildUnion._arms[armsName] = value instanceof _reference__WEBPACK_IMPORTED_MODULE_1__.Reference ? value.resolve(context) : value;
                      if (value !== _void__WEBPACK_IMPORTED_MODULE_0__.Void) {
                        ChildUnion.prototype[armsName] = function get() {
                          return this.get(armsName);
                        };
                      }
                    }
                  }
                  return ChildUnion;
                }
              }
            },
            /***/
            "./src/unsigned-hyper.js"(__unused_webpack_module, __webpack_exports__2, __webpack_require__2) {
              "use strict";
              __webpack_require__2.r(__webpack_exports__2);
              __webpack_require__2.d(__webpack_exports__2, {
                /* harmony export */
                UnsignedHyper: () => (
                  /* binding */
                  UnsignedHyper
                )
                /* harmony export */
              });
              var _large_int__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__2(
                /*! ./large-int */
                "./src/large-int.js"
              );
              class UnsignedHyper extends _large_int__WEBPACK_IMPORTED_MODULE_0__.LargeInt {
                /**
                 * @param {Array<Number|BigInt|String>} parts - Slices to encode
                 */
                constructor(...args) {
                  super(args);
                }
                get low() {
                  return Number(this._value & 0xffffffffn) << 0;
                }
                get high() {
                  return Number(this._value >> 32n) >> 0;
                }
                get size() {
                  return 64;
                }
                get unsigned() {
                  return true;
                }
                /**
                 * Create UnsignedHyper instance from two [high][low] i32 values
                 * @param {Number} low - Low part of u64 number
                 * @param {Number} high - High part of u64 number
                 * @return {UnsignedHyper}
                 */
                static fromBits(low, high) {
                  return new this(low, high);
                }
              }
              UnsignedHyper.defineIntBoundaries();
            },
            /***/
            "./src/unsigned-int.js"(__unused_webpack_module, __webpack_exports__2, __webpack_require__2) {
              "use strict";
              __webpack_require__2.r(__webpack_exports__2);
              __webpack_require__2.d(__webpack_exports__2, {
                /* harmony export */
                UnsignedInt: () => (
                  /* binding */
                  UnsignedInt
                )
                /* harmony export */
              });
              var _xdr_type__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__2(
                /*! ./xdr-type */
                "./src/xdr-type.js"
              );
              var _errors__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__2(
                /*! ./errors */
                "./src/errors.js"
              );
              const MAX_VALUE = 4294967295;
              const MIN_VALUE = 0;
              class UnsignedInt extends _xdr_type__WEBPACK_IMPORTED_MODULE_0__.XdrPrimitiveType {
                /**
                 * @inheritDoc
                 */
                static read(reader) {
                  return reader.readUInt32BE();
                }
                /**
                 * @inheritDoc
                 */
                static write(value, writer) {
                  if (typeof value !== "number" || !(value >= MIN_VALUE && value <= MAX_VALUE) || value % 1 !== 0) throw new _errors__WEBPACK_IMPORTED_MODULE_1__.XdrWriterError("invalid u32 value");
                  writer.writeUInt32BE(value);
                }
                /**
                 * @inheritDoc
                 */
                static isValid(value) {
                  if (typeof value !== "number" || value % 1 !== 0) {
                    return false;
                  }
                  return value >= MIN_VALUE && value <= MAX_VALUE;
                }
              }
              UnsignedInt.MAX_VALUE = MAX_VALUE;
              UnsignedInt.MIN_VALUE = MIN_VALUE;
            },
            /***/
            "./src/var-array.js"(__unused_webpack_module, __webpack_exports__2, __webpack_require__2) {
              "use strict";
              __webpack_require__2.r(__webpack_exports__2);
              __webpack_require__2.d(__webpack_exports__2, {
                /* harmony export */
                VarArray: () => (
                  /* binding */
                  VarArray
                )
                /* harmony export */
              });
              var _unsigned_int__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__2(
                /*! ./unsigned-int */
                "./src/unsigned-int.js"
              );
              var _xdr_type__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__2(
                /*! ./xdr-type */
                "./src/xdr-type.js"
              );
              var _errors__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__2(
                /*! ./errors */
                "./src/errors.js"
              );
              class VarArray extends _xdr_type__WEBPACK_IMPORTED_MODULE_1__.NestedXdrType {
                constructor(childType, maxLength = _unsigned_int__WEBPACK_IMPORTED_MODULE_0__.UnsignedInt.MAX_VALUE, maxDepth = _xdr_type__WEBPACK_IMPORTED_MODULE_1__.NestedXdrType.DEFAULT_MAX_DEPTH) {
                  super(maxDepth);
                  this._childType = childType;
                  this._maxLength = maxLength;
                }
                /**
                 * @inheritDoc
                 */
                read(reader, remainingDepth = this._maxDepth) {
                  _xdr_type__WEBPACK_IMPORTED_MODULE_1__.NestedXdrType.checkDepth(remainingDepth);
                  const length = _unsigned_int__WEBPACK_IMPORTED_MODULE_0__.UnsignedInt.read(reader);
                  if (length > this._maxLength) throw new _errors__WEBPACK_IMPORTED_MODULE_2__.XdrReaderError(`saw ${length} length VarArray, max allowed is ${this._maxLength}`);
                  if (length > reader.remainingBytes()) {
                    throw new _errors__WEBPACK_IMPORTED_MODULE_2__.XdrReaderError(`VarArray length ${length} exceeds remaining ${reader.remainingBytes()} bytes`);
                  }
                  const result = [];
                  for (let i = 0; i < length; i++) {
                    result.push(this._childType.read(reader, remainingDepth - 1));
                  }
                  return result;
                }
                /**
                 * @inheritDoc
                 */
                write(value, writer) {
                  if (!(value instanceof Array)) throw new _errors__WEBPACK_IMPORTED_MODULE_2__.XdrWriterError(`value is not array`);
                  if (value.length > this._maxLength) throw new _errors__WEBPACK_IMPORTED_MODULE_2__.XdrWriterError(`got array of size ${value.length}, max allowed is ${this._maxLength}`);
                  _unsigned_int__WEBPACK_IMPORTED_MODULE_0__.UnsignedInt.write(value.length, writer);
                  for (const child of value) {
                    this._childType.write(child, writer);
                  }
                }
                /**
                 * @inheritDoc
                 */
                isValid(value) {
                  if (!(value instanceof Array) || value.length > this._maxLength) {
                    return false;
                  }
                  for (const child of value) {
                    if (!this._childType.isValid(child)) return false;
                  }
                  return true;
                }
              }
            },
            /***/
            "./src/var-opaque.js"(__unused_webpack_module, __webpack_exports__2, __webpack_require__2) {
              "use strict";
              __webpack_require__2.r(__webpack_exports__2);
              __webpack_require__2.d(__webpack_exports__2, {
                /* harmony export */
                VarOpaque: () => (
                  /* binding */
                  VarOpaque
                )
                /* harmony export */
              });
              var _unsigned_int__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__2(
                /*! ./unsigned-int */
                "./src/unsigned-int.js"
              );
              var _xdr_type__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__2(
                /*! ./xdr-type */
                "./src/xdr-type.js"
              );
              var _errors__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__2(
                /*! ./errors */
                "./src/errors.js"
              );
              class VarOpaque extends _xdr_type__WEBPACK_IMPORTED_MODULE_1__.XdrCompositeType {
                constructor(maxLength = _unsigned_int__WEBPACK_IMPORTED_MODULE_0__.UnsignedInt.MAX_VALUE) {
                  super();
                  this._maxLength = maxLength;
                }
                /**
                 * @inheritDoc
                 */
                read(reader) {
                  const size = _unsigned_int__WEBPACK_IMPORTED_MODULE_0__.UnsignedInt.read(reader);
                  if (size > this._maxLength) throw new _errors__WEBPACK_IMPORTED_MODULE_2__.XdrReaderError(`saw ${size} length VarOpaque, max allowed is ${this._maxLength}`);
                  return reader.read(size);
                }
                /**
                 * @inheritDoc
                 */
                write(value, writer) {
                  const {
                    length
                  } = value;
                  if (value.length > this._maxLength) throw new _errors__WEBPACK_IMPORTED_MODULE_2__.XdrWriterError(`got ${value.length} bytes, max allowed is ${this._maxLength}`);
                  _unsigned_int__WEBPACK_IMPORTED_MODULE_0__.UnsignedInt.write(length, writer);
                  writer.write(value, length);
                }
                /**
                 * @inheritDoc
                 */
                isValid(value) {
                  return Buffer.isBuffer(value) && value.length <= this._maxLength;
                }
              }
            },
            /***/
            "./src/void.js"(__unused_webpack_module, __webpack_exports__2, __webpack_require__2) {
              "use strict";
              __webpack_require__2.r(__webpack_exports__2);
              __webpack_require__2.d(__webpack_exports__2, {
                /* harmony export */
                Void: () => (
                  /* binding */
                  Void
                )
                /* harmony export */
              });
              var _xdr_type__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__2(
                /*! ./xdr-type */
                "./src/xdr-type.js"
              );
              var _errors__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__2(
                /*! ./errors */
                "./src/errors.js"
              );
              class Void extends _xdr_type__WEBPACK_IMPORTED_MODULE_0__.XdrPrimitiveType {
                /* jshint unused: false */
                static read() {
                  return void 0;
                }
                static write(value) {
                  if (value !== void 0) throw new _errors__WEBPACK_IMPORTED_MODULE_1__.XdrWriterError("trying to write value to a void slot");
                }
                static isValid(value) {
                  return value === void 0;
                }
              }
            },
            /***/
            "./src/xdr-type.js"(__unused_webpack_module, __webpack_exports__2, __webpack_require__2) {
              "use strict";
              __webpack_require__2.r(__webpack_exports__2);
              __webpack_require__2.d(__webpack_exports__2, {
                /* harmony export */
                NestedXdrType: () => (
                  /* binding */
                  NestedXdrType
                ),
                /* harmony export */
                XdrCompositeType: () => (
                  /* binding */
                  XdrCompositeType
                ),
                /* harmony export */
                XdrPrimitiveType: () => (
                  /* binding */
                  XdrPrimitiveType
                ),
                /* harmony export */
                hasConstructor: () => (
                  /* binding */
                  hasConstructor
                ),
                /* harmony export */
                isSerializableIsh: () => (
                  /* binding */
                  isSerializableIsh
                )
                /* harmony export */
              });
              var _serialization_xdr_reader__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__2(
                /*! ./serialization/xdr-reader */
                "./src/serialization/xdr-reader.js"
              );
              var _serialization_xdr_writer__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__2(
                /*! ./serialization/xdr-writer */
                "./src/serialization/xdr-writer.js"
              );
              var _errors__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__2(
                /*! ./errors */
                "./src/errors.js"
              );
              class XdrType {
                /**
                 * Encode value to XDR format
                 * @param {XdrEncodingFormat} [format] - Encoding format (one of "raw", "hex", "base64")
                 * @return {String|Buffer}
                 */
                toXDR(format = "raw") {
                  if (!this.write) return this.constructor.toXDR(this, format);
                  const writer = new _serialization_xdr_writer__WEBPACK_IMPORTED_MODULE_1__.XdrWriter();
                  this.write(this, writer);
                  return encodeResult(writer.finalize(), format);
                }
                /**
                 * Decode XDR-encoded value
                 * @param {Buffer|String} input - XDR-encoded input data
                 * @param {XdrEncodingFormat} [format] - Encoding format (one of "raw", "hex", "base64")
                 * @return {this}
                 */
                fromXDR(input, format = "raw") {
                  if (!this.read) return this.constructor.fromXDR(input, format);
                  const reader = new _serialization_xdr_reader__WEBPACK_IMPORTED_MODULE_0__.XdrReader(decodeInput(input, format));
                  const result = this.read(reader);
                  reader.ensureInputConsumed();
                  return result;
                }
                /**
                 * Check whether input contains a valid XDR-encoded value
                 * @param {Buffer|String} input - XDR-encoded input data
                 * @param {XdrEncodingFormat} [format] - Encoding format (one of "raw", "hex", "base64")
                 * @return {Boolean}
                 */
                validateXDR(input, format = "raw") {
                  try {
                    this.fromXDR(input, format);
                    return true;
                  } catch (e) {
                    return false;
                  }
                }
                /**
                 * Encode value to XDR format
                 * @param {this} value - Value to serialize
                 * @param {XdrEncodingFormat} [format] - Encoding format (one of "raw", "hex", "base64")
                 * @return {Buffer}
                 */
                static toXDR(value, format = "raw") {
                  const writer = new _serialization_xdr_writer__WEBPACK_IMPORTED_MODULE_1__.XdrWriter();
                  this.write(value, writer);
                  return encodeResult(writer.finalize(), format);
                }
                /**
                 * Decode XDR-encoded value
                 * @param {Buffer|String} input - XDR-encoded input data
                 * @param {XdrEncodingFormat} [format] - Encoding format (one of "raw", "hex", "base64")
                 * @return {this}
                 */
                static fromXDR(input, format = "raw") {
                  const reader = new _serialization_xdr_reader__WEBPACK_IMPORTED_MODULE_0__.XdrReader(decodeInput(input, format));
                  const result = this.read(reader);
                  reader.ensureInputConsumed();
                  return result;
                }
                /**
                 * Check whether input contains a valid XDR-encoded value
                 * @param {Buffer|String} input - XDR-encoded input data
                 * @param {XdrEncodingFormat} [format] - Encoding format (one of "raw", "hex", "base64")
                 * @return {Boolean}
                 */
                static validateXDR(input, format = "raw") {
                  try {
                    this.fromXDR(input, format);
                    return true;
                  } catch (e) {
                    return false;
                  }
                }
              }
              class XdrPrimitiveType extends XdrType {
                /**
                 * Read value from the XDR-serialized input
                 * @param {XdrReader} reader - XdrReader instance
                 * @return {this}
                 * @abstract
                 */
                // eslint-disable-next-line no-unused-vars
                static read(reader) {
                  throw new _errors__WEBPACK_IMPORTED_MODULE_2__.XdrNotImplementedDefinitionError();
                }
                /**
                 * Write XDR value to the buffer
                 * @param {this} value - Value to write
                 * @param {XdrWriter} writer - XdrWriter instance
                 * @return {void}
                 * @abstract
                 */
                // eslint-disable-next-line no-unused-vars
                static write(value, writer) {
                  throw new _errors__WEBPACK_IMPORTED_MODULE_2__.XdrNotImplementedDefinitionError();
                }
                /**
                 * Check whether XDR primitive value is valid
                 * @param {this} value - Value to check
                 * @return {Boolean}
                 * @abstract
                 */
                // eslint-disable-next-line no-unused-vars
                static isValid(value) {
                  return false;
                }
              }
              class XdrCompositeType extends XdrType {
                // Every descendant should implement two methods: read(reader) and write(value, writer)
                /**
                 * Check whether XDR primitive value is valid
                 * @param {this} value - Value to check
                 * @return {Boolean}
                 * @abstract
                 */
                // eslint-disable-next-line no-unused-vars
                isValid(value) {
                  return false;
                }
              }
              class NestedXdrType extends XdrCompositeType {
                /**
                 * @constructor
                 * @param {number} maxDepth - Maximum allowed depth for nested structures (e.g. arrays of arrays), to prevent DoS via excessively deep nesting
                 */
                constructor(maxDepth) {
                  super();
                  this._maxDepth = maxDepth ?? NestedXdrType.DEFAULT_MAX_DEPTH;
                }
                /**
                 * Check remaining depth budget and throw if exceeded
                 * @param {number} remainingDepth - Remaining recursion budget
                 * @returns {void}
                 * @throws {XdrReaderError} If remaining depth budget is exhausted
                 * @throws {TypeError} If remainingDepth is not a finite number
                 * @protected
                 */
                static checkDepth(remainingDepth) {
                  if (remainingDepth === void 0) return;
                  if (!Number.isFinite(remainingDepth)) {
                    throw new TypeError(`remainingDepth (current remaining decoding depth budget) must be a finite number, got ${typeof remainingDepth}: ${remainingDepth}`);
                  }
                  if (remainingDepth < 0) {
                    throw new _errors__WEBPACK_IMPORTED_MODULE_2__.XdrReaderError("exceeded max decoding depth");
                  }
                }
              }
              NestedXdrType.DEFAULT_MAX_DEPTH = 200;
              NestedXdrType._maxDepth = NestedXdrType.DEFAULT_MAX_DEPTH;
              class InvalidXdrEncodingFormatError extends TypeError {
                constructor(format) {
                  super(`Invalid format ${format}, must be one of "raw", "hex", "base64"`);
                }
              }
              function encodeResult(buffer, format) {
                switch (format) {
                  case "raw":
                    return buffer;
                  case "hex":
                    return buffer.toString("hex");
                  case "base64":
                    return buffer.toString("base64");
                  default:
                    throw new InvalidXdrEncodingFormatError(format);
                }
              }
              function decodeInput(input, format) {
                switch (format) {
                  case "raw":
                    return input;
                  case "hex":
                    return Buffer.from(input, "hex");
                  case "base64":
                    return Buffer.from(input, "base64");
                  default:
                    throw new InvalidXdrEncodingFormatError(format);
                }
              }
              function isSerializableIsh(value, subtype) {
                return value !== void 0 && value !== null && // prereqs, otherwise `getPrototypeOf` pops
                (value instanceof subtype || // quickest check
                // Do an initial constructor check (anywhere is fine so that children of
                // `subtype` still work), then
                hasConstructor(value, subtype) && // ensure it has read/write methods, then
                typeof value.constructor.read === "function" && typeof value.constructor.write === "function" && // ensure XdrType is in the prototype chain
                hasConstructor(value, "XdrType"));
              }
              function hasConstructor(instance, subtype) {
                do {
                  const ctor = instance.constructor;
                  if (ctor.name === subtype) {
                    return true;
                  }
                } while (instance = Object.getPrototypeOf(instance));
                return false;
              }
            }
            /******/
          };
          var __webpack_module_cache__ = {};
          function __webpack_require__(moduleId) {
            var cachedModule = __webpack_module_cache__[moduleId];
            if (cachedModule !== void 0) {
              return cachedModule.exports;
            }
            if (__webpack_modules__[moduleId] === void 0) {
              var e = new Error("Cannot find module '" + moduleId + "'");
              e.code = "MODULE_NOT_FOUND";
              throw e;
            }
            var module2 = __webpack_module_cache__[moduleId] = {
              /******/
              // no module.id needed
              /******/
              // no module.loaded needed
              /******/
              exports: {}
              /******/
            };
            __webpack_modules__[moduleId](module2, module2.exports, __webpack_require__);
            return module2.exports;
          }
          (() => {
            __webpack_require__.d = (exports2, definition) => {
              for (var key in definition) {
                if (__webpack_require__.o(definition, key) && !__webpack_require__.o(exports2, key)) {
                  Object.defineProperty(exports2, key, { enumerable: true, get: definition[key] });
                }
              }
            };
          })();
          (() => {
            __webpack_require__.o = (obj, prop) => Object.prototype.hasOwnProperty.call(obj, prop);
          })();
          (() => {
            __webpack_require__.r = (exports2) => {
              if (typeof Symbol !== "undefined" && Symbol.toStringTag) {
                Object.defineProperty(exports2, Symbol.toStringTag, { value: "Module" });
              }
              Object.defineProperty(exports2, "__esModule", { value: true });
            };
          })();
          var __webpack_exports__ = __webpack_require__("./src/browser.js");
          return __webpack_exports__;
        })()
      );
    });
  }
});

// packages/lcm-io/src/containers.ts
var import_js_xdr = __toESM(require_xdr(), 1);
import { readFile } from "node:fs/promises";
import { xdr as stellarXdr } from "@stellar/stellar-base";

// packages/lcm-io/src/errors.ts
var LedgerFileError = class extends Error {
  constructor(file2, reason, offset, sequence) {
    super(
      `${file2}${offset !== void 0 ? ` at byte ${offset}` : ""}${sequence !== void 0 ? ` (ledger ${sequence})` : ""}: ${reason}`
    );
    this.file = file2;
    this.reason = reason;
    this.offset = offset;
    this.sequence = sequence;
  }
  file;
  reason;
  offset;
  sequence;
  name = "LedgerFileError";
};

// packages/lcm-io/src/header.ts
var HeaderPeekError = class extends Error {
  constructor(offset, reason) {
    super(reason);
    this.offset = offset;
  }
  offset;
  name = "HeaderPeekError";
};
var pad4 = (n2) => n2 + 3 & ~3;
function peekLedgerHeader(xdr8) {
  const { peek } = walkHeader(xdr8);
  return peek;
}
function walkHeader(xdr8) {
  const buf = Buffer.isBuffer(xdr8) ? xdr8 : Buffer.from(xdr8.buffer, xdr8.byteOffset, xdr8.byteLength);
  let off = 0;
  const need = (n2) => {
    if (off + n2 > buf.length) {
      throw new HeaderPeekError(
        off,
        `ledger header truncated: need ${n2} bytes at offset ${off}, have ${buf.length - off}`
      );
    }
  };
  const u32 = () => {
    need(4);
    const v = buf.readUInt32BE(off);
    off += 4;
    return v;
  };
  const skip = (n2) => {
    need(n2);
    off += n2;
  };
  const hex2 = (n2) => {
    need(n2);
    const s = buf.toString("hex", off, off + n2);
    off += n2;
    return s;
  };
  const version = u32();
  if (version > 2) throw new HeaderPeekError(0, `unknown LedgerCloseMeta version ${version}`);
  if (version > 0) {
    const ext2 = u32();
    if (ext2 === 1) skip(12);
    else if (ext2 !== 0) throw new HeaderPeekError(4, `unknown LedgerCloseMeta extension ${ext2}`);
  }
  const hashOffset = off;
  const hash = hex2(32);
  const headerStart = off;
  const protocolVersion = u32();
  const previousHashOffset = off;
  const previousLedgerHash = hex2(32);
  skip(32);
  need(8);
  const closeTimeOffset = off;
  const closeTime = Number(buf.readBigUInt64BE(off));
  off += 8;
  const upgrades = u32();
  if (upgrades > 6) throw new HeaderPeekError(off - 4, `${upgrades} upgrades (at most 6)`);
  for (let i = 0; i < upgrades; i++) skip(pad4(u32()));
  const ext = u32();
  if (ext === 1) {
    const keyType = u32();
    if (keyType !== 0) throw new HeaderPeekError(off - 4, `unknown node id key type ${keyType}`);
    skip(32);
    const sigLen = u32();
    if (sigLen > 64) throw new HeaderPeekError(off - 4, `signature of ${sigLen} bytes (at most 64)`);
    skip(pad4(sigLen));
  } else if (ext !== 0) {
    throw new HeaderPeekError(off - 4, `unknown StellarValue extension ${ext}`);
  }
  skip(64);
  const sequenceOffset = off;
  const sequence = u32();
  skip(8 + 8 + 4 + 8 + 4 + 4 + 4 + 4 * 32);
  const headerExt = u32();
  if (headerExt === 1) {
    skip(4);
    const inner = u32();
    if (inner !== 0) throw new HeaderPeekError(off - 4, `unknown LedgerHeaderExtensionV1 extension ${inner}`);
  } else if (headerExt !== 0) {
    throw new HeaderPeekError(off - 4, `unknown LedgerHeader extension ${headerExt}`);
  }
  return {
    peek: { version, sequence, protocolVersion, hash, previousLedgerHash, closeTime },
    layout: { hashOffset, headerStart, headerEnd: off, previousHashOffset, closeTimeOffset, sequenceOffset }
  };
}
function peekLedgerSequence(xdr8) {
  return peekLedgerHeader(xdr8).sequence;
}

// packages/lcm-io/src/zstd.ts
import { Compressor, Decompressor } from "zstd-napi";
var ZSTD_MAGIC = 4247762216;
function isZstd(bytes) {
  return bytes.length >= 4 && Buffer.from(bytes.buffer, bytes.byteOffset, 4).readUInt32LE(0) === ZSTD_MAGIC;
}
function zstdIncompleteReason(buf) {
  let off = 0;
  while (off < buf.length) {
    if (off + 4 > buf.length) return `truncated frame magic at byte ${off}`;
    const magic = buf.readUInt32LE(off);
    if ((magic & 4294967280) === 407710288) {
      if (off + 8 > buf.length) return `truncated skippable frame at byte ${off}`;
      off += 8 + buf.readUInt32LE(off + 4);
      continue;
    }
    if (magic !== ZSTD_MAGIC) return `bad frame magic at byte ${off}`;
    off += 4;
    if (off >= buf.length) return "truncated frame header";
    const fhd = buf[off];
    off += 1;
    const fcsFlag = fhd >> 6;
    const singleSegment = fhd >> 5 & 1;
    const checksum = fhd >> 2 & 1;
    const didSize = [0, 1, 2, 4][fhd & 3];
    const fcsSize = fcsFlag === 0 ? singleSegment : [1, 2, 4, 8][fcsFlag];
    off += (singleSegment ? 0 : 1) + didSize + fcsSize;
    for (; ; ) {
      if (off + 3 > buf.length) return `truncated block header at byte ${off}`;
      const h = buf[off] | buf[off + 1] << 8 | buf[off + 2] << 16;
      off += 3;
      const last = h & 1;
      const type = h >> 1 & 3;
      const size = h >> 3;
      if (type === 3) return `reserved block type at byte ${off - 3}`;
      off += type === 1 ? 1 : size;
      if (off > buf.length) return `block runs past the end (byte ${off - (type === 1 ? 1 : size)})`;
      if (last) break;
    }
    off += checksum ? 4 : 0;
    if (off > buf.length) return "truncated frame checksum";
  }
  return void 0;
}
function decompressZstd(bytes) {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const incomplete = zstdIncompleteReason(buf);
  if (incomplete) throw new Error(incomplete);
  return Buffer.from(new Decompressor().decompress(buf));
}

// packages/lcm-io/src/containers.ts
var { XdrReader } = import_js_xdr.default;
var LAST_FRAGMENT = 2147483648;
function sequenceAt(file2, xdr8, offset) {
  try {
    return peekLedgerSequence(xdr8);
  } catch (err) {
    const at = err instanceof HeaderPeekError ? offset + err.offset : offset;
    throw new LedgerFileError(file2, `not a LedgerCloseMeta: ${err.message}`, at);
  }
}
function detectContainer(buf, file2) {
  if (buf.length < 4) throw new LedgerFileError(file2, `only ${buf.length} bytes: not a ledger container`, 0);
  const first = buf.readUInt32BE(0);
  if (first & LAST_FRAGMENT) return "framed";
  if (buf.length >= 12) {
    const end = buf.readUInt32BE(4);
    const count = buf.readUInt32BE(8);
    if (end >= first && count === end - first + 1) return "batch";
  }
  if (first + 4 <= buf.length) return "framed";
  throw new LedgerFileError(
    file2,
    "neither a LedgerCloseMetaBatch nor a record-marked LedgerCloseMeta stream",
    0
  );
}
function splitFramed(buf, file2) {
  const out2 = [];
  let off = 0;
  while (off < buf.length) {
    const recordStart = off;
    const parts = [];
    for (; ; ) {
      if (off + 4 > buf.length) throw new LedgerFileError(file2, "truncated record header", off);
      const header = buf.readUInt32BE(off);
      const len = header & ~LAST_FRAGMENT;
      if (off + 4 + len > buf.length) {
        throw new LedgerFileError(
          file2,
          `record of ${len} bytes runs past the end (${buf.length - off - 4} left)`,
          off
        );
      }
      parts.push(buf.subarray(off + 4, off + 4 + len));
      off += 4 + len;
      if (header & LAST_FRAGMENT) break;
    }
    const xdr8 = parts.length === 1 ? parts[0] : Buffer.concat(parts);
    const sequence = sequenceAt(file2, xdr8, recordStart + 4);
    out2.push({ sequence, xdr: xdr8, offset: recordStart + 4 });
  }
  return out2;
}
function splitBatch(buf, file2, wholeFrame) {
  const start = buf.readUInt32BE(0);
  const end = buf.readUInt32BE(4);
  const count = buf.readUInt32BE(8);
  if (count !== end - start + 1) {
    throw new LedgerFileError(file2, `batch ${start}-${end} declares ${count} ledgers`, 8);
  }
  if (count === 1 && wholeFrame) {
    const xdr8 = buf.subarray(12);
    const sequence = sequenceAt(file2, xdr8, 12);
    if (sequence !== start)
      throw new LedgerFileError(file2, `batch ${start} holds ledger ${sequence}`, 12, sequence);
    return [{ sequence, xdr: xdr8, offset: 12 }];
  }
  const reader = new XdrReader(buf);
  reader.advance(12);
  const out2 = [];
  for (let i = 0; i < count; i++) {
    const from = reader._index;
    const expected = start + i;
    try {
      stellarXdr.LedgerCloseMeta.read(reader);
    } catch (err) {
      throw new LedgerFileError(
        file2,
        `cannot decode ledger ${i + 1} of ${count}: ${err.message}`,
        from,
        expected
      );
    }
    const to = reader._index;
    const xdr8 = buf.subarray(from, to);
    const sequence = sequenceAt(file2, xdr8, from);
    if (sequence !== expected)
      throw new LedgerFileError(file2, `expected ledger ${expected}, found ${sequence}`, from, sequence);
    out2.push({ sequence, xdr: xdr8, offset: from });
  }
  if (!reader.eof)
    throw new LedgerFileError(
      file2,
      "trailing bytes after the last ledger",
      reader._index
    );
  return out2;
}
function splitLedgers(bytes, file2 = "<bytes>") {
  let buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const compressed = isZstd(buf);
  if (compressed) {
    try {
      buf = decompressZstd(buf);
    } catch (err) {
      throw new LedgerFileError(file2, `corrupt zstd data: ${err.message}`);
    }
  }
  return detectContainer(buf, file2) === "framed" ? splitFramed(buf, file2) : splitBatch(buf, file2, compressed);
}
async function readLedgerFile(path2) {
  let bytes;
  try {
    bytes = await readFile(path2);
  } catch (err) {
    throw new LedgerFileError(path2, err.message);
  }
  return splitLedgers(bytes, path2);
}

// packages/test-support/src/fixtures.ts
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
var repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
var fixturesDir = process.env.STELLAR_LAKE_FIXTURES ?? resolve(repoRoot, "../shared/fixtures");
var fixturesAvailable = existsSync(join(fixturesDir, "README.md"));
function fixture(relative) {
  return join(fixturesDir, relative);
}

// packages/transform/src/changes/scval-xdr.ts
var Out = class {
  buf = Buffer.allocUnsafe(256);
  len = 0;
  ensure(n2) {
    if (this.len + n2 <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n2));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }
  u32(v) {
    this.ensure(4);
    this.buf.writeUInt32BE(v >>> 0, this.len);
    this.len += 4;
  }
  i32(v) {
    this.ensure(4);
    this.buf.writeInt32BE(v, this.len);
    this.len += 4;
  }
  /** The bytes written so far, copied out; the writer can then be reset and reused. */
  take() {
    const b = Buffer.from(this.buf.subarray(0, this.len));
    this.len = 0;
    return b;
  }
  u64(v) {
    this.ensure(8);
    this.buf.writeBigUInt64BE(BigInt.asUintN(64, v), this.len);
    this.len += 8;
  }
  opaque(b) {
    const pad = (4 - b.length % 4) % 4;
    this.u32(b.length);
    this.ensure(b.length + pad);
    this.buf.set(b, this.len);
    this.len += b.length;
    this.buf.fill(0, this.len, this.len + pad);
    this.len += pad;
  }
  fixed(b) {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }
};
function bytesOf(v) {
  return typeof v === "string" ? Buffer.from(v, "utf8") : v;
}
function writeScVal(o, v) {
  const t = v.switch().value;
  switch (t) {
    case 0:
      o.u32(t);
      o.u32(v.b() ? 1 : 0);
      return;
    case 1:
    case 20:
      o.u32(t);
      return;
    case 3:
      o.u32(t);
      o.u32(v.u32());
      return;
    case 4:
      o.u32(t);
      o.i32(v.i32());
      return;
    case 5:
      o.u32(t);
      o.u64(v.u64().toBigInt());
      return;
    case 6:
      o.u32(t);
      o.u64(v.i64().toBigInt());
      return;
    case 7:
      o.u32(t);
      o.u64(v.timepoint().toBigInt());
      return;
    case 8:
      o.u32(t);
      o.u64(v.duration().toBigInt());
      return;
    case 9: {
      const p = v.u128();
      o.u32(t);
      o.u64(p.hi().toBigInt());
      o.u64(p.lo().toBigInt());
      return;
    }
    case 10: {
      const p = v.i128();
      o.u32(t);
      o.u64(p.hi().toBigInt());
      o.u64(p.lo().toBigInt());
      return;
    }
    case 11:
    case 12: {
      const p = t === 11 ? v.u256() : v.i256();
      o.u32(t);
      o.u64(p.hiHi().toBigInt());
      o.u64(p.hiLo().toBigInt());
      o.u64(p.loHi().toBigInt());
      o.u64(p.loLo().toBigInt());
      return;
    }
    case 13:
      o.u32(t);
      o.opaque(v.bytes());
      return;
    case 14:
      o.u32(t);
      o.opaque(bytesOf(v.str()));
      return;
    case 15:
      o.u32(t);
      o.opaque(bytesOf(v.sym()));
      return;
    case 16: {
      const vec = v.vec();
      o.u32(t);
      if (!vec) {
        o.u32(0);
        return;
      }
      o.u32(1);
      o.u32(vec.length);
      for (const item of vec) writeScVal(o, item);
      return;
    }
    case 17: {
      const map = v.map();
      o.u32(t);
      if (!map) {
        o.u32(0);
        return;
      }
      o.u32(1);
      o.u32(map.length);
      for (const e of map) {
        writeScVal(o, e.key());
        writeScVal(o, e.val());
      }
      return;
    }
    case 18: {
      const a = v.address();
      const at = a.switch().value;
      if (at === 0) {
        o.u32(t);
        o.u32(0);
        o.u32(a.accountId().switch().value);
        o.fixed(a.accountId().ed25519());
        return;
      }
      if (at === 1) {
        o.u32(t);
        o.u32(1);
        o.fixed(a.contractId());
        return;
      }
      o.fixed(v.toXDR());
      return;
    }
    case 21:
      o.u32(t);
      o.u64(v.nonceKey().nonce().toBigInt());
      return;
    default:
      o.fixed(v.toXDR());
  }
}
var shared = new Out();
function scValBase64(v) {
  shared.len = 0;
  writeScVal(shared, v);
  return shared.buf.toString("base64", 0, shared.len);
}

// packages/transform/src/changes/key-xdr.ts
var out = new Out();
function accountId(o, id) {
  o.u32(0);
  o.fixed(id.ed25519());
}
function scAddress(o, a) {
  const t = a.switch().value;
  if (t === 0) {
    o.u32(0);
    accountId(o, a.accountId());
    return true;
  }
  if (t === 1) {
    o.u32(1);
    o.fixed(a.contractId());
    return true;
  }
  return false;
}
function trustLineAsset(o, a) {
  const t = a.switch().value;
  o.u32(t);
  if (t === 1) {
    o.fixed(a.alphaNum4().assetCode());
    accountId(o, a.alphaNum4().issuer());
  } else if (t === 2) {
    o.fixed(a.alphaNum12().assetCode());
    accountId(o, a.alphaNum12().issuer());
  } else if (t === 3) {
    o.fixed(a.liquidityPoolId());
  }
}
function entryKeyXdr(entry) {
  const d = entry.data();
  const t = d.switch().value;
  out.len = 0;
  out.u32(t);
  switch (t) {
    case 0:
      accountId(out, d.account().accountId());
      break;
    case 1:
      accountId(out, d.trustLine().accountId());
      trustLineAsset(out, d.trustLine().asset());
      break;
    case 2:
      accountId(out, d.offer().sellerId());
      out.u64(d.offer().offerId().toBigInt());
      break;
    case 3: {
      accountId(out, d.data().accountId());
      const name = d.data().dataName();
      out.opaque(typeof name === "string" ? Buffer.from(name, "utf8") : name);
      break;
    }
    case 4: {
      const id = d.claimableBalance().balanceId();
      out.u32(id.switch().value);
      out.fixed(id.v0());
      break;
    }
    case 5:
      out.fixed(d.liquidityPool().liquidityPoolId());
      break;
    case 6: {
      const cd = d.contractData();
      if (!scAddress(out, cd.contract())) return null;
      writeScVal(out, cd.key());
      out.u32(cd.durability().value);
      break;
    }
    case 7:
      out.fixed(d.contractCode().hash());
      break;
    case 8:
      out.u32(d.configSetting().switch().value);
      break;
    case 9:
      out.fixed(d.ttl().keyHash());
      break;
    default:
      return null;
  }
  return out.take();
}
function contractDataEntryXdr(cd) {
  out.len = 0;
  out.u32(0);
  if (!scAddress(out, cd.contract())) return null;
  writeScVal(out, cd.key());
  out.u32(cd.durability().value);
  writeScVal(out, cd.val());
  return out.take();
}

// packages/transform/src/changes/ledger.ts
import { xdr } from "@stellar/stellar-base";
function lcmBody(lcm) {
  switch (lcm.switch()) {
    case 0:
      return lcm.v0();
    case 1:
      return lcm.v1();
    case 2:
      return lcm.v2();
    default:
      throw new Error(`unsupported LedgerCloseMeta version ${lcm.switch()}`);
  }
}
function ledgerHeaderOf(lcm) {
  return lcmBody(lcm).ledgerHeader().header();
}
function txProcessingOf(lcm) {
  const v = lcm.switch();
  if (v === 2) {
    return lcm.v2().txProcessing().map((t, i) => ({
      index: i + 1,
      result: t.result(),
      feeProcessing: t.feeProcessing(),
      meta: t.txApplyProcessing(),
      postApplyFeeProcessing: t.postTxApplyFeeProcessing()
    }));
  }
  const list = v === 0 ? lcm.v0().txProcessing() : lcm.v1().txProcessing();
  return list.map((t, i) => ({
    index: i + 1,
    result: t.result(),
    feeProcessing: t.feeProcessing(),
    meta: t.txApplyProcessing(),
    postApplyFeeProcessing: []
  }));
}
function upgradesOf(lcm) {
  return lcmBody(lcm).upgradesProcessing();
}
function evictedKeysOf(lcm) {
  switch (lcm.switch()) {
    case 1: {
      const v1 = lcm.v1();
      return [...v1.evictedKeys(), ...v1.unused().map((e) => ledgerKeyOfData(e.data()))];
    }
    case 2:
      return lcm.v2().evictedKeys();
    default:
      return [];
  }
}
function ledgerKeyOf(entry) {
  return ledgerKeyOfData(entry.data());
}
function ledgerKeyOfData(data) {
  switch (data.switch().value) {
    case 0:
      return xdr.LedgerKey.account(new xdr.LedgerKeyAccount({ accountId: data.account().accountId() }));
    case 1: {
      const tl = data.trustLine();
      return xdr.LedgerKey.trustline(
        new xdr.LedgerKeyTrustLine({ accountId: tl.accountId(), asset: tl.asset() })
      );
    }
    case 2: {
      const o = data.offer();
      return xdr.LedgerKey.offer(new xdr.LedgerKeyOffer({ sellerId: o.sellerId(), offerId: o.offerId() }));
    }
    case 3: {
      const d = data.data();
      return xdr.LedgerKey.data(new xdr.LedgerKeyData({ accountId: d.accountId(), dataName: d.dataName() }));
    }
    case 4:
      return xdr.LedgerKey.claimableBalance(
        new xdr.LedgerKeyClaimableBalance({ balanceId: data.claimableBalance().balanceId() })
      );
    case 5:
      return xdr.LedgerKey.liquidityPool(
        new xdr.LedgerKeyLiquidityPool({ liquidityPoolId: data.liquidityPool().liquidityPoolId() })
      );
    case 6: {
      const c = data.contractData();
      return xdr.LedgerKey.contractData(
        new xdr.LedgerKeyContractData({ contract: c.contract(), key: c.key(), durability: c.durability() })
      );
    }
    case 7:
      return xdr.LedgerKey.contractCode(new xdr.LedgerKeyContractCode({ hash: data.contractCode().hash() }));
    case 8:
      return xdr.LedgerKey.configSetting(
        new xdr.LedgerKeyConfigSetting({ configSettingId: data.configSetting().switch() })
      );
    case 9:
      return xdr.LedgerKey.ttl(new xdr.LedgerKeyTtl({ keyHash: data.ttl().keyHash() }));
    default:
      throw new Error(`unknown LedgerEntryType ${data.switch().value}`);
  }
}

// packages/transform/src/changes/reader.ts
var CHANGE_CREATED = 0;
var CHANGE_UPDATED = 1;
var CHANGE_REMOVED = 2;
var CHANGE_STATE = 3;
var CHANGE_RESTORED = 4;
var LedgerChangeError = class extends Error {
  constructor(ledgerSequence, where, message) {
    super(`ledger ${ledgerSequence}, ${where}: ${message}`);
    this.ledgerSequence = ledgerSequence;
    this.where = where;
    this.name = "LedgerChangeError";
  }
  ledgerSequence;
  where;
};
function pairChanges(raw, origin) {
  const out2 = [];
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    const t = c.switch().value;
    if (t === CHANGE_STATE) continue;
    if (t === CHANGE_CREATED || t === CHANGE_RESTORED) {
      const post = t === CHANGE_CREATED ? c.created() : c.restored();
      out2.push(make(t, null, post, post, origin));
      continue;
    }
    const prev = i > 0 ? raw[i - 1] : void 0;
    const pt = prev?.switch().value;
    let pre;
    if (pt === CHANGE_STATE) pre = prev.state();
    else if (pt === CHANGE_RESTORED) pre = prev.restored();
    else
      throw new LedgerChangeError(
        origin.seq,
        `${origin.where} change ${i}`,
        `${t === CHANGE_UPDATED ? "UPDATED" : "REMOVED"} entry without a preceding STATE entry`
      );
    if (t === CHANGE_UPDATED) {
      const post = c.updated();
      out2.push(make(CHANGE_UPDATED, pre, post, post, origin));
    } else if (t === CHANGE_REMOVED) {
      out2.push(make(CHANGE_REMOVED, pre, null, pre, origin));
    } else {
      throw new LedgerChangeError(origin.seq, `${origin.where} change ${i}`, `unknown change type ${t}`);
    }
  }
  if (out2.length > 1) out2.sort((a, b) => Buffer.compare(a.keyXdr, b.keyXdr));
  return out2;
}
function make(type, pre, post, keySource, origin) {
  return {
    type,
    entryType: keySource.data().switch().value,
    pre,
    post,
    keyXdr: entryKeyXdr(keySource) ?? ledgerKeyOf(keySource).toXDR(),
    reason: origin.reason,
    txIndex: origin.txIndex,
    opIndex: origin.opIndex
  };
}
function metaParts(meta) {
  switch (meta.switch()) {
    case 0:
      return { before: [], ops: meta.operations().map((o) => o.changes()), after: [] };
    case 1: {
      const m = meta.v1();
      return { before: m.txChanges(), ops: m.operations().map((o) => o.changes()), after: [] };
    }
    case 2: {
      const m = meta.v2();
      return {
        before: m.txChangesBefore(),
        ops: m.operations().map((o) => o.changes()),
        after: m.txChangesAfter()
      };
    }
    case 3: {
      const m = meta.v3();
      return {
        before: m.txChangesBefore(),
        ops: m.operations().map((o) => o.changes()),
        after: m.txChangesAfter()
      };
    }
    case 4: {
      const m = meta.v4();
      return {
        before: m.txChangesBefore(),
        ops: m.operations().map((o) => o.changes()),
        after: m.txChangesAfter()
      };
    }
    default:
      throw new Error(`unsupported TransactionMeta version ${meta.switch()}`);
  }
}
var TX_INTERNAL_ERROR = -11;
function readTransactionChanges(tx, seq, protocolVersion) {
  const parts = metaParts(tx.meta);
  const base = { txIndex: tx.index, seq };
  const before = pairChanges(parts.before, {
    ...base,
    reason: "transaction",
    opIndex: null,
    where: `tx ${tx.index} txChangesBefore`
  });
  const internalError = tx.result.result().result().switch().value === TX_INTERNAL_ERROR;
  if (internalError && protocolVersion <= 12) return { txIndex: tx.index, before, operations: [], after: [] };
  const operations = parts.ops.map(
    (changes, opIndex) => pairChanges(changes, { ...base, reason: "operation", opIndex, where: `tx ${tx.index} op ${opIndex}` })
  );
  const after = pairChanges(parts.after, {
    ...base,
    reason: "transaction",
    opIndex: null,
    where: `tx ${tx.index} txChangesAfter`
  });
  return { txIndex: tx.index, before, operations, after };
}
function readLedgerChanges(lcm) {
  const header = ledgerHeaderOf(lcm);
  const seq = header.ledgerSeq();
  const protocol = header.ledgerVersion();
  const txs = txProcessingOf(lcm);
  const fee = [];
  for (const tx of txs) {
    fee.push(
      ...pairChanges(tx.feeProcessing, {
        reason: "fee",
        txIndex: tx.index,
        opIndex: null,
        seq,
        where: `tx ${tx.index} feeProcessing`
      })
    );
  }
  const transactions = txs.map((tx) => readTransactionChanges(tx, seq, protocol));
  const feeRefunds = [];
  for (const tx of txs) {
    feeRefunds.push(
      ...pairChanges(tx.postApplyFeeProcessing, {
        reason: "fee_refund",
        txIndex: tx.index,
        opIndex: null,
        seq,
        where: `tx ${tx.index} postTxApplyFeeProcessing`
      })
    );
  }
  const upgrades = [];
  upgradesOf(lcm).forEach((u, i) => {
    upgrades.push(
      ...pairChanges(u.changes(), {
        reason: "upgrade",
        txIndex: null,
        opIndex: null,
        seq,
        where: `upgrade ${i}`
      })
    );
  });
  const all = [...fee];
  for (const t of transactions) {
    all.push(...t.before);
    for (const op of t.operations) all.push(...op);
    all.push(...t.after);
  }
  all.push(...feeRefunds, ...upgrades);
  return { sequence: seq, all, fee, transactions, feeRefunds, upgrades };
}
var cache = /* @__PURE__ */ new WeakMap();
function ledgerChanges(lcm) {
  let c = cache.get(lcm);
  if (!c) {
    c = readLedgerChanges(lcm);
    cache.set(lcm, c);
  }
  return c;
}

// packages/transform/src/changes/compact.ts
import { xdr as xdr2 } from "@stellar/stellar-base";
function compactChanges(changes) {
  const byKey = /* @__PURE__ */ new Map();
  for (const c of changes) {
    const id = c.keyXdr.toString("latin1");
    const s = byKey.get(id);
    if (!s || s.gone) {
      const fresh = {
        type: c.type,
        entryType: c.entryType,
        pre: c.pre,
        post: c.post,
        keyXdr: c.keyXdr,
        gone: false
      };
      if (s) byKey.delete(id);
      byKey.set(id, fresh);
      continue;
    }
    merge(s, c);
  }
  const out2 = [];
  for (const s of byKey.values()) if (!s.gone) out2.push(s);
  return out2;
}
function merge(s, next) {
  switch (next.type) {
    case CHANGE_CREATED:
      if (s.type === CHANGE_REMOVED) {
        s.type = CHANGE_UPDATED;
      } else {
        s.type = CHANGE_CREATED;
        s.pre = null;
      }
      s.post = next.post;
      return;
    case CHANGE_UPDATED:
      if (s.type === CHANGE_REMOVED) {
        s.type = CHANGE_UPDATED;
        s.pre = next.pre;
        s.post = next.post;
        return;
      }
      s.post = next.entryType === 9 && s.post && next.post ? maxTtl(s.post, next.post) : next.post;
      return;
    case CHANGE_REMOVED:
      if (s.type === CHANGE_CREATED) {
        s.gone = true;
        return;
      }
      if (s.type === CHANGE_RESTORED) s.pre = next.pre;
      s.type = CHANGE_REMOVED;
      s.post = null;
      return;
    case CHANGE_RESTORED:
      s.type = CHANGE_RESTORED;
      s.pre = null;
      s.post = next.post;
      return;
  }
}
function maxTtl(a, b) {
  const la = a.data().ttl().liveUntilLedgerSeq();
  const lb = b.data().ttl().liveUntilLedgerSeq();
  if (lb >= la) return b;
  return new xdr2.LedgerEntry({
    lastModifiedLedgerSeq: b.lastModifiedLedgerSeq(),
    data: xdr2.LedgerEntryData.ttl(
      new xdr2.TtlEntry({ keyHash: b.data().ttl().keyHash(), liveUntilLedgerSeq: la })
    ),
    ext: b.ext()
  });
}

// packages/transform/src/changes/format.ts
import { createHash } from "node:crypto";

// packages/transform/src/changes/strkey-cache.ts
var LIMIT = 1e5;
var accounts = /* @__PURE__ */ new Map();
var contracts = /* @__PURE__ */ new Map();
function cached(map, raw, encode) {
  const b = Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
  const k = b.length >= 4 ? b.readUInt32LE(0) : -1;
  let bucket = map.get(k);
  if (bucket) {
    for (const e of bucket) if (e.bytes.equals(b)) return e.strkey;
  } else {
    if (map.size >= LIMIT) map.clear();
    bucket = [];
    map.set(k, bucket);
  }
  const strkey = encode(b);
  bucket.push({ bytes: Buffer.from(b), strkey });
  return strkey;
}
function accountStrkey(ed25519) {
  return cached(accounts, ed25519, (b) => encodeStrkey(VERSION_ACCOUNT, b));
}
function contractStrkey(id) {
  return cached(contracts, id, (b) => encodeStrkey(VERSION_CONTRACT, b));
}
var VERSION_ACCOUNT = 6 << 3;
var VERSION_CONTRACT = 2 << 3;
var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
function crc16xmodem(b, len) {
  let crc = 0;
  for (let i = 0; i < len; i++) {
    crc ^= b[i] << 8;
    for (let j = 0; j < 8; j++) crc = crc & 32768 ? (crc << 1 ^ 4129) & 65535 : crc << 1 & 65535;
  }
  return crc;
}
function encodeStrkey(version, payload) {
  const n2 = payload.length + 3;
  const raw = new Uint8Array(n2);
  raw[0] = version;
  raw.set(payload, 1);
  const crc = crc16xmodem(raw, n2 - 2);
  raw[n2 - 2] = crc & 255;
  raw[n2 - 1] = crc >> 8;
  let out2 = "";
  let bits = 0;
  let value = 0;
  for (let i = 0; i < n2; i++) {
    value = value << 8 | raw[i];
    bits += 8;
    while (bits >= 5) {
      out2 += ALPHABET[value >>> bits - 5 & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out2 += ALPHABET[value << 5 - bits & 31];
  return out2;
}

// packages/transform/src/changes/format.ts
function accountIdString(id) {
  return accountStrkey(id.ed25519());
}
function muxedBaseAddress(m) {
  return accountStrkey(m.switch().value === 0 ? m.ed25519() : m.med25519().ed25519());
}
var NATIVE = { type: "native", code: "", issuer: "", poolId: "" };
function assetCode(raw) {
  let end = raw.length;
  while (end > 0 && raw[end - 1] === 0) end--;
  return raw.subarray(0, end).toString("utf8");
}
function assetParts(a) {
  switch (a.switch().value) {
    case 0:
      return NATIVE;
    case 1: {
      const x = a.alphaNum4();
      return {
        type: "credit_alphanum4",
        code: assetCode(x.assetCode()),
        issuer: accountIdString(x.issuer()),
        poolId: ""
      };
    }
    case 2: {
      const x = a.alphaNum12();
      return {
        type: "credit_alphanum12",
        code: assetCode(x.assetCode()),
        issuer: accountIdString(x.issuer()),
        poolId: ""
      };
    }
    case 3: {
      const pool2 = a.liquidityPoolId?.();
      const id = pool2 ? Buffer.from(pool2).toString("hex") : "";
      return { type: "liquidity_pool_shares", code: "", issuer: "", poolId: id };
    }
    default:
      throw new Error(`unknown asset type ${a.switch().value}`);
  }
}
function canonicalAsset(a) {
  return a.type === "native" ? "native" : `${a.code}:${a.issuer}`;
}
function amountString(stroops) {
  const neg = stroops < 0n;
  const abs = neg ? -stroops : stroops;
  const whole = abs / 10000000n;
  const frac = (abs % 10000000n).toString().padStart(7, "0");
  return `${neg ? "-" : ""}${whole}.${frac}`;
}
var SAFE = 2n ** 53n;
function amountFloat(stroops) {
  if (stroops < SAFE && stroops > -SAFE) return Number(stroops) / 1e7;
  return Number(amountString(stroops));
}
function hex(b) {
  return Buffer.from(b).toString("hex");
}
function base64(b) {
  return Buffer.from(b).toString("base64");
}
function sha256Hex(b) {
  return createHash("sha256").update(b).digest("hex");
}
function rfc3339(d) {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}
function xdrString(v) {
  return typeof v === "string" ? v : v.toString("utf8");
}

// packages/transform/src/changes/snapshot.ts
function changeInput(lcm, networkPassphrase) {
  const header = ledgerHeaderOf(lcm);
  const closeTime = header.scpValue().closeTime().toBigInt();
  return {
    lcm,
    sequence: header.ledgerSeq(),
    closedAt: new Date(Number(closeTime) * 1e3),
    networkPassphrase
  };
}
var ENTRY_ACCOUNT = 0;
var ENTRY_TRUSTLINE = 1;
var ENTRY_OFFER = 2;
var ENTRY_CLAIMABLE_BALANCE = 4;
var ENTRY_LIQUIDITY_POOL = 5;
var ENTRY_CONTRACT_DATA = 6;
var ENTRY_CONTRACT_CODE = 7;
var ENTRY_CONFIG_SETTING = 8;
var ENTRY_TTL = 9;
var compactedCache = /* @__PURE__ */ new WeakMap();
function compactedOfType(lcm, entryType) {
  let byType = compactedCache.get(lcm);
  if (!byType) {
    byType = Array.from({ length: 10 }, () => []);
    for (const c of compactChanges(ledgerChanges(lcm).all)) byType[c.entryType]?.push(c);
    compactedCache.set(lcm, byType);
  }
  return byType[entryType] ?? [];
}
function entryOf(c) {
  return c.post ?? c.pre;
}
function isRemoval(c) {
  return c.type === CHANGE_REMOVED;
}
function sponsorOf(entry) {
  const ext = entry.ext();
  if (ext.switch() !== 1) return null;
  const id = ext.v1().sponsoringId();
  return id ? accountIdString(id) : null;
}
function rowBase(ctx) {
  const seq = BigInt(ctx.sequence);
  return {
    ledger_sequence: seq,
    ledger_range: seq / 10000n * 10000n,
    era_id: null,
    version_label: null
  };
}
function hubbleChangeFields(ctx, c) {
  return {
    last_modified_ledger: entryOf(c).lastModifiedLedgerSeq(),
    ledger_entry_change: c.type,
    deleted: c.type === CHANGE_REMOVED,
    closed_at: rfc3339(ctx.closedAt),
    ledger_sequence: ctx.sequence
  };
}

// packages/transform/src/hot-rows.ts
import { xdr as xdr7 } from "@stellar/stellar-base";

// packages/transform/src/changes/raw-xdr.ts
import { xdr as xdr3 } from "@stellar/stellar-base";
var spans = /* @__PURE__ */ new WeakMap();
var CAPTURED = [
  "TransactionEnvelope",
  "Transaction",
  "TransactionV0",
  "FeeBumpTransaction",
  "TransactionResult",
  "TransactionResultPair",
  "TransactionMeta",
  "LedgerHeader",
  "SorobanTransactionData"
];
var wrapped = null;
function wrappers() {
  if (wrapped) return wrapped;
  wrapped = [];
  for (const name of CAPTURED) {
    const cls = xdr3[name];
    if (!cls) continue;
    const read = cls.read;
    const capture = function capture2(reader, depth) {
      const start = reader._index;
      const value = read.call(this, reader, depth);
      spans.set(value, { buffer: reader._buffer, start, end: reader._index });
      return value;
    };
    wrapped.push({ cls, read, capture });
  }
  return wrapped;
}
function decodeWithSpans(decode2) {
  const w = wrappers();
  for (const x of w) x.cls.read = x.capture;
  try {
    return decode2();
  } finally {
    for (const x of w) x.cls.read = x.read;
  }
}
function xdrBytes(value) {
  const s = spans.get(value);
  return s ? s.buffer.subarray(s.start, s.end) : value.toXDR();
}
function xdrBase64(value) {
  return xdrBytes(value).toString("base64");
}
function bytesBetween(before, after) {
  const a = spans.get(before);
  const b = spans.get(after);
  if (!a || !b || a.buffer !== b.buffer || a.end > b.start) return null;
  return a.buffer.subarray(a.end, b.start);
}

// packages/transform/src/changes/account.ts
import { SignerKey } from "@stellar/stellar-base";
function accountInfo(a) {
  const info = {
    buyingLiabilities: 0n,
    sellingLiabilities: 0n,
    numSponsored: 0,
    numSponsoring: 0,
    signerSponsors: [],
    seqLedger: 0,
    seqTime: 0n
  };
  const ext = a.ext();
  if (ext.switch() !== 1) return info;
  const v1 = ext.v1();
  info.buyingLiabilities = v1.liabilities().buying().toBigInt();
  info.sellingLiabilities = v1.liabilities().selling().toBigInt();
  const e2 = v1.ext();
  if (e2.switch() !== 2) return info;
  const v2 = e2.v2();
  info.numSponsored = v2.numSponsored();
  info.numSponsoring = v2.numSponsoring();
  info.signerSponsors = v2.signerSponsoringIDs().map((id) => id ? accountIdString(id) : null);
  const e3 = v2.ext();
  if (e3.switch() !== 3) return info;
  const v3 = e3.v3();
  info.seqLedger = v3.seqLedger();
  info.seqTime = v3.seqTime().toBigInt();
  return info;
}
function signerSummary(a, info = accountInfo(a)) {
  const out2 = [];
  const master = a.thresholds()[0] ?? 0;
  if (master > 0) out2.push({ signer: accountIdString(a.accountId()), weight: master, sponsor: null });
  a.signers().forEach((s, i) => {
    out2.push({
      signer: SignerKey.encodeSignerKey(s.key()),
      weight: s.weight(),
      sponsor: info.signerSponsors[i] ?? null
    });
  });
  return out2;
}
var AUTH_REQUIRED = 1;
var AUTH_REVOCABLE = 2;
var AUTH_IMMUTABLE = 4;
var AUTH_CLAWBACK_ENABLED = 8;

// packages/transform/src/tables/account_signers.ts
function accountSignersRows(ctx) {
  const base = rowBase(ctx);
  const out2 = [];
  for (const c of compactedOfType(ctx.lcm, ENTRY_ACCOUNT)) {
    const entry = entryOf(c);
    const accountId2 = accountIdString(entry.data().account().accountId());
    const removed = isRemoval(c);
    const current = signerSummary(entry.data().account());
    const row = (s, deleted, change) => ({
      account_id: accountId2,
      signer: s.signer,
      ledger_sequence: base.ledger_sequence,
      weight: s.weight,
      sponsor: s.sponsor,
      deleted,
      closed_at: ctx.closedAt,
      ledger_range: base.ledger_range,
      created_at: ctx.closedAt,
      era_id: null,
      version_label: null,
      ledger_entry_change: change
    });
    for (const s of current) out2.push(row(s, removed, c.type));
    if (!removed && c.pre) {
      const live = new Set(current.map((s) => s.signer));
      for (const s of signerSummary(c.pre.data().account()))
        if (!live.has(s.signer)) out2.push(row(s, true, CHANGE_REMOVED));
    }
  }
  return out2;
}
function accountSignersRecords(ctx) {
  const out2 = [];
  for (const c of compactedOfType(ctx.lcm, ENTRY_ACCOUNT)) {
    const entry = entryOf(c);
    const accountId2 = accountIdString(entry.data().account().accountId());
    const fields = hubbleChangeFields(ctx, c);
    const signers = signerSummary(entry.data().account()).sort((a, b) => a.weight - b.weight);
    for (const s of signers)
      out2.push({ account_id: accountId2, signer: s.signer, weight: s.weight, sponsor: s.sponsor, ...fields });
  }
  return out2;
}

// packages/transform/src/tables/accounts.ts
import { SignerKey as SignerKey2 } from "@stellar/stellar-base";
function accountsRows(ctx) {
  const base = rowBase(ctx);
  return compactedOfType(ctx.lcm, ENTRY_ACCOUNT).map((c) => {
    const entry = entryOf(c);
    const a = entry.data().account();
    const info = accountInfo(a);
    const th = a.thresholds();
    const flags = a.flags();
    const signers = a.signers().map((s) => ({ key: SignerKey2.encodeSignerKey(s.key()), weight: s.weight() }));
    const homeDomain = xdrString(a.homeDomain());
    return {
      account_id: accountIdString(a.accountId()),
      ledger_sequence: base.ledger_sequence,
      closed_at: ctx.closedAt,
      balance: amountString(a.balance().toBigInt()),
      sequence_number: a.seqNum().toBigInt(),
      num_subentries: a.numSubEntries(),
      num_sponsoring: info.numSponsoring,
      num_sponsored: info.numSponsored,
      home_domain: homeDomain === "" ? null : homeDomain,
      master_weight: th[0] ?? 0,
      low_threshold: th[1] ?? 0,
      med_threshold: th[2] ?? 0,
      high_threshold: th[3] ?? 0,
      flags,
      auth_required: (flags & AUTH_REQUIRED) !== 0,
      auth_revocable: (flags & AUTH_REVOCABLE) !== 0,
      auth_immutable: (flags & AUTH_IMMUTABLE) !== 0,
      auth_clawback_enabled: (flags & AUTH_CLAWBACK_ENABLED) !== 0,
      signers: signers.length === 0 ? null : JSON.stringify(signers),
      sponsor_account: sponsorOf(entry),
      created_at: ctx.closedAt,
      updated_at: ctx.closedAt,
      ledger_range: base.ledger_range,
      era_id: null,
      version_label: null,
      deleted: isRemoval(c),
      ledger_entry_change: c.type
    };
  });
}
function accountsRecords(ctx) {
  return compactedOfType(ctx.lcm, ENTRY_ACCOUNT).map((c) => {
    const entry = entryOf(c);
    const a = entry.data().account();
    const info = accountInfo(a);
    const th = a.thresholds();
    const infl = a.inflationDest();
    return {
      account_id: accountIdString(a.accountId()),
      balance: amountFloat(a.balance().toBigInt()),
      buying_liabilities: amountFloat(info.buyingLiabilities),
      selling_liabilities: amountFloat(info.sellingLiabilities),
      sequence_number: a.seqNum().toBigInt(),
      sequence_ledger: info.seqLedger,
      sequence_time: info.seqTime,
      num_subentries: a.numSubEntries(),
      inflation_destination: infl ? accountIdString(infl) : "",
      flags: a.flags(),
      home_domain: xdrString(a.homeDomain()),
      master_weight: th[0] ?? 0,
      threshold_low: th[1] ?? 0,
      threshold_medium: th[2] ?? 0,
      threshold_high: th[3] ?? 0,
      sponsor: sponsorOf(entry),
      num_sponsored: info.numSponsored,
      num_sponsoring: info.numSponsoring,
      ...hubbleChangeFields(ctx, c)
    };
  });
}

// packages/transform/src/tables/claimable_balances.ts
import { StrKey } from "@stellar/stellar-base";

// packages/transform/src/changes/asset-id.ts
import { fingerprint64 } from "farmhash-modern";
var cache2 = /* @__PURE__ */ new Map();
function assetIdOf(code, issuer, type) {
  const s = code + issuer + type;
  let id = cache2.get(s);
  if (id === void 0) {
    id = BigInt.asIntN(64, fingerprint64(s));
    if (cache2.size > 1e5) cache2.clear();
    cache2.set(s, id);
  }
  return id;
}

// packages/transform/src/changes/predicate.ts
function predicateJson(p) {
  switch (p.switch().value) {
    case 0:
      return { unconditional: true };
    case 1:
      return { and: p.andPredicates().map(predicateJson) };
    case 2:
      return { or: p.orPredicates().map(predicateJson) };
    case 3: {
      const inner = p.notPredicate();
      return { not: inner ? predicateJson(inner) : null };
    }
    case 4: {
      const secs = p.absBefore().toBigInt();
      return { abs_before: unixToRfc3339(secs), abs_before_epoch: secs.toString() };
    }
    case 5:
      return { rel_before: p.relBefore().toBigInt().toString() };
    default:
      throw new Error(`unknown ClaimPredicate type ${p.switch().value}`);
  }
}
function unixToRfc3339(secs) {
  const days = secs >= 0n ? secs / 86400n : -((-secs + 86399n) / 86400n);
  const rem = secs - days * 86400n;
  const z = days + 719468n;
  const era = (z >= 0n ? z : z - 146096n) / 146097n;
  const doe = z - era * 146097n;
  const yoe = (doe - doe / 1460n + doe / 36524n - doe / 146096n) / 365n;
  let y = yoe + era * 400n;
  const doy = doe - (365n * yoe + yoe / 4n - yoe / 100n);
  const mp = (5n * doy + 2n) / 153n;
  const d = doy - (153n * mp + 2n) / 5n + 1n;
  const m = mp < 10n ? mp + 3n : mp - 9n;
  if (m <= 2n) y += 1n;
  const pad = (v, n2 = 2) => v.toString().padStart(n2, "0");
  const year = y > 9999n ? `+${y}` : y < 0n ? `-${pad(-y, 4)}` : pad(y, 4);
  const hh = rem / 3600n;
  const mm = rem % 3600n / 60n;
  const ss = rem % 60n;
  return `${year}-${pad(m)}-${pad(d)}T${pad(hh)}:${pad(mm)}:${pad(ss)}Z`;
}

// packages/transform/src/tables/claimable_balances.ts
function balanceIdHex(id) {
  return hex(id.toXDR());
}
function balanceIdStrkey(id) {
  return StrKey.encodeClaimableBalance(Buffer.concat([Buffer.from([id.switch().value]), id.v0()]));
}
function cbFlags(cb) {
  const ext = cb.ext();
  return ext.switch() === 1 ? ext.v1().flags() : 0;
}
function claimableBalancesRows(ctx) {
  const base = rowBase(ctx);
  return compactedOfType(ctx.lcm, ENTRY_CLAIMABLE_BALANCE).map((c) => {
    const entry = entryOf(c);
    const cb = entry.data().claimableBalance();
    const asset = assetParts(cb.asset());
    return {
      balance_id: balanceIdHex(cb.balanceId()),
      // Claimable balances are always sponsored (CAP-23); the catalog keeps the contract's NOT NULL.
      sponsor: sponsorOf(entry) ?? "",
      ledger_sequence: base.ledger_sequence,
      closed_at: ctx.closedAt,
      asset_type: asset.type,
      asset_code: asset.type === "native" ? null : asset.code,
      asset_issuer: asset.type === "native" ? null : asset.issuer,
      amount: cb.amount().toBigInt(),
      claimants_count: cb.claimants().length,
      flags: cbFlags(cb),
      created_at: ctx.closedAt,
      ledger_range: base.ledger_range,
      era_id: null,
      version_label: null,
      deleted: isRemoval(c),
      ledger_entry_change: c.type
    };
  });
}
function claimableBalancesRecords(ctx) {
  return compactedOfType(ctx.lcm, ENTRY_CLAIMABLE_BALANCE).map((c) => {
    const entry = entryOf(c);
    const cb = entry.data().claimableBalance();
    const asset = assetParts(cb.asset());
    return {
      balance_id: balanceIdHex(cb.balanceId()),
      balance_id_strkey: balanceIdStrkey(cb.balanceId()),
      claimants: cb.claimants().map((cl) => {
        const v0 = cl.v0();
        return { destination: accountIdString(v0.destination()), predicate: predicateJson(v0.predicate()) };
      }),
      asset_code: asset.code,
      asset_issuer: asset.issuer,
      asset_type: asset.type,
      asset_id: assetIdOf(asset.code, asset.issuer, asset.type),
      asset_amount: amountFloat(cb.amount().toBigInt()),
      sponsor: sponsorOf(entry),
      flags: cbFlags(cb),
      ...hubbleChangeFields(ctx, c)
    };
  });
}

// packages/transform/src/tables/config_settings.ts
function zeroFields() {
  const f = {};
  for (const k of [
    "contract_max_size_bytes",
    "ledger_max_instructions",
    "tx_max_instructions",
    "fee_rate_per_instructions_increment",
    "tx_memory_limit",
    "ledger_max_read_ledger_entries",
    "ledger_max_disk_read_entries",
    "ledger_max_read_bytes",
    "ledger_max_disk_read_bytes",
    "ledger_max_write_ledger_entries",
    "ledger_max_write_bytes",
    "tx_max_read_ledger_entries",
    "tx_max_disk_read_entries",
    "tx_max_read_bytes",
    "tx_max_disk_read_bytes",
    "tx_max_write_ledger_entries",
    "tx_max_write_bytes",
    "fee_read_ledger_entry",
    "fee_disk_read_ledger_entry",
    "fee_write_ledger_entry",
    "fee_read_1kb",
    "fee_disk_read_1kb",
    "fee_write_1kb",
    "bucket_list_target_size_bytes",
    "soroban_state_target_size_bytes",
    "write_fee_1kb_bucket_list_low",
    "rent_fee_1kb_soroban_state_size_low",
    "write_fee_1kb_bucket_list_high",
    "rent_fee_1kb_soroban_state_size_high",
    "bucket_list_write_fee_growth_factor",
    "soroban_state_rent_fee_growth_factor",
    "fee_historical_1kb",
    "tx_max_contract_events_size_bytes",
    "fee_contract_events_1kb",
    "ledger_max_txs_size_bytes",
    "tx_max_size_bytes",
    "fee_tx_size_1kb",
    "contract_data_key_size_bytes",
    "contract_data_entry_size_bytes",
    "max_entry_ttl",
    "min_temporary_ttl",
    "min_persistent_ttl",
    "auto_bump_ledgers",
    "persistent_rent_rate_denominator",
    "temp_rent_rate_denominator",
    "max_entries_to_archive",
    "bucket_list_size_window_sample_size",
    "live_soroban_state_size_window_sample_size",
    "live_soroban_state_size_window_sample_period",
    "eviction_scan_size",
    "starting_eviction_scan_level",
    "ledger_max_tx_count",
    "ledger_max_dependent_tx_clusters",
    "tx_max_footprint_entries",
    "ledger_target_close_time_milliseconds",
    "nomination_timeout_initial_milliseconds",
    "nomination_timeout_increment_milliseconds",
    "ballot_timeout_initial_milliseconds",
    "ballot_timeout_increment_milliseconds"
  ])
    f[k] = 0;
  for (const k of [
    "contract_cost_params_cpu_insns",
    "contract_cost_params_mem_bytes",
    "bucket_list_size_window",
    "live_soroban_state_size_window",
    "frozen_ledger_keys",
    "frozen_ledger_keys_to_freeze",
    "frozen_ledger_keys_to_unfreeze",
    "freeze_bypass_txs",
    "freeze_bypass_txs_to_add",
    "freeze_bypass_txs_to_remove"
  ])
    f[k] = [];
  return f;
}
var i64 = (v) => v.toBigInt();
function costParams(list) {
  return list.map((p) => ({
    ExtV: String(p.ext().switch()),
    ConstTerm: p.constTerm().toBigInt().toString(),
    LinearTerm: p.linearTerm().toBigInt().toString()
  }));
}
function configSettingFields(s) {
  const f = {};
  switch (s.switch().value) {
    case 0:
      f.contract_max_size_bytes = s.contractMaxSizeBytes();
      break;
    case 1: {
      const c = s.contractCompute();
      f.ledger_max_instructions = i64(c.ledgerMaxInstructions());
      f.tx_max_instructions = i64(c.txMaxInstructions());
      f.fee_rate_per_instructions_increment = i64(c.feeRatePerInstructionsIncrement());
      f.tx_memory_limit = c.txMemoryLimit();
      break;
    }
    case 2: {
      const c = s.contractLedgerCost();
      f.ledger_max_read_ledger_entries = f.ledger_max_disk_read_entries = c.ledgerMaxDiskReadEntries();
      f.ledger_max_read_bytes = f.ledger_max_disk_read_bytes = c.ledgerMaxDiskReadBytes();
      f.ledger_max_write_ledger_entries = c.ledgerMaxWriteLedgerEntries();
      f.ledger_max_write_bytes = c.ledgerMaxWriteBytes();
      f.tx_max_read_ledger_entries = f.tx_max_disk_read_entries = c.txMaxDiskReadEntries();
      f.tx_max_read_bytes = f.tx_max_disk_read_bytes = c.txMaxDiskReadBytes();
      f.tx_max_write_ledger_entries = c.txMaxWriteLedgerEntries();
      f.tx_max_write_bytes = c.txMaxWriteBytes();
      f.fee_read_ledger_entry = f.fee_disk_read_ledger_entry = i64(c.feeDiskReadLedgerEntry());
      f.fee_write_ledger_entry = i64(c.feeWriteLedgerEntry());
      f.fee_read_1kb = f.fee_disk_read_1kb = i64(c.feeDiskRead1Kb());
      f.bucket_list_target_size_bytes = f.soroban_state_target_size_bytes = i64(
        c.sorobanStateTargetSizeBytes()
      );
      f.write_fee_1kb_bucket_list_low = f.rent_fee_1kb_soroban_state_size_low = i64(
        c.rentFee1KbSorobanStateSizeLow()
      );
      f.write_fee_1kb_bucket_list_high = f.rent_fee_1kb_soroban_state_size_high = i64(
        c.rentFee1KbSorobanStateSizeHigh()
      );
      f.bucket_list_write_fee_growth_factor = f.soroban_state_rent_fee_growth_factor = c.sorobanStateRentFeeGrowthFactor();
      break;
    }
    case 3:
      f.fee_historical_1kb = i64(s.contractHistoricalData().feeHistorical1Kb());
      break;
    case 4: {
      const c = s.contractEvents();
      f.tx_max_contract_events_size_bytes = c.txMaxContractEventsSizeBytes();
      f.fee_contract_events_1kb = i64(c.feeContractEvents1Kb());
      break;
    }
    case 5: {
      const c = s.contractBandwidth();
      f.ledger_max_txs_size_bytes = c.ledgerMaxTxsSizeBytes();
      f.tx_max_size_bytes = c.txMaxSizeBytes();
      f.fee_tx_size_1kb = i64(c.feeTxSize1Kb());
      break;
    }
    case 6:
      f.contract_cost_params_cpu_insns = costParams(s.contractCostParamsCpuInsns());
      break;
    case 7:
      f.contract_cost_params_mem_bytes = costParams(s.contractCostParamsMemBytes());
      break;
    case 8:
      f.contract_data_key_size_bytes = s.contractDataKeySizeBytes();
      break;
    case 9:
      f.contract_data_entry_size_bytes = s.contractDataEntrySizeBytes();
      break;
    case 10: {
      const c = s.stateArchivalSettings();
      f.max_entry_ttl = c.maxEntryTtl();
      f.min_temporary_ttl = c.minTemporaryTtl();
      f.min_persistent_ttl = c.minPersistentTtl();
      f.persistent_rent_rate_denominator = i64(c.persistentRentRateDenominator());
      f.temp_rent_rate_denominator = i64(c.tempRentRateDenominator());
      f.max_entries_to_archive = c.maxEntriesToArchive();
      f.bucket_list_size_window_sample_size = f.live_soroban_state_size_window_sample_size = c.liveSorobanStateSizeWindowSampleSize();
      f.live_soroban_state_size_window_sample_period = c.liveSorobanStateSizeWindowSamplePeriod();
      f.eviction_scan_size = c.evictionScanSize();
      f.starting_eviction_scan_level = c.startingEvictionScanLevel();
      break;
    }
    case 11:
      f.ledger_max_tx_count = s.contractExecutionLanes().ledgerMaxTxCount();
      break;
    case 12: {
      const w = s.liveSorobanStateSizeWindow().map((v) => v.toBigInt());
      f.bucket_list_size_window = w;
      f.live_soroban_state_size_window = [...w];
      break;
    }
    case 14:
      f.ledger_max_dependent_tx_clusters = s.contractParallelCompute().ledgerMaxDependentTxClusters();
      break;
    case 15: {
      const c = s.contractLedgerCostExt();
      f.tx_max_footprint_entries = c.txMaxFootprintEntries();
      f.fee_write_1kb = i64(c.feeWrite1Kb());
      break;
    }
    case 16: {
      const c = s.contractScpTiming();
      f.ledger_target_close_time_milliseconds = c.ledgerTargetCloseTimeMilliseconds();
      f.nomination_timeout_initial_milliseconds = c.nominationTimeoutInitialMilliseconds();
      f.nomination_timeout_increment_milliseconds = c.nominationTimeoutIncrementMilliseconds();
      f.ballot_timeout_initial_milliseconds = c.ballotTimeoutInitialMilliseconds();
      f.ballot_timeout_increment_milliseconds = c.ballotTimeoutIncrementMilliseconds();
      break;
    }
    case 17:
      f.frozen_ledger_keys = s.frozenLedgerKeys().keys().map(base64);
      break;
    case 18: {
      const d = s.frozenLedgerKeysDelta();
      f.frozen_ledger_keys_to_freeze = d.keysToFreeze().map(base64);
      f.frozen_ledger_keys_to_unfreeze = d.keysToUnfreeze().map(base64);
      break;
    }
    case 19:
      f.freeze_bypass_txs = s.freezeBypassTxes().txHashes().map(hex);
      break;
    case 20: {
      const d = s.freezeBypassTxsDelta();
      f.freeze_bypass_txs_to_add = d.addTxes().map(hex);
      f.freeze_bypass_txs_to_remove = d.removeTxes().map(hex);
      break;
    }
    default:
      break;
  }
  return f;
}
var bigOrNull = (v) => typeof v === "bigint" ? v : typeof v === "number" ? BigInt(v) : null;
function configSettingsRows(ctx) {
  const base = rowBase(ctx);
  return compactedOfType(ctx.lcm, ENTRY_CONFIG_SETTING).map((c) => {
    const entry = entryOf(c);
    const s = entry.data().configSetting();
    const f = configSettingFields(s);
    return {
      config_setting_id: s.switch().value,
      ledger_sequence: base.ledger_sequence,
      last_modified_ledger: entry.lastModifiedLedgerSeq(),
      deleted: isRemoval(c),
      closed_at: ctx.closedAt,
      ledger_max_instructions: bigOrNull(f.ledger_max_instructions),
      tx_max_instructions: bigOrNull(f.tx_max_instructions),
      fee_rate_per_instructions_increment: bigOrNull(f.fee_rate_per_instructions_increment),
      tx_memory_limit: bigOrNull(f.tx_memory_limit),
      ledger_max_read_ledger_entries: bigOrNull(f.ledger_max_read_ledger_entries),
      ledger_max_read_bytes: bigOrNull(f.ledger_max_read_bytes),
      ledger_max_write_ledger_entries: bigOrNull(f.ledger_max_write_ledger_entries),
      ledger_max_write_bytes: bigOrNull(f.ledger_max_write_bytes),
      tx_max_read_ledger_entries: bigOrNull(f.tx_max_read_ledger_entries),
      tx_max_read_bytes: bigOrNull(f.tx_max_read_bytes),
      tx_max_write_ledger_entries: bigOrNull(f.tx_max_write_ledger_entries),
      tx_max_write_bytes: bigOrNull(f.tx_max_write_bytes),
      contract_max_size_bytes: bigOrNull(f.contract_max_size_bytes),
      config_setting_xdr: s.toXDR("base64"),
      created_at: ctx.closedAt,
      ledger_range: base.ledger_range,
      era_id: null,
      version_label: null,
      ledger_entry_change: c.type
    };
  });
}
function configSettingsRecords(ctx) {
  return compactedOfType(ctx.lcm, ENTRY_CONFIG_SETTING).map((c) => {
    const s = entryOf(c).data().configSetting();
    return {
      config_setting_id: s.switch().value,
      ...zeroFields(),
      ...configSettingFields(s),
      ...hubbleChangeFields(ctx, c)
    };
  });
}

// packages/transform/src/changes/wasm.ts
var WasmParseError = class extends Error {
  constructor(offset, message) {
    super(`wasm byte ${offset}: ${message}`);
    this.offset = offset;
    this.name = "WasmParseError";
  }
  offset;
};
var Reader = class {
  constructor(buf, pos = 0, end = buf.length) {
    this.buf = buf;
    this.end = end;
    this.pos = pos;
  }
  buf;
  end;
  pos;
  eof() {
    return this.pos >= this.end;
  }
  byte() {
    if (this.pos >= this.end) throw new WasmParseError(this.pos, "unexpected end");
    return this.buf[this.pos++];
  }
  u32() {
    let result = 0;
    let shift = 0;
    for (let i = 0; i < 5; i++) {
      const b = this.byte();
      result += (b & 127) * 2 ** shift;
      if ((b & 128) === 0) return result;
      shift += 7;
    }
    throw new WasmParseError(this.pos, "LEB128 u32 too long");
  }
  /** Signed LEB128 of at most `maxBytes` bytes; the value itself is not needed, only its extent. */
  skipSigned(maxBytes) {
    for (let i = 0; i < maxBytes; i++) if ((this.byte() & 128) === 0) return;
    throw new WasmParseError(this.pos, "LEB128 too long");
  }
  skip(n2) {
    if (n2 < 0 || this.pos + n2 > this.end) throw new WasmParseError(this.pos, `cannot skip ${n2} bytes`);
    this.pos += n2;
  }
};
function skipValType(r) {
  r.byte();
}
function skipLimits(r) {
  const flag = r.byte();
  const initial = r.u32();
  if (flag & 1) r.u32();
  return initial;
}
function skipConstExpr(r) {
  while (readOperator(r) !== 11) {
  }
}
function skipBlockType(r) {
  const b = r.buf[r.pos];
  if (b === 64 || b === 127 || b === 126 || b === 125 || b === 124 || b === 123 || b === 112 || b === 111)
    r.pos++;
  else r.skipSigned(5);
}
function readOperator(r) {
  const op = r.byte();
  switch (op) {
    case 2:
    case 3:
    case 4:
      skipBlockType(r);
      break;
    case 12:
    case 13:
    case 16:
    case 18:
    case 32:
    case 33:
    case 34:
    case 35:
    case 36:
    case 37:
    case 38:
    case 210:
      r.u32();
      break;
    case 14: {
      const n2 = r.u32();
      for (let i = 0; i <= n2; i++) r.u32();
      break;
    }
    case 17:
    case 19:
      r.u32();
      r.u32();
      break;
    case 28: {
      const n2 = r.u32();
      for (let i = 0; i < n2; i++) skipValType(r);
      break;
    }
    case 63:
    case 64:
      r.byte();
      break;
    case 65:
      r.skipSigned(5);
      break;
    case 66:
      r.skipSigned(10);
      break;
    case 67:
      r.skip(4);
      break;
    case 68:
      r.skip(8);
      break;
    case 208:
      r.byte();
      break;
    case 252: {
      const sub = r.u32();
      if (sub <= 7) break;
      if (sub === 8) {
        r.u32();
        r.byte();
      } else if (sub === 9 || sub === 13 || sub >= 15 && sub <= 17) r.u32();
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
      if (op >= 40 && op <= 62) {
        r.u32();
        r.u32();
      } else if (op === 0 || op === 1 || op === 5 || op === 11 || op === 15 || op === 26 || op === 27 || op === 209 || op >= 69 && op <= 196) {
      } else {
        throw new WasmParseError(r.pos - 1, `unsupported opcode 0x${op.toString(16)}`);
      }
  }
  return op;
}
function wasmMetrics(code) {
  const m = {
    nInstructions: 0,
    nFunctions: 0,
    nGlobals: 0,
    nTableEntries: 0,
    nTypes: 0,
    nDataSegments: 0,
    nElemSegments: 0,
    nImports: 0,
    nExports: 0,
    nDataSegmentBytes: 0
  };
  const r = new Reader(code);
  if (code.length < 8 || code[0] !== 0 || code[1] !== 97 || code[2] !== 115 || code[3] !== 109)
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
        const n2 = s.u32();
        for (let i = 0; i < n2; i++) {
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
        const n2 = s.u32();
        m.nFunctions = n2;
        for (let i = 0; i < n2; i++) {
          const bodySize = s.u32();
          const body2 = new Reader(code, s.pos, s.pos + bodySize);
          const groups = body2.u32();
          for (let g = 0; g < groups; g++) {
            body2.u32();
            skipValType(body2);
          }
          while (!body2.eof()) {
            readOperator(body2);
            m.nInstructions++;
          }
          s.skip(bodySize);
        }
        break;
      }
      case 11: {
        const n2 = s.u32();
        m.nDataSegments = n2;
        for (let i = 0; i < n2; i++) {
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

// packages/transform/src/tables/contract_code.ts
var metricsCache = /* @__PURE__ */ new Map();
function metricsOf(cc) {
  const id = hex(cc.hash());
  let m = metricsCache.get(id);
  if (m === void 0) {
    try {
      m = wasmMetrics(cc.code());
    } catch {
      m = null;
    }
    if (metricsCache.size > 1e4) metricsCache.clear();
    metricsCache.set(id, m);
  }
  return m;
}
function costInputsOf(cc) {
  const ext = cc.ext();
  if (ext.switch() !== 1) return null;
  const ci = ext.v1().costInputs();
  return {
    nInstructions: ci.nInstructions(),
    nFunctions: ci.nFunctions(),
    nGlobals: ci.nGlobals(),
    nTableEntries: ci.nTableEntries(),
    nTypes: ci.nTypes(),
    nDataSegments: ci.nDataSegments(),
    nElemSegments: ci.nElemSegments(),
    nImports: ci.nImports(),
    nExports: ci.nExports(),
    nDataSegmentBytes: ci.nDataSegmentBytes()
  };
}
var big = (v) => v === void 0 ? null : BigInt(v);
function contractCodeRows(ctx) {
  const base = rowBase(ctx);
  return compactedOfType(ctx.lcm, ENTRY_CONTRACT_CODE).map((c) => {
    const entry = entryOf(c);
    const cc = entry.data().contractCode();
    const m = metricsOf(cc);
    return {
      contract_code_hash: hex(cc.hash()),
      ledger_key_hash: sha256Hex(c.keyXdr),
      contract_code_ext_v: cc.ext().switch(),
      last_modified_ledger: entry.lastModifiedLedgerSeq(),
      ledger_entry_change: c.type,
      deleted: isRemoval(c),
      closed_at: ctx.closedAt,
      ledger_sequence: base.ledger_sequence,
      n_instructions: big(m?.nInstructions),
      n_functions: big(m?.nFunctions),
      n_globals: big(m?.nGlobals),
      n_table_entries: big(m?.nTableEntries),
      n_types: big(m?.nTypes),
      n_data_segments: big(m?.nDataSegments),
      n_elem_segments: big(m?.nElemSegments),
      n_imports: big(m?.nImports),
      n_exports: big(m?.nExports),
      n_data_segment_bytes: big(m?.nDataSegmentBytes),
      created_at: ctx.closedAt,
      ledger_range: base.ledger_range,
      era_id: null,
      version_label: null
    };
  });
}
function contractCodeRecords(ctx) {
  return compactedOfType(ctx.lcm, ENTRY_CONTRACT_CODE).map((c) => {
    const entry = entryOf(c);
    const cc = entry.data().contractCode();
    const ci = costInputsOf(cc);
    return {
      contract_code_hash: hex(cc.hash()),
      contract_code_ext_v: cc.ext().switch(),
      ledger_key_hash: sha256Hex(c.keyXdr),
      ledger_key_hash_base_64: base64(c.keyXdr),
      n_instructions: ci?.nInstructions ?? 0,
      n_functions: ci?.nFunctions ?? 0,
      n_globals: ci?.nGlobals ?? 0,
      n_table_entries: ci?.nTableEntries ?? 0,
      n_types: ci?.nTypes ?? 0,
      n_data_segments: ci?.nDataSegments ?? 0,
      n_elem_segments: ci?.nElemSegments ?? 0,
      n_imports: ci?.nImports ?? 0,
      n_exports: ci?.nExports ?? 0,
      n_data_segment_bytes: ci?.nDataSegmentBytes ?? 0,
      ...hubbleChangeFields(ctx, c)
    };
  });
}

// packages/transform/src/changes/scval.ts
import { Address, Asset, StrKey as StrKey2, xdr as xdr4 } from "@stellar/stellar-base";
function scValTypeName(v) {
  const n2 = v.switch().name;
  return `ScValType${n2.charAt(0).toUpperCase()}${n2.slice(1)}`;
}
function durabilityName(d) {
  return d.value === 0 ? "ContractDataDurabilityTemporary" : "ContractDataDurabilityPersistent";
}
function addressString(a) {
  const t = a.switch().value;
  if (t === 0) return accountStrkey(a.accountId().ed25519());
  if (t === 1) return contractStrkey(a.contractId());
  return Address.fromScAddress(a).toString();
}
function symbolIs(v, s) {
  if (!v || v.switch().value !== xdr4.ScValType.scvSymbol().value) return false;
  const sym = v.sym();
  return (typeof sym === "string" ? sym : sym.toString("utf8")) === s;
}
var nativeIds = /* @__PURE__ */ new Map();
function nativeContractId(passphrase) {
  let id = nativeIds.get(passphrase);
  if (!id) {
    id = Asset.native().contractId(passphrase);
    nativeIds.set(passphrase, id);
  }
  return id;
}
var sacIds = /* @__PURE__ */ new Map();
function sacContractId(code, issuer, passphrase) {
  const k = `${code}:${issuer}:${passphrase}`;
  let id = sacIds.get(k);
  if (id === void 0) {
    try {
      id = new Asset(code, issuer).contractId(passphrase);
    } catch {
      id = "";
    }
    if (sacIds.size > 5e4) sacIds.clear();
    sacIds.set(k, id);
  }
  return id === "" ? null : id;
}
function sacAssetOf(cd, passphrase) {
  if (cd.key().switch().value !== xdr4.ScValType.scvLedgerKeyContractInstance().value) return null;
  if (cd.durability().value !== 1) return null;
  const val = cd.val();
  if (val.switch().value !== xdr4.ScValType.scvContractInstance().value) return null;
  const storage = val.instance().storage();
  if (!storage) return null;
  const contractId = addressString(cd.contract());
  if (contractId === nativeContractId(passphrase)) return null;
  let info;
  for (const e of storage) {
    const k = e.key();
    if (k.switch().value !== xdr4.ScValType.scvVec().value) continue;
    const vec2 = k.vec();
    if (vec2 && vec2.length === 1 && symbolIs(vec2[0], "AssetInfo")) {
      info = e.val();
      break;
    }
  }
  if (!info || info.switch().value !== xdr4.ScValType.scvVec().value) return null;
  const vec = info.vec();
  if (vec?.length !== 2) return null;
  const kind = symbolIs(vec[0], "AlphaNum4") ? 4 : symbolIs(vec[0], "AlphaNum12") ? 12 : 0;
  if (kind === 0) return null;
  const m = vec[1];
  if (m.switch().value !== xdr4.ScValType.scvMap().value) return null;
  const map = m.map();
  if (map?.length !== 2) return null;
  const [codeEntry, issuerEntry] = map;
  if (!symbolIs(codeEntry.key(), "asset_code")) return null;
  if (codeEntry.val().switch().value !== xdr4.ScValType.scvString().value) return null;
  const rawStr = codeEntry.val().str();
  const rawCode = typeof rawStr === "string" ? rawStr : rawStr.toString("latin1");
  if (rawCode === "") return null;
  const code = rawCode.replace(/\0+$/, "");
  if (!symbolIs(issuerEntry.key(), "issuer")) return null;
  if (issuerEntry.val().switch().value !== xdr4.ScValType.scvBytes().value) return null;
  const issuerBytes = issuerEntry.val().bytes();
  if (issuerBytes.length !== 32) return null;
  const issuer = StrKey2.encodeEd25519PublicKey(issuerBytes);
  if (code === "" || rawCode.length > 12) return null;
  if (sacContractId(code, issuer, passphrase) !== contractId) return null;
  return { type: rawCode.length <= 4 ? "credit_alphanum4" : "credit_alphanum12", code, issuer };
}
function contractBalanceOf(cd, passphrase) {
  if (cd.durability().value !== 1) return null;
  const key = cd.key();
  if (key.switch().value !== xdr4.ScValType.scvVec().value) return null;
  const vec = key.vec();
  if (vec?.length !== 2 || !symbolIs(vec[0], "Balance")) return null;
  const holderVal = vec[1];
  if (holderVal.switch().value !== xdr4.ScValType.scvAddress().value) return null;
  const holderAddr = holderVal.address();
  if (holderAddr.switch().value !== xdr4.ScAddressType.scAddressTypeContract().value) return null;
  if (addressString(cd.contract()) === nativeContractId(passphrase)) return null;
  const val = cd.val();
  if (val.switch().value !== xdr4.ScValType.scvMap().value) return null;
  const map = val.map();
  if (map?.length !== 3) return null;
  const [amount, authorized, clawback] = map;
  if (!symbolIs(amount.key(), "amount")) return null;
  if (!symbolIs(authorized.key(), "authorized") || authorized.val().switch().value !== 0) return null;
  if (!symbolIs(clawback.key(), "clawback") || clawback.val().switch().value !== 0) return null;
  if (amount.val().switch().value !== xdr4.ScValType.scvI128().value) return null;
  const parts = amount.val().i128();
  const hi = parts.hi().toBigInt();
  if (hi < 0n) return null;
  const value = (hi << 64n) + parts.lo().toBigInt();
  return {
    holder: StrKey2.encodeContract(holderAddr.contractId()),
    amount: value.toString()
  };
}

// packages/transform/src/changes/xdr-json.ts
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as xdrJson from "@stellar/stellar-xdr-json";
import { isInteger, parse } from "lossless-json";
var ready = false;
function init() {
  if (ready) return;
  const require2 = createRequire(import.meta.url);
  const js = require2.resolve("@stellar/stellar-xdr-json");
  xdrJson.initSync(readFileSync(js.replace(/stellar_xdr_json\.js$/, "stellar_xdr_json_bg.wasm")));
  ready = true;
}
function xdrJsonText(type, base642) {
  init();
  return xdrJson.decode(type, base642);
}
function parseNumber(text3) {
  if (isInteger(text3)) {
    const n2 = Number(text3);
    return Number.isSafeInteger(n2) ? n2 : BigInt(text3);
  }
  return Number(text3);
}
function xdrJsonValue(type, base642) {
  return parse(xdrJsonText(type, base642), null, parseNumber);
}

// packages/transform/src/changes/scval-json.ts
var PLAIN = /^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/;
function text(v) {
  const s = typeof v === "string" ? v : v.toString("latin1");
  return PLAIN.test(s) ? s : null;
}
function int128(hi, lo, signed) {
  const h = signed ? BigInt.asIntN(64, hi) : BigInt.asUintN(64, hi);
  return ((h << 64n) + BigInt.asUintN(64, lo)).toString();
}
function int256(p, signed) {
  const hh = p.hiHi().toBigInt();
  const v = ((signed ? BigInt.asIntN(64, hh) : BigInt.asUintN(64, hh)) << 192n) + (BigInt.asUintN(64, p.hiLo().toBigInt()) << 128n) + (BigInt.asUintN(64, p.loHi().toBigInt()) << 64n) + BigInt.asUintN(64, p.loLo().toBigInt());
  return v.toString();
}
function slow(v) {
  return xdrJsonValue("ScVal", v.toXDR("base64"));
}
function scValJson(v) {
  switch (v.switch().value) {
    case 0:
      return { bool: v.b() };
    case 1:
      return "void";
    case 3:
      return { u32: v.u32() };
    case 4:
      return { i32: v.i32() };
    case 5:
      return { u64: v.u64().toBigInt().toString() };
    case 6:
      return { i64: v.i64().toBigInt().toString() };
    case 7:
      return { timepoint: v.timepoint().toBigInt().toString() };
    case 8:
      return { duration: v.duration().toBigInt().toString() };
    case 9: {
      const p = v.u128();
      return { u128: int128(p.hi().toBigInt(), p.lo().toBigInt(), false) };
    }
    case 10: {
      const p = v.i128();
      return { i128: int128(p.hi().toBigInt(), p.lo().toBigInt(), true) };
    }
    case 11:
      return { u256: int256(v.u256(), false) };
    case 12:
      return { i256: int256(v.i256(), true) };
    case 13:
      return { bytes: Buffer.from(v.bytes()).toString("hex") };
    case 14: {
      const s = text(v.str());
      return s === null ? slow(v) : { string: s };
    }
    case 15: {
      const s = text(v.sym());
      return s === null ? slow(v) : { symbol: s };
    }
    case 16: {
      const vec = v.vec();
      return { vec: vec ? vec.map(scValJson) : null };
    }
    case 17: {
      const map = v.map();
      return { map: map ? map.map((e) => ({ key: scValJson(e.key()), val: scValJson(e.val()) })) : null };
    }
    case 18: {
      const a = v.address();
      const t = a.switch().value;
      if (t === 0) return { address: accountStrkey(a.accountId().ed25519()) };
      if (t === 1) return { address: contractStrkey(a.contractId()) };
      return slow(v);
    }
    case 20:
      return "ledger_key_contract_instance";
    case 21:
      return { ledger_key_nonce: { nonce: v.nonceKey().nonce().toBigInt().toString() } };
    default:
      return slow(v);
  }
}

// packages/transform/src/tables/contract_data.ts
function contractDataRows(ctx) {
  const base = rowBase(ctx);
  return compactedOfType(ctx.lcm, ENTRY_CONTRACT_DATA).map((c) => {
    const entry = entryOf(c);
    const cd = entry.data().contractData();
    const asset = sacAssetOf(cd, ctx.networkPassphrase);
    const bal = contractBalanceOf(cd, ctx.networkPassphrase);
    return {
      contract_id: addressString(cd.contract()),
      ledger_sequence: base.ledger_sequence,
      ledger_key_hash: sha256Hex(c.keyXdr),
      contract_key_type: scValTypeName(cd.key()),
      contract_durability: durabilityName(cd.durability()),
      asset_code: asset?.code ?? null,
      asset_issuer: asset?.issuer ?? null,
      asset_type: asset?.type ?? null,
      balance_holder: bal?.holder ?? null,
      balance: bal?.amount ?? null,
      last_modified_ledger: entry.lastModifiedLedgerSeq(),
      ledger_entry_change: c.type,
      deleted: isRemoval(c),
      closed_at: ctx.closedAt,
      contract_data_xdr: (contractDataEntryXdr(cd) ?? cd.toXDR()).toString("base64"),
      created_at: ctx.closedAt,
      ledger_range: base.ledger_range,
      era_id: null,
      version_label: null
    };
  });
}
function contractDataRecords(ctx) {
  return compactedOfType(ctx.lcm, ENTRY_CONTRACT_DATA).map((c) => {
    const entry = entryOf(c);
    const cd = entry.data().contractData();
    const asset = sacAssetOf(cd, ctx.networkPassphrase);
    const bal = contractBalanceOf(cd, ctx.networkPassphrase);
    const key = scValBase64(cd.key());
    const val = scValBase64(cd.val());
    return {
      contract_id: addressString(cd.contract()),
      contract_key_type: scValTypeName(cd.key()),
      contract_durability: durabilityName(cd.durability()),
      asset_code: asset?.code ?? "",
      asset_issuer: asset?.issuer ?? "",
      asset_type: asset?.type ?? "",
      balance_holder: bal?.holder ?? "",
      balance: bal?.amount ?? "",
      ledger_key_hash: sha256Hex(c.keyXdr),
      ledger_key_hash_base_64: base64(c.keyXdr),
      key,
      key_decoded: scValJson(cd.key()),
      val,
      val_decoded: scValJson(cd.val()),
      contract_data_xdr: (contractDataEntryXdr(cd) ?? cd.toXDR()).toString("base64"),
      ...hubbleChangeFields(ctx, c)
    };
  });
}

// packages/transform/src/changes/events.ts
var cache3 = /* @__PURE__ */ new WeakMap();
function ledgerEvents(lcm) {
  const cached2 = cache3.get(lcm);
  if (cached2) return cached2;
  const out2 = [];
  for (const tx of txProcessingOf(lcm)) {
    const meta = tx.meta;
    const v = meta.switch();
    if (v !== 3 && v !== 4) continue;
    const code = tx.result.result().result().switch().value;
    const ok = code === 0 || code === 1;
    const hash = Buffer.from(tx.result.transactionHash()).toString("hex");
    const push = (kind, opIndex, index, event, inSuccessfulContractCall, stage) => out2.push({
      txIndex: tx.index,
      txHash: hash,
      txSuccessful: ok,
      kind,
      opIndex,
      index,
      event,
      inSuccessfulContractCall,
      stage
    });
    if (v === 3) {
      const sm = meta.v3().sorobanMeta();
      if (!sm) continue;
      const events = sm.events();
      for (let i = 0; i < events.length; i++)
        push("operation", 0, i, events[i], ok, null);
      const diag2 = sm.diagnosticEvents();
      for (let i = 0; i < diag2.length; i++) {
        const d = diag2[i];
        push("diagnostic", 0, i, d.event(), d.inSuccessfulContractCall(), null);
      }
      continue;
    }
    const m = meta.v4();
    const ops = m.operations();
    for (let op = 0; op < ops.length; op++) {
      const events = ops[op].events();
      for (let i = 0; i < events.length; i++)
        push("operation", op, i, events[i], ok, null);
    }
    const txEvents = m.events();
    for (let i = 0; i < txEvents.length; i++) {
      const te = txEvents[i];
      push("transaction", -1, i, te.event(), ok, te.stage().value);
    }
    const diag = m.diagnosticEvents();
    for (let i = 0; i < diag.length; i++) {
      const d = diag[i];
      push("diagnostic", 0, i, d.event(), d.inSuccessfulContractCall(), null);
    }
  }
  cache3.set(lcm, out2);
  return out2;
}
function eventId(e) {
  if (e.kind === "operation") return `${e.txHash}:${e.opIndex}:${e.index}`;
  return `${e.txHash}:${e.kind === "transaction" ? "tx" : "diag"}:${e.index}`;
}

// packages/transform/src/changes/trades.ts
import { StrKey as StrKey3 } from "@stellar/stellar-base";

// packages/transform/src/changes/envelopes.ts
import { createHash as createHash2 } from "node:crypto";
import { xdr as xdr5 } from "@stellar/stellar-base";
var ENVELOPE_TYPE_TX = Buffer.from([0, 0, 0, 2]);
var ENVELOPE_TYPE_TX_FEE_BUMP = Buffer.from([0, 0, 0, 5]);
var KEY_TYPE_ED25519 = Buffer.from([0, 0, 0, 0]);
function txSetEnvelopes(lcm) {
  const body2 = lcmBody(lcm);
  if (lcm.switch() === 0) return body2.txSet().txes();
  const set = body2.txSet();
  const out2 = [];
  for (const phase of set.v1TxSet().phases()) {
    if (phase.switch() === 0) {
      for (const comp of phase.v0Components()) out2.push(...comp.txsMaybeDiscountedFee().txes());
    } else {
      for (const stage of phase.parallelTxsComponent().executionStages())
        for (const cluster of stage) out2.push(...cluster);
    }
  }
  return out2;
}
function envelopeHash(env, networkId) {
  const h = createHash2("sha256").update(networkId);
  switch (env.switch().value) {
    case 0:
      h.update(ENVELOPE_TYPE_TX).update(KEY_TYPE_ED25519).update(xdrBytes(env.v0().tx()));
      break;
    case 2:
      h.update(ENVELOPE_TYPE_TX).update(xdrBytes(env.v1().tx()));
      break;
    case 5:
      h.update(ENVELOPE_TYPE_TX_FEE_BUMP).update(xdrBytes(env.feeBump().tx()));
      break;
    default:
      throw new Error(`unknown envelope type ${env.switch().value}`);
  }
  return h.digest();
}
var cache4 = /* @__PURE__ */ new WeakMap();
function envelopesInApplyOrder(lcm, networkPassphrase) {
  const hit = cache4.get(lcm);
  if (hit && hit.passphrase === networkPassphrase) return hit.envelopes;
  const networkId = createHash2("sha256").update(networkPassphrase).digest();
  const byHash = /* @__PURE__ */ new Map();
  for (const env of txSetEnvelopes(lcm)) byHash.set(envelopeHash(env, networkId).toString("hex"), env);
  const out2 = txProcessingOf(lcm).map(
    (tx) => byHash.get(Buffer.from(tx.result.transactionHash()).toString("hex")) ?? null
  );
  cache4.set(lcm, { passphrase: networkPassphrase, envelopes: out2 });
  return out2;
}
function txBody(env) {
  switch (env.switch().value) {
    case 0: {
      const tx = env.v0().tx();
      return {
        source: xdr5.MuxedAccount.keyTypeEd25519(tx.sourceAccountEd25519()),
        operations: tx.operations(),
        sorobanData: null
      };
    }
    case 2: {
      const tx = env.v1().tx();
      return {
        source: tx.sourceAccount(),
        operations: tx.operations(),
        sorobanData: tx.ext().switch() === 1 ? tx.ext().sorobanData() : null
      };
    }
    case 5:
      return txBody(xdr5.TransactionEnvelope.envelopeTypeTx(env.feeBump().tx().innerTx().v1()));
    default:
      throw new Error(`unknown envelope type ${env.switch().value}`);
  }
}

// packages/transform/src/changes/trades.ts
var PATH_PAYMENT_STRICT_RECEIVE = 2;
var MANAGE_SELL_OFFER = 3;
var CREATE_PASSIVE_SELL_OFFER = 4;
var MANAGE_BUY_OFFER = 12;
var PATH_PAYMENT_STRICT_SEND = 13;
var TRADING_OPS = /* @__PURE__ */ new Set([
  PATH_PAYMENT_STRICT_RECEIVE,
  MANAGE_SELL_OFFER,
  CREATE_PASSIVE_SELL_OFFER,
  MANAGE_BUY_OFFER,
  PATH_PAYMENT_STRICT_SEND
]);
var MAX_I64 = 2n ** 63n - 1n;
var MIN_I64 = -(2n ** 63n);
function toid(ledger, txIndex, opIndex) {
  return BigInt(ledger) << 32n | BigInt(txIndex) << 12n | BigInt(opIndex);
}
function syntheticOfferId(operationId) {
  return operationId | 1n << 62n;
}
function opResults(result) {
  const r = result.result().result();
  switch (r.switch().value) {
    case 0:
      return r.results();
    case 1:
      return r.innerResultPair().result().result().results();
    default:
      return null;
  }
}
function atomView(a) {
  switch (a.switch().value) {
    case 0: {
      const v = a.v0();
      return {
        kind: 0,
        sellerId: StrKey3.encodeEd25519PublicKey(v.sellerEd25519()),
        offerId: v.offerId().toBigInt(),
        poolId: null,
        assetSold: v.assetSold(),
        amountSold: v.amountSold().toBigInt(),
        assetBought: v.assetBought(),
        amountBought: v.amountBought().toBigInt()
      };
    }
    case 1: {
      const v = a.orderBook();
      return {
        kind: 1,
        sellerId: accountIdString(v.sellerId()),
        offerId: v.offerId().toBigInt(),
        poolId: null,
        assetSold: v.assetSold(),
        amountSold: v.amountSold().toBigInt(),
        assetBought: v.assetBought(),
        amountBought: v.amountBought().toBigInt()
      };
    }
    default: {
      const v = a.liquidityPool();
      return {
        kind: 2,
        sellerId: "",
        offerId: 0n,
        poolId: Buffer.from(v.liquidityPoolId()),
        assetSold: v.assetSold(),
        amountSold: v.amountSold().toBigInt(),
        assetBought: v.assetBought(),
        amountBought: v.amountBought().toBigInt()
      };
    }
  }
}
function claimsOf(opType, tr) {
  const trType = tr.switch().value;
  const manage = (res) => {
    if (res.switch().value !== 0) return null;
    const s = res.success();
    const offer = s.offer();
    const taker = offer.switch().value === 2 ? null : offer.offer().offerId().toBigInt();
    return { atoms: s.offersClaimed(), takerOfferId: taker, sellerIsExact: null };
  };
  switch (opType) {
    case MANAGE_SELL_OFFER:
      return trType === MANAGE_SELL_OFFER ? manage(tr.manageSellOfferResult()) : null;
    case MANAGE_BUY_OFFER:
      return trType === MANAGE_BUY_OFFER ? manage(tr.manageBuyOfferResult()) : null;
    case CREATE_PASSIVE_SELL_OFFER:
      if (trType === MANAGE_SELL_OFFER) return manage(tr.manageSellOfferResult());
      if (trType === CREATE_PASSIVE_SELL_OFFER) return manage(tr.createPassiveSellOfferResult());
      return null;
    case PATH_PAYMENT_STRICT_RECEIVE: {
      if (trType !== opType) return null;
      const r = tr.pathPaymentStrictReceiveResult();
      return r.switch().value === 0 ? { atoms: r.success().offers(), takerOfferId: null, sellerIsExact: true } : null;
    }
    case PATH_PAYMENT_STRICT_SEND: {
      if (trType !== opType) return null;
      const r = tr.pathPaymentStrictSendResult();
      return r.switch().value === 0 ? { atoms: r.success().offers(), takerOfferId: null, sellerIsExact: false } : null;
    }
    default:
      return null;
  }
}
function latestPre(changes, keyXdr) {
  for (let i = changes.length - 1; i >= 0; i--) {
    const c = changes[i];
    if (c.pre && c.keyXdr.equals(keyXdr)) return c.pre;
  }
  return null;
}
function offerKeyXdr(sellerId, offerId) {
  const seller = StrKey3.decodeEd25519PublicKey(sellerId);
  const b = Buffer.alloc(4 + 4 + 32 + 8);
  b.writeUInt32BE(2, 0);
  b.writeUInt32BE(0, 4);
  Buffer.from(seller).copy(b, 8);
  b.writeBigInt64BE(offerId, 40);
  return b;
}
function poolKeyXdr(poolId) {
  const b = Buffer.alloc(4 + 32);
  b.writeUInt32BE(5, 0);
  poolId.copy(b, 4);
  return b;
}
function poolRoundingSlippage(X, Y, x, fee) {
  if (fee < 0 || fee >= 1e4) return null;
  if (x > MAX_I64 - X) return null;
  const f = BigInt(1e4 - fee);
  const denom = X * 10000n + x * f;
  if (denom === 0n) return null;
  const numer = Y * x * f;
  const result = numer / denom;
  let slippage = 0n;
  if (numer % denom !== 0n) {
    const unrounded = numer * 10000n / denom;
    const rounded = result * 10000n;
    let s = unrounded - rounded;
    if (s < 0n) s = -s;
    s = unrounded === 0n ? 0n : s * 10000n / unrounded;
    slippage = s / 100n;
    if (slippage > MAX_I64) return null;
  }
  if (result <= 0n || result > MAX_I64) return null;
  return slippage;
}
function assetEquals(a, b) {
  return a.toXDR().equals(b.toXDR());
}
function isSuccess(result) {
  const code = result.result().result().switch().value;
  return code === 0 || code === 1;
}
var cache5 = /* @__PURE__ */ new WeakMap();
function ledgerTrades(lcm, sequence, envelopesOf) {
  const cached2 = cache5.get(lcm);
  if (cached2) return cached2.trades;
  let envelopes = null;
  const out2 = [];
  const changes = ledgerChanges(lcm);
  for (const tx of txProcessingOf(lcm)) {
    if (!isSuccess(tx.result)) continue;
    const results = opResults(tx.result);
    if (!results) continue;
    if (!results.some((r) => r.switch().value === 0 && TRADING_OPS.has(r.tr().switch().value))) continue;
    envelopes ??= envelopesOf();
    const env = envelopes[tx.index - 1];
    if (!env)
      throw new LedgerChangeError(
        sequence,
        `tx ${tx.index}`,
        "no envelope in the tx set has this transaction's hash (wrong network passphrase?)"
      );
    const body2 = txBody(env);
    const txHash = Buffer.from(tx.result.transactionHash()).toString("hex");
    body2.operations.forEach((op, opIndex) => {
      const opType = op.body().switch().value;
      if (!TRADING_OPS.has(opType)) return;
      const res = results[opIndex];
      if (!res || res.switch().value !== 0) return;
      const claims = claimsOf(opType, res.tr());
      if (!claims) return;
      const operationId = toid(sequence, tx.index, opIndex + 1);
      const src = op.sourceAccount();
      const buyer = muxedBaseAddress(src ?? body2.source);
      const opChanges = changes.transactions[tx.index - 1]?.operations[opIndex] ?? [];
      claims.atoms.forEach((atom, order) => {
        const a = atomView(atom);
        if (a.amountSold === 0n && a.amountBought === 0n) return;
        let priceN;
        let priceD;
        let poolFee = null;
        let slippage = null;
        if (a.kind === 2) {
          priceN = a.amountBought;
          priceD = a.amountSold;
          const pre = latestPre(opChanges, poolKeyXdr(a.poolId));
          if (!pre)
            throw new LedgerChangeError(
              sequence,
              `tx ${tx.index} op ${opIndex}`,
              "pool trade without a pool change"
            );
          const cp = pre.data().liquidityPool().body().constantProduct();
          poolFee = cp.params().fee();
          let disbursed = cp.reserveA().toBigInt();
          let deposited = cp.reserveB().toBigInt();
          if (!assetEquals(a.assetSold, cp.params().assetA()))
            [disbursed, deposited] = [deposited, disbursed];
          const strictReceive = opType === PATH_PAYMENT_STRICT_RECEIVE;
          const x = strictReceive ? a.amountSold : a.amountBought;
          slippage = poolRoundingSlippage(deposited, disbursed, x, poolFee) ?? (strictReceive ? MAX_I64 : MIN_I64);
        } else {
          const pre = latestPre(opChanges, offerKeyXdr(a.sellerId, a.offerId));
          if (!pre)
            throw new LedgerChangeError(
              sequence,
              `tx ${tx.index} op ${opIndex}`,
              "offer trade without an offer change"
            );
          const price = pre.data().offer().price();
          priceN = BigInt(price.n());
          priceD = BigInt(price.d());
        }
        out2.push({
          txIndex: tx.index,
          txHash,
          opIndex,
          operationId,
          order,
          tradeType: a.kind === 2 ? 2 : 1,
          sellingAccount: a.sellerId,
          selling: assetParts(a.assetSold),
          sellingAmount: a.amountSold,
          buyingAccount: buyer,
          buying: assetParts(a.assetBought),
          buyingAmount: a.amountBought,
          priceN,
          priceD,
          sellingOfferId: a.kind === 2 ? null : a.offerId,
          buyingOfferId: claims.takerOfferId ?? syntheticOfferId(operationId),
          poolId: a.poolId,
          poolFee,
          roundingSlippage: a.kind === 2 ? slippage : null,
          sellerIsExact: claims.sellerIsExact
        });
      });
    });
  }
  cache5.set(lcm, { trades: out2 });
  return out2;
}

// packages/transform/src/tables/contract_events.ts
var TYPE_NAMES = ["system", "contract", "diagnostic"];
var GO_TYPE_NAMES = ["ContractEventTypeSystem", "ContractEventTypeContract", "ContractEventTypeDiagnostic"];
function contractIdOf(ev) {
  const id = ev.contractId();
  return id ? contractStrkey(id) : null;
}
function body(ev) {
  const v0 = ev.body().v0();
  return { topics: v0.topics(), data: v0.data() };
}
var json = (v) => JSON.stringify(v);
function contractEventsRows(ctx) {
  const base = rowBase(ctx);
  return ledgerEvents(ctx.lcm).map((e) => {
    const { topics, data } = body(e.event);
    return {
      event_id: eventId(e),
      contract_id: contractIdOf(e.event),
      ledger_sequence: base.ledger_sequence,
      transaction_hash: e.txHash,
      closed_at: ctx.closedAt,
      event_type: e.kind === "diagnostic" ? "diagnostic" : TYPE_NAMES[e.event.type().value] ?? "unknown",
      in_successful_contract_call: e.inSuccessfulContractCall,
      topics_json: json(topics.map((t) => scValBase64(t))),
      topics_decoded: json(topics.map(scValJson)),
      data_xdr: scValBase64(data),
      data_decoded: json(scValJson(data)),
      topic_count: topics.length,
      operation_index: e.opIndex,
      event_index: e.index,
      created_at: ctx.closedAt,
      ledger_range: base.ledger_range,
      era_id: null,
      version_label: null
    };
  });
}
function contractEventsRecords(ctx) {
  return ledgerEvents(ctx.lcm).map((e) => {
    const { topics, data } = body(e.event);
    const typed = (v) => ({ type: scTypeName(v), value: scValBase64(v) });
    const decoded = (v) => ({ type: scTypeName(v), value: scValJson(v) });
    return {
      transaction_hash: e.txHash,
      transaction_id: toid(ctx.sequence, e.txIndex, 0),
      successful: e.txSuccessful,
      in_successful_contract_call: e.inSuccessfulContractCall,
      contract_id: contractIdOf(e.event) ?? "",
      type: e.event.type().value,
      type_string: GO_TYPE_NAMES[e.event.type().value] ?? "",
      topics: topics.map(typed),
      topics_decoded: topics.map(decoded),
      data: typed(data),
      data_decoded: decoded(data),
      contract_event_xdr: e.event.toXDR("base64"),
      closed_at: rfc3339(ctx.closedAt),
      ledger_sequence: ctx.sequence,
      operation_id: e.kind === "operation" ? toid(ctx.sequence, e.txIndex, e.opIndex + 1) : null
    };
  });
}
var GO_ARMS = [
  "B",
  "",
  "Error",
  "U32",
  "I32",
  "U64",
  "I64",
  "Timepoint",
  "Duration",
  "U128",
  "I128",
  "U256",
  "I256",
  "Bytes",
  "Str",
  "Sym",
  "Vec",
  "Map",
  "Address",
  "Instance",
  "",
  "NonceKey"
];
function scTypeName(v) {
  return GO_ARMS[v.switch().value] ?? "";
}

// packages/transform/src/changes/keys.ts
import { createHash as createHash3 } from "node:crypto";
var ENTRY_TYPE_NAMES = [
  "LedgerEntryTypeAccount",
  "LedgerEntryTypeTrustline",
  "LedgerEntryTypeOffer",
  "LedgerEntryTypeData",
  "LedgerEntryTypeClaimableBalance",
  "LedgerEntryTypeLiquidityPool",
  "LedgerEntryTypeContractData",
  "LedgerEntryTypeContractCode",
  "LedgerEntryTypeConfigSetting",
  "LedgerEntryTypeTtl"
];
function entryTypeName(type) {
  return ENTRY_TYPE_NAMES[type] ?? `LedgerEntryType(${type})`;
}
function describeKey(key, knownXdr) {
  const keyXdr = knownXdr ?? key.toXDR();
  const keyHash = createHash3("sha256").update(keyXdr).digest("hex");
  const type = key.switch().value;
  if (type === 6) {
    const cd = key.contractData();
    return {
      keyXdr,
      keyHash,
      type,
      contractId: addressString(cd.contract()),
      durability: durabilityName(cd.durability())
    };
  }
  if (type === 7)
    return { keyXdr, keyHash, type, contractId: null, durability: "ContractDataDurabilityPersistent" };
  return { keyXdr, keyHash, type, contractId: null, durability: "unknown" };
}
function describeKeys(keys, knownXdr) {
  const infos = keys.map((k, i) => describeKey(k, knownXdr?.[i]));
  const byHash = new Map(infos.map((i) => [i.keyHash, i]));
  return infos.map((i, n2) => {
    if (i.type !== 9) return i;
    const target = byHash.get(Buffer.from(keys[n2].ttl().keyHash()).toString("hex"));
    return target ? { ...i, contractId: target.contractId, durability: target.durability } : i;
  });
}

// packages/transform/src/tables/evicted_keys.ts
function evictedKeysRows(ctx) {
  const base = rowBase(ctx);
  const seen = /* @__PURE__ */ new Set();
  const out2 = [];
  for (const k of describeKeys(evictedKeysOf(ctx.lcm))) {
    if (seen.has(k.keyHash)) continue;
    seen.add(k.keyHash);
    out2.push({
      key_hash: k.keyHash,
      ledger_sequence: base.ledger_sequence,
      contract_id: k.contractId,
      key_type: entryTypeName(k.type),
      durability: k.durability,
      closed_at: ctx.closedAt,
      ledger_range: base.ledger_range,
      created_at: ctx.closedAt,
      era_id: null,
      version_label: null
    });
  }
  return out2;
}

// packages/transform/src/tables/liquidity_pools.ts
import { StrKey as StrKey4 } from "@stellar/stellar-base";
function pool(c) {
  const lp = entryOf(c).data().liquidityPool();
  const cp = lp.body().constantProduct();
  const params = cp.params();
  return {
    id: Buffer.from(lp.liquidityPoolId()),
    fee: params.fee(),
    a: assetParts(params.assetA()),
    b: assetParts(params.assetB()),
    reserveA: cp.reserveA().toBigInt(),
    reserveB: cp.reserveB().toBigInt(),
    shares: cp.totalPoolShares().toBigInt(),
    trustlines: cp.poolSharesTrustLineCount().toBigInt()
  };
}
function liquidityPoolsRows(ctx) {
  const base = rowBase(ctx);
  return compactedOfType(ctx.lcm, ENTRY_LIQUIDITY_POOL).map((c) => {
    const p = pool(c);
    return {
      liquidity_pool_id: hex(p.id),
      ledger_sequence: base.ledger_sequence,
      closed_at: ctx.closedAt,
      pool_type: "constant_product",
      fee: p.fee,
      trustline_count: Number(p.trustlines),
      total_pool_shares: p.shares,
      asset_a_type: p.a.type,
      asset_a_code: p.a.type === "native" ? null : p.a.code,
      asset_a_issuer: p.a.type === "native" ? null : p.a.issuer,
      asset_a_amount: p.reserveA,
      asset_b_type: p.b.type,
      asset_b_code: p.b.type === "native" ? null : p.b.code,
      asset_b_issuer: p.b.type === "native" ? null : p.b.issuer,
      asset_b_amount: p.reserveB,
      created_at: ctx.closedAt,
      ledger_range: base.ledger_range,
      era_id: null,
      version_label: null,
      deleted: isRemoval(c),
      ledger_entry_change: c.type
    };
  });
}
function liquidityPoolsRecords(ctx) {
  return compactedOfType(ctx.lcm, ENTRY_LIQUIDITY_POOL).map((c) => {
    const p = pool(c);
    return {
      liquidity_pool_id: hex(p.id),
      liquidity_pool_id_strkey: StrKey4.encodeLiquidityPool(p.id),
      type: "constant_product",
      fee: p.fee,
      trustline_count: p.trustlines,
      pool_share_count: amountFloat(p.shares),
      asset_a_type: p.a.type,
      asset_a_code: p.a.code,
      asset_a_issuer: p.a.issuer,
      asset_a_id: assetIdOf(p.a.code, p.a.issuer, p.a.type),
      asset_a_amount: amountFloat(p.reserveA),
      asset_b_type: p.b.type,
      asset_b_code: p.b.code,
      asset_b_issuer: p.b.issuer,
      asset_b_id: assetIdOf(p.b.code, p.b.issuer, p.b.type),
      asset_b_amount: amountFloat(p.reserveB),
      ...hubbleChangeFields(ctx, c)
    };
  });
}

// packages/transform/src/tables/native_balances.ts
function nativeBalancesRows(ctx) {
  const base = rowBase(ctx);
  return compactedOfType(ctx.lcm, ENTRY_ACCOUNT).map((c) => {
    const entry = entryOf(c);
    const a = entry.data().account();
    const info = accountInfo(a);
    return {
      account_id: accountIdString(a.accountId()),
      balance: a.balance().toBigInt(),
      buying_liabilities: info.buyingLiabilities,
      selling_liabilities: info.sellingLiabilities,
      num_subentries: a.numSubEntries(),
      num_sponsoring: info.numSponsoring,
      num_sponsored: info.numSponsored,
      sequence_number: a.seqNum().toBigInt(),
      last_modified_ledger: BigInt(entry.lastModifiedLedgerSeq()),
      ...base,
      deleted: isRemoval(c),
      ledger_entry_change: c.type
    };
  });
}

// packages/transform/src/changes/price.ts
function priceString7(n2, d) {
  if (d === 0n) return "0.0000000";
  const neg = n2 < 0n !== d < 0n;
  const an = n2 < 0n ? -n2 : n2;
  const ad = d < 0n ? -d : d;
  const scaled = (an * 10000000n * 2n + ad) / (2n * ad);
  const whole = scaled / 10000000n;
  const frac = (scaled % 10000000n).toString().padStart(7, "0");
  return `${neg && scaled !== 0n ? "-" : ""}${whole}.${frac}`;
}
function priceFloat(n2, d) {
  return Number(priceString7(n2, d));
}

// packages/transform/src/tables/offers.ts
function offersRows(ctx) {
  const base = rowBase(ctx);
  return compactedOfType(ctx.lcm, ENTRY_OFFER).map((c) => {
    const o = entryOf(c).data().offer();
    const selling = assetParts(o.selling());
    const buying = assetParts(o.buying());
    const price = o.price();
    return {
      offer_id: o.offerId().toBigInt(),
      seller_account: accountIdString(o.sellerId()),
      ledger_sequence: base.ledger_sequence,
      closed_at: ctx.closedAt,
      selling_asset_type: selling.type,
      selling_asset_code: selling.type === "native" ? null : selling.code,
      selling_asset_issuer: selling.type === "native" ? null : selling.issuer,
      buying_asset_type: buying.type,
      buying_asset_code: buying.type === "native" ? null : buying.code,
      buying_asset_issuer: buying.type === "native" ? null : buying.issuer,
      amount: amountString(o.amount().toBigInt()),
      price: priceString7(BigInt(price.n()), BigInt(price.d())),
      flags: o.flags(),
      created_at: ctx.closedAt,
      ledger_range: base.ledger_range,
      era_id: null,
      version_label: null,
      deleted: isRemoval(c),
      ledger_entry_change: c.type
    };
  });
}
function offersRecords(ctx) {
  return compactedOfType(ctx.lcm, ENTRY_OFFER).map((c) => {
    const entry = entryOf(c);
    const o = entry.data().offer();
    const selling = assetParts(o.selling());
    const buying = assetParts(o.buying());
    const n2 = BigInt(o.price().n());
    const d = BigInt(o.price().d());
    return {
      seller_id: accountIdString(o.sellerId()),
      offer_id: o.offerId().toBigInt(),
      selling_asset_type: selling.type,
      selling_asset_code: selling.code,
      selling_asset_issuer: selling.issuer,
      selling_asset_id: assetIdOf(selling.code, selling.issuer, selling.type),
      buying_asset_type: buying.type,
      buying_asset_code: buying.code,
      buying_asset_issuer: buying.issuer,
      buying_asset_id: assetIdOf(buying.code, buying.issuer, buying.type),
      amount: amountFloat(o.amount().toBigInt()),
      pricen: Number(n2),
      priced: Number(d),
      price: priceFloat(n2, d),
      flags: o.flags(),
      sponsor: sponsorOf(entry),
      ...hubbleChangeFields(ctx, c)
    };
  });
}

// packages/transform/src/tables/restored_keys.ts
var RESTORE_FOOTPRINT = 26;
var TX_SUCCESS = 0;
var TX_FEE_BUMP_INNER_SUCCESS = 1;
function opResults2(tx) {
  const r = tx.result.result().result();
  const code = r.switch().value;
  if (code === TX_SUCCESS) return r.results();
  if (code === TX_FEE_BUMP_INNER_SUCCESS) return r.innerResultPair().result().result().results();
  return [];
}
function restoreFootprintKeys(ctx) {
  const keys = [];
  for (const tx of txProcessingOf(ctx.lcm)) {
    const restores = opResults2(tx).some(
      (r) => r.switch().value === 0 && r.tr().switch().value === RESTORE_FOOTPRINT
    );
    if (!restores) continue;
    const envelopes = ctx.envelopes ?? envelopesInApplyOrder(ctx.lcm, ctx.networkPassphrase);
    const env = envelopes[tx.index - 1];
    if (!env) continue;
    const { sorobanData } = txBody(env);
    if (sorobanData) keys.push(...sorobanData.resources().footprint().readWrite());
  }
  return keys;
}
function restoredKeys(ctx) {
  const out2 = [];
  for (let type = 0; type < 10; type++)
    for (const c of compactedOfType(ctx.lcm, type))
      if (c.type === CHANGE_RESTORED) out2.push({ key: ledgerKeyOf(entryOf(c)), keyXdr: c.keyXdr });
  for (const key of restoreFootprintKeys(ctx)) out2.push({ key });
  return out2;
}
function restoredKeysRows(ctx) {
  const base = rowBase(ctx);
  const priorLiveUntil = /* @__PURE__ */ new Map();
  for (const c of compactedOfType(ctx.lcm, ENTRY_TTL))
    if (c.pre)
      priorLiveUntil.set(
        Buffer.from(c.pre.data().ttl().keyHash()).toString("hex"),
        c.pre.data().ttl().liveUntilLedgerSeq()
      );
  const restored = restoredKeys(ctx);
  const seen = /* @__PURE__ */ new Set();
  const out2 = [];
  const infos = describeKeys(
    restored.map((r) => r.key),
    restored.map((r) => r.keyXdr)
  );
  for (const k of infos) {
    if (seen.has(k.keyHash)) continue;
    seen.add(k.keyHash);
    out2.push({
      key_hash: k.keyHash,
      ledger_sequence: base.ledger_sequence,
      contract_id: k.contractId,
      key_type: entryTypeName(k.type),
      durability: k.durability,
      restored_from_ledger: BigInt(priorLiveUntil.get(k.keyHash) ?? 0),
      closed_at: ctx.closedAt,
      ledger_range: base.ledger_range,
      created_at: ctx.closedAt,
      era_id: null,
      version_label: null
    });
  }
  return out2;
}
function restoredKeysRecords(ctx) {
  const out2 = [];
  for (let type = 0; type < 10; type++)
    for (const c of compactedOfType(ctx.lcm, type)) {
      if (c.type !== CHANGE_RESTORED) continue;
      out2.push({
        ledger_key_hash: base64(c.keyXdr),
        ledger_entry_type: entryTypeName(c.entryType),
        last_modified_ledger: entryOf(c).lastModifiedLedgerSeq(),
        closed_at: ctx.closedAt.toISOString().replace(/\.\d{3}Z$/, "Z"),
        ledger_sequence: ctx.sequence
      });
    }
  return out2;
}

// packages/transform/src/tables/trades.ts
import { StrKey as StrKey5 } from "@stellar/stellar-base";
function tradesOf(ctx) {
  return ledgerTrades(
    ctx.lcm,
    ctx.sequence,
    () => ctx.envelopes ?? envelopesInApplyOrder(ctx.lcm, ctx.networkPassphrase)
  );
}
var orNull = (s, native) => native ? null : s;
function tradesRows(ctx) {
  const base = rowBase(ctx);
  return tradesOf(ctx).map((t) => ({
    ledger_sequence: base.ledger_sequence,
    transaction_hash: t.txHash,
    operation_index: t.opIndex,
    trade_index: t.order,
    trade_type: t.tradeType === 1 ? "orderbook" : "liquidity_pool",
    trade_timestamp: ctx.closedAt,
    seller_account: t.tradeType === 1 ? t.sellingAccount : null,
    selling_asset_code: orNull(t.selling.code, t.selling.type === "native"),
    selling_asset_issuer: orNull(t.selling.issuer, t.selling.type === "native"),
    selling_amount: amountString(t.sellingAmount),
    buyer_account: t.buyingAccount,
    buying_asset_code: orNull(t.buying.code, t.buying.type === "native"),
    buying_asset_issuer: orNull(t.buying.issuer, t.buying.type === "native"),
    buying_amount: amountString(t.buyingAmount),
    price: priceString7(t.priceN, t.priceD),
    created_at: ctx.closedAt,
    ledger_range: base.ledger_range,
    era_id: null,
    version_label: null,
    history_operation_id: t.operationId,
    selling_asset_type: t.selling.type,
    buying_asset_type: t.buying.type,
    selling_offer_id: t.sellingOfferId,
    buying_offer_id: t.buyingOfferId,
    liquidity_pool_id: t.poolId ? t.poolId.toString("hex") : null,
    liquidity_pool_fee: t.poolFee === null ? null : BigInt(t.poolFee),
    price_n: t.priceN,
    price_d: t.priceD
  }));
}
function tradesRecords(ctx) {
  return tradesOf(ctx).map((t) => ({
    history_operation_id: t.operationId,
    order: t.order,
    ledger_closed_at: rfc3339(ctx.closedAt),
    selling_account_address: t.sellingAccount,
    selling_asset_code: t.selling.code,
    selling_asset_issuer: t.selling.issuer,
    selling_asset_type: t.selling.type,
    selling_asset_id: assetIdOf(t.selling.code, t.selling.issuer, t.selling.type),
    selling_amount: amountFloat(t.sellingAmount),
    buying_account_address: t.buyingAccount,
    buying_asset_code: t.buying.code,
    buying_asset_issuer: t.buying.issuer,
    buying_asset_type: t.buying.type,
    buying_asset_id: assetIdOf(t.buying.code, t.buying.issuer, t.buying.type),
    buying_amount: amountFloat(t.buyingAmount),
    price_n: t.priceN,
    price_d: t.priceD,
    selling_offer_id: t.sellingOfferId,
    buying_offer_id: t.buyingOfferId,
    selling_liquidity_pool_id: t.poolId ? t.poolId.toString("hex") : null,
    selling_liquidity_pool_id_strkey: t.poolId ? StrKey5.encodeLiquidityPool(t.poolId) : null,
    liquidity_pool_fee: t.poolFee === null ? null : BigInt(t.poolFee),
    trade_type: t.tradeType,
    rounding_slippage: t.roundingSlippage,
    seller_is_exact: t.sellerIsExact
  }));
}

// packages/transform/src/tables/trustlines.ts
import { StrKey as StrKey6 } from "@stellar/stellar-base";
var AUTHORIZED = 1;
var AUTHORIZED_TO_MAINTAIN_LIABILITIES = 2;
var CLAWBACK_ENABLED = 4;
function liabilities(t) {
  const ext = t.ext();
  if (ext.switch() !== 1) return { buying: 0n, selling: 0n };
  const l = ext.v1().liabilities();
  return { buying: l.buying().toBigInt(), selling: l.selling().toBigInt() };
}
function trustlinesRows(ctx) {
  const base = rowBase(ctx);
  return compactedOfType(ctx.lcm, ENTRY_TRUSTLINE).map((c) => {
    const t = entryOf(c).data().trustLine();
    const asset = assetParts(t.asset());
    const pool2 = asset.type === "liquidity_pool_shares";
    const l = liabilities(t);
    const flags = t.flags();
    return {
      account_id: accountIdString(t.accountId()),
      asset_code: pool2 ? null : asset.code,
      asset_issuer: pool2 ? null : asset.issuer,
      asset_type: asset.type,
      balance: amountString(t.balance().toBigInt()),
      trust_limit: amountString(t.limit().toBigInt()),
      buying_liabilities: amountString(l.buying),
      selling_liabilities: amountString(l.selling),
      authorized: (flags & AUTHORIZED) !== 0,
      authorized_to_maintain_liabilities: (flags & AUTHORIZED_TO_MAINTAIN_LIABILITIES) !== 0,
      clawback_enabled: (flags & CLAWBACK_ENABLED) !== 0,
      ledger_sequence: base.ledger_sequence,
      created_at: ctx.closedAt,
      ledger_range: base.ledger_range,
      era_id: null,
      version_label: null,
      liquidity_pool_id: pool2 ? asset.poolId : null,
      deleted: isRemoval(c),
      ledger_entry_change: c.type
    };
  });
}
function trustlinesRecords(ctx) {
  return compactedOfType(ctx.lcm, ENTRY_TRUSTLINE).map((c) => {
    const entry = entryOf(c);
    const t = entry.data().trustLine();
    const asset = assetParts(t.asset());
    const pool2 = asset.type === "liquidity_pool_shares";
    const l = liabilities(t);
    return {
      ledger_key: base64(c.keyXdr),
      account_id: accountIdString(t.accountId()),
      asset_code: asset.code,
      asset_issuer: asset.issuer,
      // No golden pins stellar-etl's type name for pool-share lines; "pool_share" is the SDK's AssetType name.
      asset_type: pool2 ? "pool_share" : asset.type,
      asset_id: assetIdOf(asset.code, asset.issuer, pool2 ? "pool_share" : asset.type),
      balance: amountFloat(t.balance().toBigInt()),
      trust_line_limit: t.limit().toBigInt(),
      liquidity_pool_id: asset.poolId,
      liquidity_pool_id_strkey: pool2 ? StrKey6.encodeLiquidityPool(Buffer.from(asset.poolId, "hex")) : "",
      buying_liabilities: amountFloat(l.buying),
      selling_liabilities: amountFloat(l.selling),
      flags: t.flags(),
      sponsor: sponsorOf(entry),
      ...hubbleChangeFields(ctx, c)
    };
  });
}

// packages/transform/src/tables/ttl.ts
function ttlRows(ctx) {
  const base = rowBase(ctx);
  return compactedOfType(ctx.lcm, ENTRY_TTL).map((c) => {
    const entry = entryOf(c);
    const t = entry.data().ttl();
    const liveUntil = BigInt(t.liveUntilLedgerSeq());
    return {
      key_hash: hex(t.keyHash()),
      ledger_sequence: base.ledger_sequence,
      live_until_ledger_seq: liveUntil,
      ttl_remaining: liveUntil - base.ledger_sequence,
      expired: liveUntil < base.ledger_sequence,
      last_modified_ledger: entry.lastModifiedLedgerSeq(),
      deleted: isRemoval(c),
      closed_at: ctx.closedAt,
      created_at: ctx.closedAt,
      ledger_range: base.ledger_range,
      era_id: null,
      version_label: null,
      ledger_entry_change: c.type
    };
  });
}
function ttlRecords(ctx) {
  return compactedOfType(ctx.lcm, ENTRY_TTL).map((c) => {
    const t = entryOf(c).data().ttl();
    return {
      key_hash: hex(t.keyHash()),
      live_until_ledger_seq: t.liveUntilLedgerSeq(),
      ...hubbleChangeFields(ctx, c)
    };
  });
}

// packages/transform/src/changes/tables.ts
var changeTables = [
  { table: "trades_row_v1", rows: tradesRows, hubble: "history_trades", records: tradesRecords },
  { table: "accounts_snapshot_v1", rows: accountsRows, hubble: "accounts", records: accountsRecords },
  {
    table: "trustlines_snapshot_v1",
    rows: trustlinesRows,
    hubble: "trust_lines",
    records: trustlinesRecords
  },
  { table: "native_balances_snapshot_v1", rows: nativeBalancesRows },
  {
    table: "account_signers_snapshot_v1",
    rows: accountSignersRows,
    hubble: "account_signers",
    records: accountSignersRecords
  },
  { table: "offers_snapshot_v1", rows: offersRows, hubble: "offers", records: offersRecords },
  {
    table: "claimable_balances_snapshot_v1",
    rows: claimableBalancesRows,
    hubble: "claimable_balances",
    records: claimableBalancesRecords
  },
  {
    table: "liquidity_pools_snapshot_v1",
    rows: liquidityPoolsRows,
    hubble: "liquidity_pools",
    records: liquidityPoolsRecords
  },
  {
    table: "contract_events_stream_v1",
    rows: contractEventsRows,
    hubble: "history_contract_events",
    records: contractEventsRecords
  },
  {
    table: "contract_data_snapshot_v1",
    rows: contractDataRows,
    hubble: "contract_data",
    records: contractDataRecords
  },
  {
    table: "contract_code_snapshot_v1",
    rows: contractCodeRows,
    hubble: "contract_code",
    records: contractCodeRecords
  },
  {
    table: "config_settings_snapshot_v1",
    rows: configSettingsRows,
    hubble: "config_settings",
    records: configSettingsRecords
  },
  { table: "ttl_snapshot_v1", rows: ttlRows, hubble: "ttl", records: ttlRecords },
  // Hubble has no evicted-keys table (they are history_ledgers.evicted_ledger_keys_*).
  { table: "evicted_keys_state_v1", rows: evictedKeysRows },
  {
    table: "restored_keys_state_v1",
    rows: restoredKeysRows,
    hubble: "restored_key",
    records: restoredKeysRecords
  }
];

// packages/transform/src/tables/ledgers.ts
import { StrKey as StrKey8 } from "@stellar/stellar-base";

// packages/transform/src/tables/core-common.ts
import { StrKey as StrKey7 } from "@stellar/stellar-base";
function isSuccess2(result) {
  const code = result.result().switch().value;
  return code === 0 || code === 1;
}
var cache6 = /* @__PURE__ */ new WeakMap();
var MissingEnvelopeError = class extends Error {
  name = "MissingEnvelopeError";
};
function coreTransactions(ctx) {
  const hit = cache6.get(ctx.lcm);
  if (hit) return hit;
  const envelopes = ctx.envelopes ?? envelopesInApplyOrder(ctx.lcm, ctx.networkPassphrase);
  const out2 = txProcessingOf(ctx.lcm).map((proc, i) => {
    const envelope = envelopes[i];
    const hash = hex(proc.result.transactionHash());
    if (!envelope) {
      throw new MissingEnvelopeError(
        `ledger ${ctx.sequence}: no envelope in the tx set hashes to ${hash} under the network passphrase '${ctx.networkPassphrase}' (wrong network?)`
      );
    }
    const body2 = txBody(envelope);
    return {
      proc,
      envelope,
      hash,
      successful: isSuccess2(proc.result.result()),
      operations: body2.operations,
      source: body2.source,
      sorobanData: body2.sorobanData,
      transactionId: toid(ctx.sequence, proc.index, 0)
    };
  });
  cache6.set(ctx.lcm, out2);
  return out2;
}
function baseAccount(m) {
  return muxedBaseAddress(m);
}
function muxedAddress(m) {
  if (m.switch().value === 0) return null;
  const med = m.med25519();
  const raw = Buffer.alloc(40);
  Buffer.from(med.ed25519()).copy(raw, 0);
  raw.writeBigUInt64BE(BigInt(med.id().toString()), 32);
  return StrKey7.encodeMed25519PublicKey(raw);
}
function goEnumName(prefix, name) {
  return prefix + name.charAt(0).toUpperCase() + name.slice(1);
}

// packages/transform/src/tables/ledgers.ts
function ledgersRows(ctx) {
  const body2 = lcmBody(ctx.lcm);
  const entry = body2.ledgerHeader();
  const header = entry.header();
  const txs = coreTransactions(ctx);
  const ok = txs.filter((t) => t.successful);
  let sorobanFeeWrite1kb = null;
  let stateSize = null;
  let evicted = null;
  if (ctx.lcm.switch() === 1) {
    const v1 = ctx.lcm.v1();
    if (v1.ext().switch() === 1) sorobanFeeWrite1kb = v1.ext().v1().sorobanFeeWrite1Kb().toBigInt();
    stateSize = v1.totalByteSizeOfLiveSorobanState().toBigInt();
    evicted = v1.evictedKeys().length + v1.unused().length;
  } else if (ctx.lcm.switch() === 2) {
    const v2 = ctx.lcm.v2();
    if (v2.ext().switch() === 1) sorobanFeeWrite1kb = v2.ext().v1().sorobanFeeWrite1Kb().toBigInt();
    stateSize = v2.totalByteSizeOfLiveSorobanState().toBigInt();
    evicted = v2.evictedKeys().length;
  }
  const scp = header.scpValue();
  const signed = scp.ext().switch().value === 1 ? scp.ext().lcValueSignature() : null;
  return [
    {
      sequence: BigInt(ctx.sequence),
      ledger_hash: hex(entry.hash()),
      previous_ledger_hash: hex(header.previousLedgerHash()),
      closed_at: ctx.closedAt,
      protocol_version: header.ledgerVersion(),
      total_coins: header.totalCoins().toBigInt(),
      fee_pool: header.feePool().toBigInt(),
      base_fee: header.baseFee(),
      base_reserve: header.baseReserve(),
      max_tx_set_size: header.maxTxSetSize(),
      successful_tx_count: ok.length,
      failed_tx_count: txs.length - ok.length,
      ingestion_timestamp: null,
      ledger_range: BigInt(ctx.sequence) / 10000n * 10000n,
      transaction_count: ok.length,
      operation_count: ok.reduce((n2, t) => n2 + t.operations.length, 0),
      tx_set_operation_count: txs.reduce((n2, t) => n2 + t.operations.length, 0),
      soroban_fee_write1kb: sorobanFeeWrite1kb,
      node_id: signed ? StrKey8.encodeEd25519PublicKey(signed.nodeId().ed25519()) : null,
      signature: signed ? Buffer.from(signed.signature()).toString("base64") : null,
      ledger_header: xdrBase64(header),
      bucket_list_size: stateSize,
      live_soroban_state_size: stateSize,
      evicted_keys_count: evicted,
      era_id: null,
      version_label: null
    }
  ];
}
function ledgersRecords(ctx) {
  const body2 = lcmBody(ctx.lcm);
  const entry = body2.ledgerHeader();
  const header = entry.header();
  const txs = coreTransactions(ctx);
  const ok = txs.filter((t) => t.successful);
  let feeWrite1kb = 0n;
  let stateSize = 0n;
  const v = ctx.lcm.switch();
  if (v === 1 || v === 2) {
    const m = v === 1 ? ctx.lcm.v1() : ctx.lcm.v2();
    if (m.ext().switch() === 1) feeWrite1kb = m.ext().v1().sorobanFeeWrite1Kb().toBigInt();
    stateSize = m.totalByteSizeOfLiveSorobanState().toBigInt();
  }
  const evicted = v === 0 ? null : evictedKeysOf(ctx.lcm);
  const scp = header.scpValue();
  const signed = scp.ext().switch().value === 1 ? scp.ext().lcValueSignature() : null;
  const setOps = txSetEnvelopes(ctx.lcm).reduce((n2, e) => n2 + txBody(e).operations.length, 0);
  return [
    {
      base_fee: header.baseFee(),
      base_reserve: header.baseReserve(),
      closed_at: rfc3339(ctx.closedAt),
      evicted_ledger_keys_hash: evicted ? evicted.map((k) => k.toXDR("base64")) : null,
      evicted_ledger_keys_type: evicted ? evicted.map((k) => entryTypeName(k.switch().value)) : null,
      failed_transaction_count: txs.length - ok.length,
      fee_pool: header.feePool().toBigInt(),
      id: BigInt(ctx.sequence) << 32n,
      ledger_hash: hex(entry.hash()),
      ledger_header: xdrBase64(header),
      max_tx_set_size: header.maxTxSetSize(),
      node_id: signed ? StrKey8.encodeEd25519PublicKey(signed.nodeId().ed25519()) : "",
      operation_count: ok.reduce((n2, t) => n2 + t.operations.length, 0),
      previous_ledger_hash: hex(header.previousLedgerHash()),
      protocol_version: header.ledgerVersion(),
      sequence: ctx.sequence,
      signature: signed ? Buffer.from(signed.signature()).toString("base64") : "",
      soroban_fee_write_1kb: feeWrite1kb,
      successful_transaction_count: ok.length,
      total_byte_size_of_bucket_list: stateSize,
      total_byte_size_of_live_soroban_state: stateSize,
      total_coins: header.totalCoins().toBigInt(),
      transaction_count: ok.length,
      tx_set_operation_count: String(setOps)
    }
  ];
}

// packages/transform/src/changes/op-details.ts
import { createHash as createHash4 } from "node:crypto";
import { SignerKey as SignerKey3, StrKey as StrKey9, xdr as xdr6 } from "@stellar/stellar-base";
var NATIVE_ASSET_ID = assetIdOf("", "", "native");
function addAccount(d, m, key) {
  d[key] = muxedBaseAddress(m);
  if (m.switch().value !== 0) {
    const med = m.med25519();
    const raw = Buffer.alloc(40);
    Buffer.from(med.ed25519()).copy(raw, 0);
    const id = BigInt(med.id().toString());
    raw.writeBigUInt64BE(id, 32);
    d[`${key}_muxed`] = StrKey9.encodeMed25519PublicKey(raw);
    d[`${key}_muxed_id`] = id;
  }
}
function addAsset(d, a, prefix) {
  const p = prefix ? `${prefix}_` : "";
  d[`${p}asset_type`] = a.type;
  if (a.type === "native") {
    d[`${p}asset_id`] = NATIVE_ASSET_ID;
    return;
  }
  d[`${p}asset_code`] = a.code;
  d[`${p}asset_issuer`] = a.issuer;
  d[`${p}asset_id`] = assetIdOf(a.code, a.issuer, a.type);
}
function addPrice(d, p, prefix) {
  const k = prefix ? `${prefix}_` : "";
  d[`${k}price`] = priceFloat(BigInt(p.n()), BigInt(p.d()));
  d[`${k}price_r`] = { d: p.d(), n: p.n() };
}
function path(assets) {
  if (!assets.length) return null;
  return assets.map((a) => {
    const p = assetParts(a);
    return { asset_code: p.code, asset_issuer: p.issuer, asset_type: p.type };
  });
}
var ACCOUNT_FLAGS = [
  [1, "auth_required"],
  [2, "auth_revocable"],
  [4, "auth_immutable"],
  [8, "auth_clawback_enabled"]
];
var TRUSTLINE_FLAGS = [
  [1, "authorized"],
  [2, "authorized_to_maintain_liabilities"],
  [4, "clawback_enabled"]
];
function addFlags(d, flags, names, prefix) {
  const set = names.filter(([bit]) => (flags & bit) !== 0);
  d[`${prefix}_flags`] = set.map(([bit]) => bit);
  d[`${prefix}_flags_s`] = set.map(([, name]) => name);
}
function poolIdStrkey(id) {
  return StrKey9.encodeLiquidityPool(id);
}
function addPoolId(d, key, id) {
  d[key] = hex(id);
  d[`${key}_strkey`] = poolIdStrkey(id);
}
function balanceId(d, key, id) {
  d[key] = hex(id.toXDR());
  d[`${key}_strkey`] = StrKey9.encodeClaimableBalance(
    Buffer.concat([Buffer.from([id.switch().value]), id.v0()])
  );
}
function signerKeyAddress(k) {
  return SignerKey3.encodeSignerKey(k);
}
function opResultTr(ctx, opIndex) {
  const r = ctx.results?.[opIndex];
  return r && r.switch().value === 0 ? r.tr() : null;
}
function poolDelta(ctx, id) {
  for (const c of ctx.changes) {
    if (c.entryType !== 5) continue;
    const pre = c.pre?.data().liquidityPool();
    const post = c.post?.data().liquidityPool();
    if (pre && !Buffer.from(pre.liquidityPoolId()).equals(id)) continue;
    if (post && !Buffer.from(post.liquidityPoolId()).equals(id)) continue;
    const cpPre = pre?.body().constantProduct();
    const cpPost = post?.body().constantProduct();
    const v = (cp, f) => cp ? cp[f]().toBigInt() : 0n;
    const lp = post ?? pre;
    return {
      params: lp.body().constantProduct().params(),
      a: v(cpPost, "reserveA") - v(cpPre, "reserveA"),
      b: v(cpPost, "reserveB") - v(cpPre, "reserveB"),
      shares: v(cpPost, "totalPoolShares") - v(cpPre, "totalPoolShares")
    };
  }
  throw new Error("liquidity pool change not found");
}
function sponsorPerSigner(entry) {
  const out2 = /* @__PURE__ */ new Map();
  const acc = entry.data().account();
  const ext = acc.ext();
  if (ext.switch() !== 1) return out2;
  const v1ext = ext.v1().ext();
  if (v1ext.switch() !== 2) return out2;
  const ids = v1ext.v2().signerSponsoringIDs();
  acc.signers().forEach((s, i) => {
    const id = ids[i];
    if (id) out2.set(signerKeyAddress(s.key()), accountIdString(id));
  });
  return out2;
}
function sponsorOf2(op, ctx) {
  const b = op.body();
  const signer = b.switch().value === 5 ? b.setOptionsOp().signer() : null;
  const signerKey = signer ? signerKeyAddress(signer.key()) : "";
  for (const c of ctx.changes) {
    if (signerKey && c.entryType === 0 && c.post) {
      const post = sponsorPerSigner(c.post).get(signerKey);
      if (post !== void 0) {
        const pre = c.pre ? sponsorPerSigner(c.pre).get(signerKey) : void 0;
        if (pre !== post) return post;
      }
    }
    if (c.pre || !c.post) continue;
    const ext = c.post.ext();
    if (ext.switch() === 1) {
      const id = ext.v1().sponsoringId();
      if (id) return accountIdString(id);
    }
  }
  return null;
}
function ledgerKeyDetails(d, key) {
  switch (key.switch().value) {
    case 0:
      d.account_id = accountIdString(key.account().accountId());
      break;
    case 1: {
      const tl = key.trustLine();
      d.trustline_account_id = accountIdString(tl.accountId());
      const asset = tl.asset();
      if (asset.switch().value === 3)
        addPoolId(
          d,
          "trustline_liquidity_pool_id",
          Buffer.from(asset.liquidityPoolId())
        );
      else d.trustline_asset = canonicalAsset(assetParts(asset));
      break;
    }
    case 2:
      d.offer_id = key.offer().offerId().toBigInt();
      break;
    case 3:
      d.data_account_id = accountIdString(key.data().accountId());
      d.data_name = String(key.data().dataName());
      break;
    case 4:
      balanceId(d, "claimable_balance_id", key.claimableBalance().balanceId());
      break;
    case 5:
      addPoolId(
        d,
        "liquidity_pool_id",
        Buffer.from(key.liquidityPool().liquidityPoolId())
      );
      break;
  }
}
var SCVAL_ARMS = [
  "B",
  "",
  "Error",
  "U32",
  "I32",
  "U64",
  "I64",
  "Timepoint",
  "Duration",
  "U128",
  "I128",
  "U256",
  "I256",
  "Bytes",
  "Str",
  "Sym",
  "Vec",
  "Map",
  "Address",
  "Instance",
  "",
  "NonceKey"
];
function scValText(v) {
  const j = scValJson(v);
  switch (v.switch().value) {
    case 0:
      return v.b() ? "true" : "false";
    case 3:
    case 4:
    case 5:
    case 6:
    case 7:
    case 8:
    case 9:
    case 10:
    case 11:
    case 12:
      return String(Object.values(j)[0]);
    case 13:
      return hex(v.bytes());
    case 14:
    case 15:
      return String(Object.values(j)[0]);
    case 18:
      return addressString(v.address());
    default:
      return JSON.stringify(j, (_k, x) => typeof x === "bigint" ? x.toString() : x);
  }
}
function parameters(d, args) {
  const raw = args.map((a) => scValBase64(a));
  d.parameters = args.map((a, i) => ({ type: SCVAL_ARMS[a.switch().value] ?? "", value: raw[i] }));
  d.parameters_decoded = args.map((a) => ({ type: SCVAL_ARMS[a.switch().value] ?? "", value: scValText(a) }));
  d.parameters_json = raw;
  d.parameters_json_decoded = args.map((a) => scValJson(a));
}
function footprint(ctx) {
  const fp = ctx.sorobanData?.resources().footprint();
  return { ro: fp?.readOnly() ?? [], rw: fp?.readWrite() ?? [] };
}
function ledgerKeyHashes(ctx) {
  const { ro, rw } = footprint(ctx);
  const out2 = [...ro, ...rw].map((k) => createHash4("sha256").update(k.toXDR()).digest("hex"));
  return out2.length ? out2 : null;
}
function footprintContractId(ctx) {
  const { ro, rw } = footprint(ctx);
  for (const k of [...rw, ...ro]) {
    if (k.switch().value !== 6) continue;
    const c = k.contractData().contract();
    if (c.switch().value === 1) return StrKey9.encodeContract(c.contractId());
  }
  return "";
}
function footprintCodeHash(ctx) {
  const { ro, rw } = footprint(ctx);
  for (const k of [...ro, ...rw]) if (k.switch().value === 7) return hex(k.contractCode().hash());
  return "";
}
function sorobanCommon(d, ctx, withContract) {
  d.ledger_key_hash = ledgerKeyHashes(ctx);
  if (withContract) d.contract_id = footprintContractId(ctx);
  d.contract_code_hash = footprintCodeHash(ctx);
}
function preimage(d, p) {
  if (p.switch().value === 0) {
    d.from = "address";
    d.address = addressString(p.fromAddress().address());
  } else {
    d.from = "asset";
    d.asset = canonicalAsset(assetParts(p.fromAsset()));
  }
}
function text2(v) {
  if (!v) return null;
  const t = v.switch().value;
  if (t !== 14 && t !== 15) return null;
  const s = t === 14 ? v.str() : v.sym();
  return typeof s === "string" ? s : s.toString("utf8");
}
function i128(v) {
  if (v.switch().value !== 10) return null;
  const p = v.i128();
  return (BigInt.asIntN(64, p.hi().toBigInt()) << 64n) + BigInt.asUintN(64, p.lo().toBigInt());
}
function sacAsset(contractId, name, passphrase) {
  if (name === "native")
    return contractId === nativeContractId(passphrase) ? assetParts(xdr6.Asset.assetTypeNative()) : null;
  const i = name.indexOf(":");
  if (i <= 0) return null;
  const code = name.slice(0, i);
  const issuer = name.slice(i + 1);
  if (code.length > 12 || !StrKey9.isValidEd25519PublicKey(issuer)) return null;
  if (sacContractId(code, issuer, passphrase) !== contractId) return null;
  return { type: code.length <= 4 ? "credit_alphanum4" : "credit_alphanum12", code, issuer, poolId: "" };
}
function balanceChanges(ctx) {
  const out2 = [];
  for (const e of ledgerEvents(ctx.lcm)) {
    if (e.txIndex !== ctx.txIndex || e.kind !== "diagnostic" || !e.inSuccessfulContractCall) continue;
    const ev = e.event;
    if (ev.type().value !== 1) continue;
    const cid = ev.contractId();
    if (!cid) continue;
    const body2 = ev.body().v0();
    const topics = body2.topics();
    const fn = text2(topics[0]);
    if (!fn || !["transfer", "mint", "clawback", "burn"].includes(fn)) continue;
    const asset = sacAsset(
      StrKey9.encodeContract(cid),
      text2(topics[topics.length - 1]) ?? "",
      ctx.networkPassphrase
    );
    if (!asset) continue;
    const amount = i128(body2.data());
    if (amount === null) continue;
    const addr = (v) => v && v.switch().value === 18 ? addressString(v.address()) : null;
    let from = null;
    let to = null;
    if (fn === "transfer" && topics.length === 4) {
      from = addr(topics[1]);
      to = addr(topics[2]);
      if (!from || !to) continue;
    } else if (fn === "mint" && (topics.length === 4 || topics.length === 3)) {
      to = addr(topics[topics.length - 2]);
      if (!to) continue;
    } else if (fn === "clawback" && (topics.length === 4 || topics.length === 3)) {
      from = addr(topics[topics.length - 2]);
      if (!from) continue;
    } else if (fn === "burn" && topics.length === 3) {
      from = addr(topics[1]);
      if (!from) continue;
    } else continue;
    const c = {};
    if (from) c.from = from;
    if (to) c.to = to;
    c.type = fn;
    c.amount = amountString(amount);
    c.asset_type = asset.type;
    if (asset.type !== "native") {
      c.asset_code = asset.code;
      c.asset_issuer = asset.issuer;
    }
    out2.push(c);
  }
  return out2;
}
function hostFunctionDetails(d, op, ctx) {
  const fn = op.hostFunction();
  const name = fn.switch().name;
  d.function = `HostFunctionType${name.charAt(0).toUpperCase()}${name.slice(1)}`;
  switch (fn.switch().value) {
    case 0: {
      const args = fn.invokeContract();
      d.type = "invoke_contract";
      d.ledger_key_hash = ledgerKeyHashes(ctx);
      d.contract_id = addressString(args.contractAddress());
      d.contract_code_hash = footprintCodeHash(ctx);
      parameters(d, [
        xdr6.ScVal.scvAddress(args.contractAddress()),
        xdr6.ScVal.scvSymbol(args.functionName()),
        ...args.args()
      ]);
      d.asset_balance_changes = balanceChanges(ctx);
      return;
    }
    case 1:
      d.type = "create_contract";
      sorobanCommon(d, ctx, true);
      preimage(d, fn.createContract().contractIdPreimage());
      return;
    case 2:
      d.type = "upload_wasm";
      sorobanCommon(d, ctx, false);
      return;
    case 3: {
      const args = fn.createContractV2();
      d.type = "create_contract_v2";
      sorobanCommon(d, ctx, true);
      parameters(d, args.constructorArgs());
      preimage(d, args.contractIdPreimage());
      return;
    }
    default:
      throw new Error(`unknown host function type ${fn.switch().value}`);
  }
}
function operationDetails(op, opIndex, ctx) {
  const d = {};
  const source = op.sourceAccount() ?? ctx.txSource;
  const b = op.body();
  const type = b.switch().value;
  switch (type) {
    case 0: {
      const o = b.createAccountOp();
      addAccount(d, source, "funder");
      d.account = accountIdString(o.destination());
      d.starting_balance = amountFloat(o.startingBalance().toBigInt());
      break;
    }
    case 1: {
      const o = b.paymentOp();
      addAccount(d, source, "from");
      addAccount(d, o.destination(), "to");
      d.amount = amountFloat(o.amount().toBigInt());
      addAsset(d, assetParts(o.asset()), "");
      break;
    }
    case 2: {
      const o = b.pathPaymentStrictReceiveOp();
      addAccount(d, source, "from");
      addAccount(d, o.destination(), "to");
      d.amount = amountFloat(o.destAmount().toBigInt());
      d.source_amount = amountString(0n);
      d.source_max = amountFloat(o.sendMax().toBigInt());
      addAsset(d, assetParts(o.destAsset()), "");
      addAsset(d, assetParts(o.sendAsset()), "source");
      if (ctx.successful) {
        const tr = opResultTr(ctx, opIndex);
        if (tr?.switch().value !== 2) throw new Error(`op ${opIndex}: no path_payment_strict_receive result`);
        const r = tr.pathPaymentStrictReceiveResult().success();
        d.source_amount = amountFloat(sendAmount(r.offers(), r.last().amount().toBigInt()));
      }
      d.path = path(o.path());
      break;
    }
    case 13: {
      const o = b.pathPaymentStrictSendOp();
      addAccount(d, source, "from");
      addAccount(d, o.destination(), "to");
      d.amount = amountString(0n);
      d.source_amount = amountFloat(o.sendAmount().toBigInt());
      d.destination_min = amountString(o.destMin().toBigInt());
      addAsset(d, assetParts(o.destAsset()), "");
      addAsset(d, assetParts(o.sendAsset()), "source");
      if (ctx.successful) {
        const tr = opResultTr(ctx, opIndex);
        if (tr?.switch().value !== 13) throw new Error(`op ${opIndex}: no path_payment_strict_send result`);
        d.amount = amountFloat(tr.pathPaymentStrictSendResult().success().last().amount().toBigInt());
      }
      d.path = path(o.path());
      break;
    }
    case 3:
    case 12: {
      const sell = type === 3;
      const o = sell ? b.manageSellOfferOp() : b.manageBuyOfferOp();
      d.offer_id = o.offerId().toBigInt();
      d.amount = amountFloat(
        (sell ? o.amount() : o.buyAmount()).toBigInt()
      );
      addPrice(d, o.price(), "");
      addAsset(d, assetParts(o.buying()), "buying");
      addAsset(d, assetParts(o.selling()), "selling");
      break;
    }
    case 4: {
      const o = b.createPassiveSellOfferOp();
      d.amount = amountFloat(o.amount().toBigInt());
      addPrice(d, o.price(), "");
      addAsset(d, assetParts(o.buying()), "buying");
      addAsset(d, assetParts(o.selling()), "selling");
      break;
    }
    case 5: {
      const o = b.setOptionsOp();
      const infl = o.inflationDest();
      if (infl) d.inflation_dest = accountIdString(infl);
      const setF = o.setFlags();
      if (setF !== null && setF !== void 0 && setF > 0) addFlags(d, setF, ACCOUNT_FLAGS, "set");
      const clearF = o.clearFlags();
      if (clearF !== null && clearF !== void 0 && clearF > 0) addFlags(d, clearF, ACCOUNT_FLAGS, "clear");
      const opt = (k, v) => {
        if (v !== null && v !== void 0) d[k] = v;
      };
      opt("master_key_weight", o.masterWeight());
      opt("low_threshold", o.lowThreshold());
      opt("med_threshold", o.medThreshold());
      opt("high_threshold", o.highThreshold());
      const hd = o.homeDomain();
      if (hd !== null && hd !== void 0)
        d.home_domain = typeof hd === "string" ? hd : Buffer.from(hd).toString("utf8");
      const signer = o.signer();
      if (signer) {
        d.signer_key = signerKeyAddress(signer.key());
        d.signer_weight = signer.weight();
      }
      break;
    }
    case 6: {
      const o = b.changeTrustOp();
      const line = o.line();
      if (line.switch().value === 3) {
        d.asset_type = "liquidity_pool_shares";
        const params = line.liquidityPool();
        addPoolId(d, "liquidity_pool_id", createHash4("sha256").update(params.toXDR()).digest());
      } else {
        const p = assetParts(line);
        addAsset(d, p, "");
        d.trustee = p.type === "native" ? void 0 : p.issuer;
      }
      addAccount(d, source, "trustor");
      d.limit = amountFloat(o.limit().toBigInt());
      break;
    }
    case 7: {
      const o = b.allowTrustOp();
      const a = o.asset();
      const raw = a.switch().value === 1 ? a.assetCode4() : a.assetCode12();
      let end = raw.length;
      while (end > 0 && raw[end - 1] === 0) end--;
      const code = Buffer.from(raw).subarray(0, end).toString("utf8");
      addAsset(
        d,
        {
          type: a.switch().value === 1 ? "credit_alphanum4" : "credit_alphanum12",
          code,
          issuer: muxedBaseAddress(source),
          poolId: ""
        },
        ""
      );
      addAccount(d, source, "trustee");
      d.trustor = accountIdString(o.trustor());
      const auth = o.authorize();
      d.authorize = (auth & 1) !== 0;
      if (auth & 2) d.authorize_to_maintain_liabilities = true;
      if (auth & 4) d.clawback_enabled = true;
      break;
    }
    case 8:
      addAccount(d, source, "account");
      addAccount(d, b.destination(), "into");
      break;
    case 9:
      break;
    case 10: {
      const o = b.manageDataOp();
      const name = o.dataName();
      d.name = typeof name === "string" ? name : Buffer.from(name).toString("utf8");
      const v = o.dataValue();
      d.value = v ? Buffer.from(v).toString("base64") : null;
      break;
    }
    case 11:
      d.bump_to = b.bumpSequenceOp().bumpTo().toBigInt().toString();
      break;
    case 14: {
      const o = b.createClaimableBalanceOp();
      d.asset = canonicalAsset(assetParts(o.asset()));
      d.amount = amountFloat(o.amount().toBigInt());
      d.claimants = o.claimants().map((c) => ({
        destination: accountIdString(c.v0().destination()),
        predicate: predicateJson(c.v0().predicate())
      }));
      break;
    }
    case 15:
      balanceId(d, "balance_id", b.claimClaimableBalanceOp().balanceId());
      addAccount(d, source, "claimant");
      break;
    case 16:
      d.sponsored_id = accountIdString(b.beginSponsoringFutureReservesOp().sponsoredId());
      break;
    case 17: {
      if (!ctx.successful) break;
      const sponsoree = muxedBaseAddress(source);
      for (let i = opIndex - 1; i >= 0; i--) {
        const prev = ctx.operations[i];
        if (prev.body().switch().value !== 16) continue;
        if (accountIdString(prev.body().beginSponsoringFutureReservesOp().sponsoredId()) !== sponsoree)
          continue;
        addAccount(d, prev.sourceAccount() ?? ctx.txSource, "begin_sponsor");
        break;
      }
      break;
    }
    case 18: {
      const o = b.revokeSponsorshipOp();
      if (o.switch().value === 0) ledgerKeyDetails(d, o.ledgerKey());
      else {
        d.signer_account_id = accountIdString(o.signer().accountId());
        d.signer_key = signerKeyAddress(o.signer().signerKey());
      }
      break;
    }
    case 19: {
      const o = b.clawbackOp();
      addAsset(d, assetParts(o.asset()), "");
      addAccount(d, o.from(), "from");
      d.amount = amountFloat(o.amount().toBigInt());
      break;
    }
    case 20:
      balanceId(d, "balance_id", b.clawbackClaimableBalanceOp().balanceId());
      break;
    case 21: {
      const o = b.setTrustLineFlagsOp();
      d.trustor = accountIdString(o.trustor());
      addAsset(d, assetParts(o.asset()), "");
      if (o.setFlags() > 0) addFlags(d, o.setFlags(), TRUSTLINE_FLAGS, "set");
      if (o.clearFlags() > 0) addFlags(d, o.clearFlags(), TRUSTLINE_FLAGS, "clear");
      break;
    }
    case 22: {
      const o = b.liquidityPoolDepositOp();
      const id = Buffer.from(o.liquidityPoolId());
      addPoolId(d, "liquidity_pool_id", id);
      let assetA = assetParts(xdr6.Asset.assetTypeNative());
      let assetB = assetA;
      let da = 0n;
      let db = 0n;
      let shares = 0n;
      if (ctx.successful) {
        const delta = poolDelta(ctx, id);
        assetA = assetParts(delta.params.assetA());
        assetB = assetParts(delta.params.assetB());
        da = delta.a;
        db = delta.b;
        shares = delta.shares;
      }
      addAsset(d, assetA, "reserve_a");
      d.reserve_a_max_amount = amountFloat(o.maxAmountA().toBigInt());
      d.reserve_a_deposit_amount = amountFloat(da);
      addAsset(d, assetB, "reserve_b");
      d.reserve_b_max_amount = amountFloat(o.maxAmountB().toBigInt());
      d.reserve_b_deposit_amount = amountFloat(db);
      addPrice(d, o.minPrice(), "min");
      addPrice(d, o.maxPrice(), "max");
      d.shares_received = amountFloat(shares);
      break;
    }
    case 23: {
      const o = b.liquidityPoolWithdrawOp();
      const id = Buffer.from(o.liquidityPoolId());
      addPoolId(d, "liquidity_pool_id", id);
      let assetA = assetParts(xdr6.Asset.assetTypeNative());
      let assetB = assetA;
      let ra = 0n;
      let rb = 0n;
      if (ctx.successful) {
        const delta = poolDelta(ctx, id);
        assetA = assetParts(delta.params.assetA());
        assetB = assetParts(delta.params.assetB());
        ra = -delta.a;
        rb = -delta.b;
      }
      addAsset(d, assetA, "reserve_a");
      d.reserve_a_min_amount = amountFloat(o.minAmountA().toBigInt());
      d.reserve_a_withdraw_amount = amountFloat(ra);
      addAsset(d, assetB, "reserve_b");
      d.reserve_b_min_amount = amountFloat(o.minAmountB().toBigInt());
      d.reserve_b_withdraw_amount = amountFloat(rb);
      d.shares = amountFloat(o.amount().toBigInt());
      break;
    }
    case 24:
      hostFunctionDetails(d, b.invokeHostFunctionOp(), ctx);
      break;
    case 25:
      d.type = "extend_footprint_ttl";
      d.extend_to = b.extendFootprintTtlOp().extendTo();
      sorobanCommon(d, ctx, true);
      break;
    case 26:
      d.type = "restore_footprint";
      sorobanCommon(d, ctx, true);
      break;
    default:
      throw new Error(`unknown operation type ${type}`);
  }
  const sponsor = sponsorOf2(op, ctx);
  if (sponsor) d.sponsor = sponsor;
  for (const k of Object.keys(d)) if (d[k] === void 0) delete d[k];
  return d;
}
function sendAmount(atoms, lastAmount) {
  if (!atoms.length) return lastAmount;
  const bought = (a) => a.value();
  const first = bought(atoms[0]).assetBought().toXDR();
  let sum = 0n;
  for (const a of atoms) {
    const v = bought(a);
    if (!v.assetBought().toXDR().equals(first)) break;
    sum += v.amountBought().toBigInt();
  }
  return sum;
}

// packages/transform/src/ndjson.ts
function toJson(value) {
  switch (typeof value) {
    case "bigint":
      return value.toString();
    case "number":
      return Number.isFinite(value) ? JSON.stringify(value) : "null";
    case "string":
      return JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "undefined":
      return "null";
    default: {
      if (value === null) return "null";
      if (value instanceof Date) return JSON.stringify(value.toISOString().replace(/\.000Z$/, "Z"));
      if (Array.isArray(value)) {
        let out3 = "[";
        for (let i = 0; i < value.length; i++) out3 += (i ? "," : "") + toJson(value[i]);
        return `${out3}]`;
      }
      if (typeof value.toJSON === "function")
        return toJson(value.toJSON());
      let out2 = "{";
      let first = true;
      const obj = value;
      for (const k in obj) {
        const v = obj[k];
        if (v === void 0 || !Object.hasOwn(obj, k)) continue;
        out2 += `${first ? "" : ","}${JSON.stringify(k)}:${toJson(v)}`;
        first = false;
      }
      return `${out2}}`;
    }
  }
}

// packages/transform/src/tables/operations.ts
var snake = /* @__PURE__ */ new Map();
function snakeCase(name) {
  let s = snake.get(name);
  if (s === void 0) {
    s = name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    snake.set(name, s);
  }
  return s;
}
function emptyRow() {
  return {
    transaction_hash: "",
    operation_index: 0,
    ledger_sequence: 0n,
    source_account: "",
    type: 0,
    type_string: "",
    created_at: EPOCH,
    transaction_successful: false,
    ledger_range: 0n,
    operation_id: 0n,
    operation_result_code: null,
    operation_trace_code: null,
    source_account_muxed: null,
    asset: null,
    asset_type: null,
    asset_code: null,
    asset_issuer: null,
    source_asset: null,
    source_asset_type: null,
    source_asset_code: null,
    source_asset_issuer: null,
    amount: null,
    source_amount: null,
    destination_min: null,
    starting_balance: null,
    destination: null,
    trustline_limit: null,
    trustor: null,
    authorize: null,
    authorize_to_maintain_liabilities: null,
    trust_line_flags: null,
    balance_id: null,
    claimants_count: null,
    sponsored_id: null,
    offer_id: null,
    price: null,
    price_r: null,
    buying_asset: null,
    buying_asset_type: null,
    buying_asset_code: null,
    buying_asset_issuer: null,
    selling_asset: null,
    selling_asset_type: null,
    selling_asset_code: null,
    selling_asset_issuer: null,
    soroban_operation: null,
    soroban_function: null,
    soroban_contract_id: null,
    soroban_auth_required: null,
    bump_to: null,
    set_flags: null,
    clear_flags: null,
    home_domain: null,
    master_weight: null,
    low_threshold: null,
    medium_threshold: null,
    high_threshold: null,
    data_name: null,
    data_value: null,
    era_id: null,
    version_label: null,
    details: null
  };
}
var EPOCH = /* @__PURE__ */ new Date(0);
function setAsset(row, prefix, a) {
  const p = assetParts(a);
  const canonical = p.type === "liquidity_pool_shares" ? `liquidity_pool:${p.poolId}` : canonicalAsset(p);
  const code = p.code || null;
  const issuer = p.issuer || null;
  switch (prefix) {
    case "":
      row.asset = canonical;
      row.asset_type = p.type;
      row.asset_code = code;
      row.asset_issuer = issuer;
      break;
    case "source_":
      row.source_asset = canonical;
      row.source_asset_type = p.type;
      row.source_asset_code = code;
      row.source_asset_issuer = issuer;
      break;
    case "buying_":
      row.buying_asset = canonical;
      row.buying_asset_type = p.type;
      row.buying_asset_code = code;
      row.buying_asset_issuer = issuer;
      break;
    case "selling_":
      row.selling_asset = canonical;
      row.selling_asset_type = p.type;
      row.selling_asset_code = code;
      row.selling_asset_issuer = issuer;
      break;
  }
}
function setPrice(row, p) {
  row.price = String(p.n() / p.d());
  row.price_r = `{"n":${p.n()},"d":${p.d()}}`;
}
function setTyped(row, op) {
  const b = op.body();
  switch (b.switch().value) {
    case 0: {
      const o = b.createAccountOp();
      row.destination = accountIdString(o.destination());
      row.starting_balance = o.startingBalance().toBigInt();
      return;
    }
    case 1: {
      const o = b.paymentOp();
      setAsset(row, "", o.asset());
      row.amount = o.amount().toBigInt();
      row.destination = baseAccount(o.destination());
      return;
    }
    case 2: {
      const o = b.pathPaymentStrictReceiveOp();
      setAsset(row, "", o.destAsset());
      setAsset(row, "source_", o.sendAsset());
      row.amount = o.destAmount().toBigInt();
      row.source_amount = o.sendMax().toBigInt();
      row.destination = baseAccount(o.destination());
      return;
    }
    case 13: {
      const o = b.pathPaymentStrictSendOp();
      setAsset(row, "", o.destAsset());
      setAsset(row, "source_", o.sendAsset());
      row.source_amount = o.sendAmount().toBigInt();
      row.destination_min = o.destMin().toBigInt();
      row.destination = baseAccount(o.destination());
      return;
    }
    case 3: {
      const o = b.manageSellOfferOp();
      setAsset(row, "selling_", o.selling());
      setAsset(row, "buying_", o.buying());
      row.amount = o.amount().toBigInt();
      row.offer_id = o.offerId().toBigInt();
      setPrice(row, o.price());
      return;
    }
    case 12: {
      const o = b.manageBuyOfferOp();
      setAsset(row, "selling_", o.selling());
      setAsset(row, "buying_", o.buying());
      row.amount = o.buyAmount().toBigInt();
      row.offer_id = o.offerId().toBigInt();
      setPrice(row, o.price());
      return;
    }
    case 4: {
      const o = b.createPassiveSellOfferOp();
      setAsset(row, "selling_", o.selling());
      setAsset(row, "buying_", o.buying());
      row.amount = o.amount().toBigInt();
      setPrice(row, o.price());
      return;
    }
    case 5: {
      const o = b.setOptionsOp();
      row.set_flags = o.setFlags() ?? null;
      row.clear_flags = o.clearFlags() ?? null;
      row.home_domain = o.homeDomain() === void 0 || o.homeDomain() === null ? null : String(o.homeDomain());
      row.master_weight = o.masterWeight() ?? null;
      row.low_threshold = o.lowThreshold() ?? null;
      row.medium_threshold = o.medThreshold() ?? null;
      row.high_threshold = o.highThreshold() ?? null;
      return;
    }
    case 6: {
      const o = b.changeTrustOp();
      setAsset(row, "", o.line());
      row.trustline_limit = o.limit().toBigInt();
      return;
    }
    case 7: {
      const o = b.allowTrustOp();
      const code = o.asset().switch().value === 1 ? o.asset().assetCode4() : o.asset().assetCode12();
      const auth = o.authorize();
      row.trustor = accountIdString(o.trustor());
      row.asset_code = Buffer.from(code).toString("latin1").replace(/\0+$/, "");
      row.authorize = (auth & 1) !== 0;
      row.authorize_to_maintain_liabilities = (auth & 2) !== 0;
      return;
    }
    case 8:
      row.destination = baseAccount(b.destination());
      return;
    case 10: {
      const o = b.manageDataOp();
      const v = o.dataValue();
      row.data_name = String(o.dataName());
      row.data_value = v ? Buffer.from(v).toString("base64") : null;
      return;
    }
    case 11:
      row.bump_to = b.bumpSequenceOp().bumpTo().toBigInt();
      return;
    case 14: {
      const o = b.createClaimableBalanceOp();
      setAsset(row, "", o.asset());
      row.amount = o.amount().toBigInt();
      row.claimants_count = o.claimants().length;
      return;
    }
    case 15:
      row.balance_id = b.claimClaimableBalanceOp().balanceId().toXDR("hex");
      return;
    case 16:
      row.sponsored_id = accountIdString(b.beginSponsoringFutureReservesOp().sponsoredId());
      return;
    case 19: {
      const o = b.clawbackOp();
      setAsset(row, "", o.asset());
      row.amount = o.amount().toBigInt();
      row.destination = baseAccount(o.from());
      return;
    }
    case 20:
      row.balance_id = b.clawbackClaimableBalanceOp().balanceId().toXDR("hex");
      return;
    case 21: {
      const o = b.setTrustLineFlagsOp();
      setAsset(row, "", o.asset());
      row.trustor = accountIdString(o.trustor());
      row.set_flags = o.setFlags();
      row.clear_flags = o.clearFlags();
      row.trust_line_flags = o.setFlags();
      return;
    }
    case 24: {
      const fn = b.invokeHostFunctionOp().hostFunction();
      let contract = null;
      let fnName = null;
      if (fn.switch().value === 0) {
        const args = fn.invokeContract();
        const addr = args.contractAddress();
        if (addr.switch().value === 1) contract = hex(addr.contractId());
        fnName = String(args.functionName());
      }
      row.soroban_operation = "invoke_host_function";
      row.soroban_function = fnName ?? snakeCase(fn.switch().name);
      row.soroban_contract_id = contract;
      row.soroban_auth_required = b.invokeHostFunctionOp().auth().length > 0;
      return;
    }
    case 25:
      row.soroban_operation = "extend_footprint_ttl";
      return;
    case 26:
      row.soroban_operation = "restore_footprint";
      return;
    default:
      return;
  }
}
function opResults3(res) {
  const r = res.result();
  const code = r.switch().value;
  if (code === 1 || code === -13)
    return opResults3(r.innerResultPair().result());
  if (code === 0 || code === -1) return r.results();
  return null;
}
function resultCodes(r) {
  if (!r) return { result: "", trace: "" };
  const result = goEnumName("OperationResultCode", r.switch().name);
  if (r.switch().value !== 0) return { result, trace: "" };
  const tr = r.tr();
  const typeName = goEnumName("", tr.switch().name);
  const code = tr.value().switch().name;
  return { result, trace: goEnumName(`${typeName}ResultCode`, code) };
}
var viewCache = /* @__PURE__ */ new WeakMap();
function operationViews(ctx) {
  const hit = viewCache.get(ctx.lcm);
  if (hit) return hit;
  const out2 = [];
  const changes = ledgerChanges(ctx.lcm);
  for (const t of coreTransactions(ctx)) {
    const results = opResults3(t.proc.result.result());
    const txChanges = changes.transactions[t.proc.index - 1];
    t.operations.forEach((op, i) => {
      const opCtx = {
        lcm: ctx.lcm,
        networkPassphrase: ctx.networkPassphrase,
        txIndex: t.proc.index,
        successful: t.successful,
        txSource: t.source,
        operations: t.operations,
        sorobanData: t.sorobanData,
        results,
        changes: txChanges?.operations[i] ?? []
      };
      let details;
      try {
        details = operationDetails(op, i, opCtx);
      } catch (err) {
        throw new Error(`tx ${t.proc.index} (${t.hash}) op ${i}: ${err.message}`);
      }
      out2.push({ tx: t, op, index: i, codes: resultCodes(results?.[i]), details });
    });
  }
  viewCache.set(ctx.lcm, out2);
  return out2;
}
function operationsRows(ctx) {
  const seq = BigInt(ctx.sequence);
  const range = seq / 10000n * 10000n;
  return operationViews(ctx).map(({ tx: t, op, index: i, codes, details }) => {
    const src = op.sourceAccount() ?? t.source;
    const row = emptyRow();
    setTyped(row, op);
    row.transaction_hash = t.hash;
    row.operation_index = i;
    row.ledger_sequence = seq;
    row.source_account = baseAccount(src);
    row.source_account_muxed = muxedAddress(src);
    row.type = op.body().switch().value;
    row.type_string = snakeCase(op.body().switch().name);
    row.created_at = ctx.closedAt;
    row.transaction_successful = t.successful;
    row.operation_result_code = codes.result || null;
    row.operation_trace_code = codes.trace || null;
    row.ledger_range = range;
    row.operation_id = toid(ctx.sequence, t.proc.index, i + 1);
    row.details = toJson(details);
    return row;
  });
}
function operationsRecords(ctx) {
  const closedAt = rfc3339(ctx.closedAt);
  return operationViews(ctx).map(({ tx: t, op, index: i, codes, details }) => {
    const src = op.sourceAccount() ?? t.source;
    const muxed = muxedAddress(src);
    return {
      closed_at: closedAt,
      details,
      details_json: details,
      id: toid(ctx.sequence, t.proc.index, i + 1),
      ledger_sequence: ctx.sequence,
      operation_result_code: codes.result,
      operation_trace_code: codes.trace,
      source_account: baseAccount(src),
      ...muxed ? { source_account_muxed: muxed } : {},
      transaction_id: t.transactionId,
      type: op.body().switch().value,
      type_string: snakeCase(op.body().switch().name)
    };
  });
}

// packages/transform/src/tables/transactions.ts
import { SignerKey as SignerKey4 } from "@stellar/stellar-base";
function innerTx(env) {
  switch (env.switch().value) {
    case 0:
      return env.v0().tx();
    case 2:
      return env.v1().tx();
    default:
      return env.feeBump().tx().innerTx().v1().tx();
  }
}
function memoOf(env) {
  const m = innerTx(env).memo();
  switch (m.switch().value) {
    case 1:
      return { type: "text", value: Buffer.from(m.text()).toString("utf8") };
    case 2:
      return { type: "id", value: m.id().toString() };
    case 3:
      return { type: "hash", value: Buffer.from(m.hash()).toString("base64") };
    case 4:
      return { type: "return", value: Buffer.from(m.retHash()).toString("base64") };
    default:
      return { type: "none", value: null };
  }
}
function boundsOf(env) {
  const none = {
    minTime: null,
    maxTime: null,
    minLedger: null,
    maxLedger: null,
    minSeq: null,
    minSeqAge: null,
    extraSigners: null
  };
  const time = (tb) => tb ? { minTime: tb.minTime().toBigInt(), maxTime: tb.maxTime().toBigInt() } : {};
  const tx = innerTx(env);
  if (env.switch().value === 0) return { ...none, ...time(tx.timeBounds()) };
  const c = tx.cond();
  switch (c.switch().value) {
    case 1:
      return { ...none, ...time(c.timeBounds()) };
    case 2: {
      const v2 = c.v2();
      const lb = v2.ledgerBounds();
      return {
        ...none,
        ...time(v2.timeBounds()),
        minLedger: lb ? BigInt(lb.minLedger()) : null,
        maxLedger: lb ? BigInt(lb.maxLedger()) : null,
        minSeq: v2.minSeqNum()?.toBigInt() ?? null,
        minSeqAge: v2.minSeqAge().toBigInt(),
        extraSigners: v2.extraSigners().length ? JSON.stringify(v2.extraSigners().map((s) => s.toXDR("base64"))) : null
      };
    }
    default:
      return none;
  }
}
function signaturesOf(env) {
  switch (env.switch().value) {
    case 0:
      return env.v0().signatures();
    case 2:
      return env.v1().signatures();
    default:
      return env.feeBump().signatures();
  }
}
function sorobanEventsCount(meta) {
  if (meta.switch() === 3) return meta.v3().sorobanMeta()?.events().length ?? null;
  if (meta.switch() === 4)
    return meta.v4().operations().reduce((n2, op) => n2 + op.events().length, 0);
  return null;
}
function hostFunction(t) {
  const op = t.operations[0];
  if (op?.body().switch().value !== 24) return { type: null, contract: null };
  const fn = op.body().invokeHostFunctionOp().hostFunction();
  let contract = null;
  if (fn.switch().value === 0) {
    const addr = fn.invokeContract().contractAddress();
    if (addr.switch().value === 1) contract = hex(addr.contractId());
  }
  return { type: fn.switch().name, contract };
}
function feeMetaBase64(t) {
  const raw = bytesBetween(t.proc.result, t.proc.meta);
  return (raw ?? entryChangesXdr(t.proc.feeProcessing)).toString("base64");
}
function entryChangesXdr(changes) {
  const count = Buffer.alloc(4);
  count.writeUInt32BE(changes.length, 0);
  return Buffer.concat([count, ...changes.map((c) => c.toXDR())]);
}
var MEMO_TYPES = {
  none: "MemoTypeMemoNone",
  text: "MemoTypeMemoText",
  id: "MemoTypeMemoId",
  hash: "MemoTypeMemoHash",
  return: "MemoTypeMemoReturn"
};
function txSigners(env) {
  return signaturesOf(env).map((s) => encodeStrkey(VERSION_ACCOUNT, s.signature()));
}
function feeAccountBalances(changes, account, into) {
  for (const c of changes) {
    const t = c.switch().value;
    if (t !== 1 && t !== 3) continue;
    const e = t === 3 ? c.state() : c.updated();
    if (e.data().switch().value !== 0) continue;
    const acc = e.data().account();
    if (accountIdString(acc.accountId()) !== account) continue;
    if (t === 3) into.start = acc.balance().toBigInt();
    else into.end = acc.balance().toBigInt();
  }
}
function sorobanFees(t) {
  if (!t.sorobanData) return null;
  const env = t.envelope;
  const feeBump = env.switch().value === 5;
  const resourceFee = t.sorobanData.resourceFee().toBigInt();
  const outerFee = feeBump ? env.feeBump().tx().fee().toBigInt() : BigInt(innerTx(env).fee());
  const feeSource = feeBump ? env.feeBump().tx().feeSource() : t.source;
  const account = feeSource.switch().value === 0 ? baseAccount(feeSource) : muxedAddress(feeSource) ?? "";
  const charged = { start: 0n, end: 0n };
  feeAccountBalances(t.proc.feeProcessing, account, charged);
  const refund = { start: 0n, end: 0n };
  const meta = t.proc.meta;
  let ext = null;
  if (meta.switch() === 3) {
    feeAccountBalances(meta.v3().txChangesAfter(), account, refund);
    ext = meta.v3().sorobanMeta()?.ext() ?? null;
  } else if (meta.switch() === 4) {
    feeAccountBalances([...meta.v4().txChangesAfter(), ...t.proc.postApplyFeeProcessing], account, refund);
    ext = meta.v4().sorobanMeta()?.ext() ?? null;
  }
  const v1 = ext && ext.switch() === 1 ? ext.v1() : null;
  return {
    resourceFee,
    inclusionFeeBid: outerFee - resourceFee,
    inclusionFeeCharged: charged.start - charged.end - resourceFee,
    resourceFeeRefund: refund.end - refund.start,
    nonRefundableCharged: v1 ? v1.totalNonRefundableResourceFeeCharged().toBigInt() : 0n,
    refundableCharged: v1 ? v1.totalRefundableResourceFeeCharged().toBigInt() : 0n,
    rentCharged: v1 ? v1.rentFeeCharged().toBigInt() : 0n
  };
}
function archivedEntries(data) {
  if (!data) return null;
  const ext = data.ext();
  return ext.switch() === 1 ? ext.resourceExt().archivedSorobanEntries() : null;
}
function bounds(min, max, openEnd) {
  return `[${min},${openEnd && max === 0n ? "" : max})`;
}
function transactionsRecords(ctx) {
  const protocol = lcmBody(ctx.lcm).ledgerHeader().header().ledgerVersion();
  const closedAt = rfc3339(ctx.closedAt);
  return coreTransactions(ctx).map((t) => {
    const env = t.envelope;
    const res = t.proc.result.result();
    const feeBump = env.switch().value === 5;
    const tx = innerTx(env);
    const memo = memoOf(env);
    const b = boundsOf(env);
    const fees = sorobanFees(t);
    const resources = t.sorobanData?.resources();
    let v2 = null;
    if (env.switch().value !== 0) {
      const c = tx.cond();
      if (c.switch().value === 2) v2 = c.v2();
    }
    let feeCharged = res.feeCharged().toBigInt();
    if (feeBump && fees && protocol < 21) feeCharged = fees.resourceFee - fees.resourceFeeRefund;
    const muxed = muxedAddress(t.source);
    const record = {
      account: baseAccount(t.source),
      ...muxed ? { account_muxed: muxed } : {},
      account_sequence: tx.seqNum().toBigInt(),
      closed_at: closedAt,
      created_at: closedAt,
      extra_signers: v2?.extraSigners().length ? v2.extraSigners().map((k) => SignerKey4.encodeSignerKey(k)) : null,
      fee_charged: feeCharged,
      id: t.transactionId,
      inclusion_fee_bid: fees?.inclusionFeeBid ?? 0n,
      inclusion_fee_charged: fees?.inclusionFeeCharged ?? 0n,
      ledger_bounds: b.minLedger === null ? "" : bounds(b.minLedger, b.maxLedger ?? 0n, false),
      ledger_sequence: ctx.sequence,
      max_fee: tx.fee(),
      memo: memo.value ?? "",
      memo_type: MEMO_TYPES[memo.type],
      min_account_sequence: v2?.minSeqNum()?.toBigInt() ?? null,
      min_account_sequence_age: v2 ? v2.minSeqAge().toBigInt() : null,
      min_account_sequence_ledger_gap: v2 ? v2.minSeqLedgerGap() : null,
      non_refundable_resource_fee_charged: fees?.nonRefundableCharged ?? 0n,
      operation_count: t.operations.length,
      refundable_resource_fee_charged: fees?.refundableCharged ?? 0n,
      rent_fee_charged: fees?.rentCharged ?? 0n,
      resource_fee: fees?.resourceFee ?? 0n,
      resource_fee_refund: fees?.resourceFeeRefund ?? 0n,
      soroban_resources_archived_entries: archivedEntries(t.sorobanData),
      soroban_resources_disk_read_bytes: resources ? resources.diskReadBytes() : 0,
      soroban_resources_instructions: resources ? resources.instructions() : 0,
      soroban_resources_read_bytes: resources ? resources.diskReadBytes() : 0,
      soroban_resources_write_bytes: resources ? resources.writeBytes() : 0,
      successful: t.successful,
      time_bounds: b.minTime === null ? "" : bounds(b.minTime, b.maxTime ?? 0n, true),
      transaction_hash: t.hash,
      transaction_result_code: goEnumName("TransactionResultCode", res.result().switch().name),
      tx_envelope: xdrBase64(env),
      tx_fee_meta: feeMetaBase64(t),
      tx_meta: xdrBase64(t.proc.meta),
      tx_result: xdrBase64(res),
      tx_signers: txSigners(env)
    };
    if (feeBump) {
      const fb = env.feeBump().tx();
      record.fee_account = baseAccount(fb.feeSource());
      const fm = muxedAddress(fb.feeSource());
      if (fm) record.fee_account_muxed = fm;
      record.inner_transaction_hash = hex(res.result().innerResultPair().transactionHash());
      record.new_max_fee = fb.fee().toBigInt();
    }
    return record;
  });
}
function sorobanResourcesJson(data) {
  const r = data.resources();
  return JSON.stringify({
    instructions: r.instructions(),
    disk_read_bytes: r.diskReadBytes(),
    write_bytes: r.writeBytes(),
    footprint: {
      read_only: r.footprint().readOnly().map((k) => k.toXDR("base64")),
      read_write: r.footprint().readWrite().map((k) => k.toXDR("base64"))
    },
    archived_entries: archivedEntries(data) ?? []
  });
}
function transactionsRows(ctx) {
  return coreTransactions(ctx).map((t) => {
    const env = t.envelope;
    const res = t.proc.result.result();
    const feeBump = env.switch().value === 5;
    const tx = innerTx(env);
    const txFee = tx.fee();
    const seq = tx.seqNum();
    const memo = memoOf(env);
    const b = boundsOf(env);
    const resources = t.sorobanData?.resources();
    const hf = hostFunction(t);
    const fees = sorobanFees(t);
    const innerHash = feeBump ? hex(res.result().innerResultPair().transactionHash()) : null;
    return {
      ledger_sequence: BigInt(ctx.sequence),
      transaction_hash: t.hash,
      source_account: baseAccount(t.source),
      fee_charged: res.feeCharged().toBigInt(),
      max_fee: BigInt(txFee),
      successful: t.successful,
      transaction_result_code: goEnumName("TransactionResultCode", res.result().switch().name),
      operation_count: t.operations.length,
      memo_type: memo.type,
      memo: memo.value,
      created_at: ctx.closedAt,
      account_sequence: seq.toBigInt(),
      ledger_range: BigInt(ctx.sequence) / 10000n * 10000n,
      source_account_muxed: muxedAddress(t.source),
      fee_account_muxed: feeBump ? muxedAddress(env.feeBump().tx().feeSource()) : null,
      inner_transaction_hash: innerHash,
      fee_bump_fee: feeBump ? env.feeBump().tx().fee().toBigInt() : null,
      max_fee_bid: feeBump ? env.feeBump().tx().fee().toBigInt() : null,
      inner_source_account: feeBump ? baseAccount(t.source) : null,
      timebounds_min_time: b.minTime,
      timebounds_max_time: b.maxTime,
      ledgerbounds_min: b.minLedger,
      ledgerbounds_max: b.maxLedger,
      min_sequence_number: b.minSeq,
      min_sequence_age: b.minSeqAge,
      soroban_resources_instructions: resources ? BigInt(resources.instructions()) : null,
      soroban_resources_read_bytes: resources ? BigInt(resources.diskReadBytes()) : null,
      soroban_resources_write_bytes: resources ? BigInt(resources.writeBytes()) : null,
      soroban_data_size_bytes: t.sorobanData ? xdrBytes(t.sorobanData).length : null,
      soroban_data_resources: t.sorobanData ? sorobanResourcesJson(t.sorobanData) : null,
      soroban_fee_base: fees ? fees.inclusionFeeBid : null,
      soroban_fee_resources: fees ? fees.resourceFee : null,
      soroban_fee_refund: fees ? fees.resourceFeeRefund : null,
      soroban_fee_charged: fees ? fees.resourceFee - fees.resourceFeeRefund : null,
      soroban_fee_wasted: fees ? t.successful ? 0n : fees.resourceFee - fees.resourceFeeRefund : null,
      soroban_host_function_type: hf.type,
      soroban_contract_id: hf.contract,
      soroban_contract_events_count: sorobanEventsCount(t.proc.meta),
      signatures_count: signaturesOf(env).length,
      new_account: t.operations.some((op) => op.body().switch().value === 0),
      tx_envelope: xdrBase64(env),
      tx_result: xdrBase64(res),
      tx_meta: xdrBase64(t.proc.meta),
      tx_fee_meta: feeMetaBase64(t),
      tx_signers: JSON.stringify(txSigners(env)),
      extra_signers: b.extraSigners,
      era_id: null,
      version_label: null,
      transaction_id: t.transactionId
    };
  });
}

// packages/transform/src/hot-rows.ts
var hotTables = [
  { table: "ledgers_row_v2", rows: ledgersRows, hubble: "history_ledgers", records: ledgersRecords },
  {
    table: "transactions_row_v2",
    rows: transactionsRows,
    hubble: "history_transactions",
    records: transactionsRecords
  },
  {
    table: "operations_row_v2",
    rows: operationsRows,
    hubble: "history_operations",
    records: operationsRecords
  },
  ...changeTables
];
var LedgerDecodeError = class extends Error {
  constructor(sequence, xdrType, reason) {
    super(`${sequence !== void 0 ? `ledger ${sequence}: ` : ""}cannot decode ${xdrType}: ${reason}`);
    this.sequence = sequence;
    this.xdrType = xdrType;
  }
  sequence;
  xdrType;
  name = "LedgerDecodeError";
};
function decodeLedger(bytes, sequence) {
  try {
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return decodeWithSpans(() => xdr7.LedgerCloseMeta.fromXDR(buf));
  } catch (err) {
    throw new LedgerDecodeError(sequence, "LedgerCloseMeta", err.message);
  }
}

// ../../tmp/prof/_prof.ts
var file = process.argv[2] ?? "lcm-real/pubnet-53312000.FCD285FF--53312000.xdr.zstd";
var blobs = await readLedgerFile(fixture(file));
var times = /* @__PURE__ */ new Map();
var add = (k, ms) => times.set(k, (times.get(k) ?? 0) + ms);
var N = Number(process.argv[3] ?? 10);
for (let i = 0; i < N; i++) {
  for (const b of blobs.slice(0, 10)) {
    let t = performance.now();
    const lcm = decodeLedger(b.xdr, b.sequence);
    add("decode", performance.now() - t);
    const ctx = changeInput(lcm, "Public Global Stellar Network ; September 2015");
    t = performance.now();
    coreTransactions(ctx);
    add("coreTransactions(envelope match)", performance.now() - t);
    t = performance.now();
    ledgerChanges(lcm);
    add("ledgerChanges", performance.now() - t);
    t = performance.now();
    operationsRecords(ctx);
    add("operation views (details)", performance.now() - t);
    for (const tb of hotTables) {
      t = performance.now();
      tb.rows(ctx);
      add(tb.table, performance.now() - t);
    }
  }
}
var n = N * Math.min(10, blobs.length);
for (const [k, v] of [...times.entries()].sort((a, b) => b[1] - a[1]))
  console.log(k.padEnd(40), (v / n).toFixed(2), "ms/ledger");
