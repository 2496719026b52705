import { concatBytes } from './bytes';
import { utf8Decode, utf8Encode } from './utf8';

/**
 * The subset of CBOR (RFC 8949) our formats use: unsigned and negative integers (safe range),
 * byte strings, text strings, `false` and `true` (the age predicates of credential v2), arrays and maps
 * with integer or text keys. Encoding is deterministic
 * (RFC 8949 section 4.2.1: shortest heads, definite lengths, map keys sorted by their encoded bytes);
 * decoding accepts only that one spelling, so signed bytes cannot be re-spelled.
 *
 * We keep our own 150 lines instead of a library because the workspaces run as CommonJS under
 * tsx and jest, where `cborg` (ESM-only exports) does not resolve, and because the mini-program
 * lacks TextEncoder, which `cborg` needs at load time.
 */
export type CborValue =
  number | string | boolean | Uint8Array | CborValue[] | Map<number | string, CborValue>;

const MAX_DEPTH = 16;

/** A value that is not in the expected shape; callers map it to their own verdict or error code. */
export class CborShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CborShapeError';
  }
}

/** The CBOR head of a major type with an argument (RFC 8949 section 3), shortest form. */
/** The byte length of `cborHead(major, argument)`, without building it. */
export function cborHeadLength(argument: number): number {
  if (argument < 24) return 1;
  if (argument < 0x100) return 2;
  if (argument < 0x10000) return 3;
  return argument < 0x100000000 ? 5 : 9;
}

export function cborHead(major: number, argument: number): Uint8Array {
  const m = major << 5;
  if (argument < 24) return Uint8Array.of(m | argument);
  if (argument < 0x100) return Uint8Array.of(m | 24, argument);
  if (argument < 0x10000) return Uint8Array.of(m | 25, argument >> 8, argument & 0xff);
  if (argument < 0x100000000) {
    return Uint8Array.of(
      m | 26,
      argument >>> 24,
      (argument >> 16) & 0xff,
      (argument >> 8) & 0xff,
      argument & 0xff,
    );
  }
  const hi = Math.floor(argument / 0x100000000);
  const lo = argument >>> 0;
  return Uint8Array.of(
    m | 27,
    hi >>> 24,
    (hi >> 16) & 0xff,
    (hi >> 8) & 0xff,
    hi & 0xff,
    lo >>> 24,
    (lo >> 16) & 0xff,
    (lo >> 8) & 0xff,
    lo & 0xff,
  );
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function encodeInto(value: CborValue, out: Uint8Array[], depth: number): void {
  if (depth > MAX_DEPTH) throw new CborShapeError('CBOR nesting too deep');
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new CborShapeError('only safe integers are encoded');
    out.push(value >= 0 ? cborHead(0, value) : cborHead(1, -1 - value));
  } else if (typeof value === 'boolean') {
    out.push(Uint8Array.of(value ? 0xf5 : 0xf4));
  } else if (typeof value === 'string') {
    const bytes = utf8Encode(value);
    out.push(cborHead(3, bytes.length), bytes);
  } else if (value instanceof Uint8Array) {
    out.push(cborHead(2, value.length), value);
  } else if (Array.isArray(value)) {
    out.push(cborHead(4, value.length));
    for (const item of value) encodeInto(item, out, depth + 1);
  } else if (value instanceof Map) {
    const entries = [...value].map(([k, v]) => {
      if (typeof k !== 'number' && typeof k !== 'string')
        throw new CborShapeError('map keys are integers or text');
      return { key: cborEncode(k), value: v };
    });
    entries.sort((a, b) => compareBytes(a.key, b.key));
    out.push(cborHead(5, entries.length));
    for (const e of entries) {
      out.push(e.key);
      encodeInto(e.value, out, depth + 1);
    }
  } else {
    throw new CborShapeError('unsupported value for CBOR');
  }
}

/** Deterministic CBOR of `value`. */
export function cborEncode(value: CborValue): Uint8Array {
  const out: Uint8Array[] = [];
  encodeInto(value, out, 0);
  return out.length === 1 ? out[0]! : concatBytes(...out);
}

class Reader {
  pos = 0;
  constructor(readonly bytes: Uint8Array) {}

  fail(what: string): never {
    throw new CborShapeError(`Invalid CBOR at byte ${this.pos}: ${what}`);
  }

  head(): { major: number; arg: number } {
    if (this.pos >= this.bytes.length) this.fail('truncated');
    const initial = this.bytes[this.pos++]!;
    const major = initial >> 5;
    const info = initial & 31;
    if (info < 24) return { major, arg: info };
    if (info > 27) this.fail('indefinite length or reserved value');
    const size = 1 << (info - 24);
    if (this.pos + size > this.bytes.length) this.fail('truncated');
    let arg = 0;
    for (let i = 0; i < size; i++) arg = arg * 256 + this.bytes[this.pos++]!;
    const min = [24, 0x100, 0x10000, 0x100000000][info - 24]!;
    if (arg < min) this.fail('non-shortest integer or length');
    if (!Number.isSafeInteger(arg)) this.fail('integer beyond 2^53');
    return { major, arg };
  }

  take(length: number): Uint8Array {
    if (this.pos + length > this.bytes.length) this.fail('truncated');
    const out = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  item(depth: number): CborValue {
    if (depth > MAX_DEPTH) this.fail('nesting too deep');
    const initial = this.bytes[this.pos];
    if (initial === 0xf4 || initial === 0xf5) {
      this.pos++;
      return initial === 0xf5;
    }
    const { major, arg } = this.head();
    switch (major) {
      case 0:
        return arg;
      case 1:
        return -1 - arg;
      case 2:
        return this.take(arg);
      case 3:
        try {
          return utf8Decode(this.take(arg));
        } catch {
          return this.fail('text is not UTF-8');
        }
      case 4: {
        if (arg > this.bytes.length - this.pos) this.fail('array longer than input');
        const items: CborValue[] = [];
        for (let i = 0; i < arg; i++) items.push(this.item(depth + 1));
        return items;
      }
      case 5: {
        if (arg > this.bytes.length - this.pos) this.fail('map longer than input');
        const map = new Map<number | string, CborValue>();
        let previous: Uint8Array | undefined;
        for (let i = 0; i < arg; i++) {
          const start = this.pos;
          const key = this.item(depth + 1);
          if (typeof key !== 'number' && typeof key !== 'string')
            this.fail('map key is not an integer or text');
          const keyBytes = this.bytes.subarray(start, this.pos);
          if (previous && compareBytes(previous, keyBytes) >= 0) this.fail('map keys unsorted or duplicated');
          previous = keyBytes;
          map.set(key, this.item(depth + 1));
        }
        return map;
      }
      default:
        return this.fail('tags, floats and simple values other than false/true are not used');
    }
  }
}

/** Strict decoding of exactly one deterministic item; throws CborShapeError on anything else. */
export function cborDecode(bytes: Uint8Array): CborValue {
  const reader = new Reader(bytes);
  const value = reader.item(0);
  if (reader.pos !== bytes.length) reader.fail('trailing bytes');
  return value;
}

/** Reads typed fields from a decoded CBOR map, throwing CborShapeError on a missing or mistyped one. */
export class CborMap {
  constructor(
    private readonly map: Map<number | string, CborValue>,
    private readonly what: string,
  ) {}

  static from(value: unknown, what: string): CborMap {
    if (!(value instanceof Map)) throw new CborShapeError(`${what} is not a map`);
    return new CborMap(value as Map<number | string, CborValue>, what);
  }

  has(key: number): boolean {
    return this.map.has(key);
  }

  /** Throws unless every key is in `allowed`: an unknown field in a signed structure is a format we do not speak. */
  only(allowed: readonly number[]): this {
    for (const k of this.map.keys()) {
      if (typeof k !== 'number' || !allowed.includes(k))
        throw new CborShapeError(`${this.what} has unknown key`);
    }
    return this;
  }

  private fail(key: number, what: string): never {
    throw new CborShapeError(`${this.what}[${key}] ${what}`);
  }

  uint(key: number): number {
    const v = this.map.get(key);
    if (typeof v !== 'number' || v < 0) this.fail(key, 'is not an unsigned integer');
    return v;
  }

  int(key: number): number {
    const v = this.map.get(key);
    if (typeof v !== 'number') this.fail(key, 'is not an integer');
    return v;
  }

  text(key: number): string {
    const v = this.map.get(key);
    if (typeof v !== 'string') this.fail(key, 'is not text');
    return v;
  }

  bytes(key: number, length?: number): Uint8Array {
    const v = this.map.get(key);
    if (!(v instanceof Uint8Array)) this.fail(key, 'is not bytes');
    if (length !== undefined && v.length !== length) this.fail(key, 'has the wrong length');
    return v;
  }

  array(key: number): CborValue[] {
    const v = this.map.get(key);
    if (!Array.isArray(v)) this.fail(key, 'is not an array');
    return v;
  }

  child(key: number): CborMap {
    return CborMap.from(this.map.get(key), `${this.what}[${key}]`);
  }

  optionalUint(key: number): number | undefined {
    return this.map.has(key) ? this.uint(key) : undefined;
  }
}
