/**
 * RFC 8941 Structured Field Values: the parts HTTP Message Signatures (RFC 9421) and Content-Digest
 * (RFC 9530) use: dictionaries, lists, inner lists, parameters and the six bare item types. Strict on
 * purpose: a field either has one reading or is refused, so a signer and a verifier never see different
 * values in the same bytes. Dates and display strings (RFC 9651) are not part of it.
 */

/** A bare item with its type; integers and decimals stay apart because they serialise differently. */
export type SfBareItem =
  | { type: 'integer'; value: number }
  | { type: 'decimal'; value: number }
  | { type: 'string'; value: string }
  | { type: 'token'; value: string }
  | { type: 'bytes'; value: Uint8Array }
  | { type: 'boolean'; value: boolean };

/** Parameters in the order they were written; keys are unique. */
export type SfParameters = Map<string, SfBareItem>;

export interface SfItem {
  kind: 'item';
  value: SfBareItem;
  params: SfParameters;
}

export interface SfInnerList {
  kind: 'inner-list';
  items: SfItem[];
  params: SfParameters;
}

export type SfMember = SfItem | SfInnerList;
/** A dictionary in field order; keys are unique. */
export type SfDictionary = Map<string, SfMember>;
export type SfList = SfMember[];

/** How a parser treats a key written twice: RFC 8941 keeps the last value; `refuse` fails the field. */
export interface SfParseOptions {
  /** Default `refuse`: two readings of one key in a signature header is a forgery waiting to happen. */
  duplicates?: 'refuse' | 'last-wins';
}

/** A field value that is not valid RFC 8941 text; `at` is the character offset where parsing stopped. */
export class SfParseError extends TypeError {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(`${message} at offset ${at}`);
    this.name = 'SfParseError';
  }
}

const MAX_INTEGER = 999_999_999_999_999;
const MAX_DECIMAL_INTEGER_PART = 999_999_999_999;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
function isAlpha(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}
function isLcAlpha(c: number): boolean {
  return c >= 0x61 && c <= 0x7a;
}
// tchar (RFC 9110 section 5.6.2): "!#$%&'*+-.^_`|~", DIGIT, ALPHA.
const TCHAR_EXTRA = new Set("!#$%&'*+-.^_`|~".split('').map((ch) => ch.charCodeAt(0)));
function isTchar(c: number): boolean {
  return isAlpha(c) || isDigit(c) || TCHAR_EXTRA.has(c);
}
function isKeyChar(c: number): boolean {
  return isLcAlpha(c) || isDigit(c) || c === 0x5f || c === 0x2d || c === 0x2e || c === 0x2a;
}

/** True for a valid sf-key: lower-case letter or `*`, then lower-case letters, digits, `_-.*`. */
export function isSfKey(text: string): boolean {
  if (text.length === 0) return false;
  const first = text.charCodeAt(0);
  if (!isLcAlpha(first) && first !== 0x2a) return false;
  for (let i = 1; i < text.length; i++) if (!isKeyChar(text.charCodeAt(i))) return false;
  return true;
}

/** True for text an sf-string can carry: printable ASCII (0x20-0x7e) only. */
export function isSfStringText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

/** True for a valid sf-token: ALPHA or `*`, then tchar, `:` or `/`. */
export function isSfToken(text: string): boolean {
  if (text.length === 0) return false;
  const first = text.charCodeAt(0);
  if (!isAlpha(first) && first !== 0x2a) return false;
  for (let i = 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!isTchar(c) && c !== 0x3a && c !== 0x2f) return false;
  }
  return true;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_DECODE = new Int8Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_DECODE[B64.charCodeAt(i)] = i;

/** Standard base64 with `=` padding (RFC 4648 section 4), the form sf byte sequences take. */
export function base64Encode(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += B64[n >> 18]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + B64[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += B64[n >> 18]! + B64[(n >> 12) & 63]! + '==';
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += B64[n >> 18]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + '=';
  }
  return out;
}

/**
 * Decodes standard base64, strictly: padding is required, and a non-zero leftover bit is refused, so every
 * byte string has exactly one accepted spelling. (RFC 8941 section 4.2.7 says parsers SHOULD tolerate both;
 * our profile does not, and says so in docs/formats/http-signatures.md.) Undefined when not valid.
 */
export function base64DecodeStrict(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0) return undefined;
  let pad = 0;
  if (text.endsWith('==')) pad = 2;
  else if (text.endsWith('=')) pad = 1;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const last = i + 4 === text.length;
    const v = [0, 0, 0, 0];
    for (let k = 0; k < 4; k++) {
      const code = text.charCodeAt(i + k);
      if (code === 0x3d && last && k >= 4 - pad) {
        v[k] = 0;
        continue;
      }
      const d = code < 128 ? B64_DECODE[code]! : -1;
      if (d < 0) return undefined;
      v[k] = d;
    }
    const n = (v[0]! << 18) | (v[1]! << 12) | (v[2]! << 6) | v[3]!;
    if (last && pad === 2) {
      if (n & 0xffff) return undefined;
      out[o++] = n >> 16;
    } else if (last && pad === 1) {
      if (n & 0xff) return undefined;
      out[o++] = n >> 16;
      out[o++] = (n >> 8) & 0xff;
    } else {
      out[o++] = n >> 16;
      out[o++] = (n >> 8) & 0xff;
      out[o++] = n & 0xff;
    }
  }
  return out;
}

class Parser {
  i = 0;
  constructor(
    readonly s: string,
    readonly duplicates: 'refuse' | 'last-wins',
  ) {
    for (let k = 0; k < s.length; k++) {
      const c = s.charCodeAt(k);
      // Field values are ASCII; HTAB is allowed only where OWS is, which the grammar checks itself.
      if (c > 0x7e || (c < 0x20 && c !== 0x09)) this.fail('non-ASCII or control character', k);
    }
  }

  fail(message: string, at = this.i): never {
    throw new SfParseError(message, at);
  }

  peek(): number {
    return this.i < this.s.length ? this.s.charCodeAt(this.i) : -1;
  }

  skipSp(): void {
    while (this.peek() === 0x20) this.i++;
  }

  skipOws(): void {
    for (let c = this.peek(); c === 0x20 || c === 0x09; c = this.peek()) this.i++;
  }

  done(): boolean {
    return this.i >= this.s.length;
  }

  put<V>(map: Map<string, V>, key: string, value: V, at: number): void {
    if (map.has(key) && this.duplicates === 'refuse') this.fail(`duplicate key "${key}"`, at);
    map.set(key, value);
  }

  list(): SfList {
    const members: SfList = [];
    while (!this.done()) {
      members.push(this.member());
      this.skipOws();
      if (this.done()) return members;
      if (this.peek() !== 0x2c) this.fail('expected "," between list members');
      this.i++;
      this.skipOws();
      if (this.done()) this.fail('trailing comma');
    }
    return members;
  }

  dictionary(): SfDictionary {
    const dict: SfDictionary = new Map();
    while (!this.done()) {
      const at = this.i;
      const key = this.key();
      let member: SfMember;
      if (this.peek() === 0x3d) {
        this.i++;
        member = this.member();
      } else {
        member = { kind: 'item', value: { type: 'boolean', value: true }, params: this.parameters() };
      }
      this.put(dict, key, member, at);
      this.skipOws();
      if (this.done()) return dict;
      if (this.peek() !== 0x2c) this.fail('expected "," between dictionary members');
      this.i++;
      this.skipOws();
      if (this.done()) this.fail('trailing comma');
    }
    return dict;
  }

  member(): SfMember {
    return this.peek() === 0x28 ? this.innerList() : this.item();
  }

  innerList(): SfInnerList {
    this.i++; // (
    const items: SfItem[] = [];
    for (;;) {
      this.skipSp();
      if (this.peek() === 0x29) {
        this.i++;
        return { kind: 'inner-list', items, params: this.parameters() };
      }
      items.push(this.item());
      const c = this.peek();
      if (c !== 0x20 && c !== 0x29) this.fail('expected " " or ")" in inner list');
    }
  }

  item(): SfItem {
    const value = this.bareItem();
    return { kind: 'item', value, params: this.parameters() };
  }

  parameters(): SfParameters {
    const params: SfParameters = new Map();
    while (this.peek() === 0x3b) {
      this.i++;
      this.skipSp();
      const at = this.i;
      const key = this.key();
      let value: SfBareItem = { type: 'boolean', value: true };
      if (this.peek() === 0x3d) {
        this.i++;
        value = this.bareItem();
      }
      this.put(params, key, value, at);
    }
    return params;
  }

  key(): string {
    const start = this.i;
    const first = this.peek();
    if (!isLcAlpha(first) && first !== 0x2a) this.fail('expected a key');
    this.i++;
    while (isKeyChar(this.peek())) this.i++;
    return this.s.slice(start, this.i);
  }

  bareItem(): SfBareItem {
    const c = this.peek();
    if (c === 0x2d || isDigit(c)) return this.number();
    if (c === 0x22) return { type: 'string', value: this.string() };
    if (c === 0x3a) return { type: 'bytes', value: this.bytes() };
    if (c === 0x3f) return { type: 'boolean', value: this.boolean() };
    if (isAlpha(c) || c === 0x2a) return { type: 'token', value: this.token() };
    return this.fail('expected an item');
  }

  number(): SfBareItem {
    const start = this.i;
    let negative = false;
    if (this.peek() === 0x2d) {
      negative = true;
      this.i++;
    }
    if (!isDigit(this.peek())) this.fail('expected a digit');
    const digitsStart = this.i;
    let dot = -1;
    for (;;) {
      const c = this.peek();
      if (isDigit(c)) {
        this.i++;
      } else if (c === 0x2e && dot < 0) {
        if (this.i - digitsStart > 12) this.fail('decimal has more than 12 integer digits');
        dot = this.i;
        this.i++;
      } else {
        break;
      }
      if (dot < 0 && this.i - digitsStart > 15) this.fail('integer has more than 15 digits');
      if (dot >= 0 && this.i - digitsStart > 16) this.fail('decimal is too long');
    }
    const text = this.s.slice(digitsStart, this.i);
    // "-0" is zero (RFC 8941 numbers are mathematical): JavaScript's -0 would serialise as "0" and so fail
    // to round-trip, and compare unequal to 0 under Object.is.
    const signed = (value: number) => (negative && value !== 0 ? -value : value);
    if (dot < 0) return { type: 'integer', value: signed(Number(text)) };
    const fraction = this.i - dot - 1;
    if (fraction === 0) this.fail('decimal ends in "."', start);
    if (fraction > 3) this.fail('decimal has more than 3 fractional digits', start);
    return { type: 'decimal', value: signed(Number(text)) };
  }

  string(): string {
    this.i++; // "
    let out = '';
    for (;;) {
      if (this.done()) this.fail('unterminated string');
      const c = this.s.charCodeAt(this.i++);
      if (c === 0x5c) {
        const next = this.peek();
        if (next !== 0x22 && next !== 0x5c) this.fail('bad escape in string');
        out += this.s[this.i++];
      } else if (c === 0x22) {
        return out;
      } else if (c < 0x20 || c > 0x7e) {
        this.fail('non-printable character in string', this.i - 1);
      } else {
        out += this.s[this.i - 1];
      }
    }
  }

  token(): string {
    const start = this.i;
    this.i++;
    for (let c = this.peek(); isTchar(c) || c === 0x3a || c === 0x2f; c = this.peek()) this.i++;
    return this.s.slice(start, this.i);
  }

  bytes(): Uint8Array {
    const start = ++this.i; // :
    const end = this.s.indexOf(':', start);
    if (end < 0) this.fail('unterminated byte sequence');
    const decoded = base64DecodeStrict(this.s.slice(start, end));
    if (!decoded) this.fail('byte sequence is not canonical padded base64', start);
    this.i = end + 1;
    return decoded;
  }

  boolean(): boolean {
    this.i++; // ?
    const c = this.peek();
    if (c !== 0x30 && c !== 0x31) this.fail('expected "?0" or "?1"');
    this.i++;
    return c === 0x31;
  }
}

function parseWith<T>(text: string, options: SfParseOptions | undefined, read: (p: Parser) => T): T {
  const start = text.length - text.replace(/^ +/, '').length;
  const trimmed = text.slice(start).replace(/ +$/, '');
  const p = new Parser(trimmed, options?.duplicates ?? 'refuse');
  const out = read(p);
  if (!p.done()) p.fail('unexpected text after the value');
  return out;
}

/**
 * Parses a Dictionary field value (several field lines joined with ", " first). Throws SfParseError.
 *
 * @example parseSfDictionary('sig1=("@method");created=1618884473')
 */
export function parseSfDictionary(text: string, options?: SfParseOptions): SfDictionary {
  return parseWith(text, options, (p) => p.dictionary());
}

/** Parses a List field value. Throws SfParseError. */
export function parseSfList(text: string, options?: SfParseOptions): SfList {
  return parseWith(text, options, (p) => p.list());
}

/** Parses an Item field value. Throws SfParseError. */
export function parseSfItem(text: string, options?: SfParseOptions): SfItem {
  return parseWith(text, options, (p) => {
    if (p.done()) p.fail('empty item');
    return p.item();
  });
}

/** Serialises a bare item (RFC 8941 section 4.1.3); throws TypeError for a value no field can carry. */
export function serializeSfBareItem(item: SfBareItem): string {
  switch (item.type) {
    case 'integer':
      if (!Number.isInteger(item.value) || Math.abs(item.value) > MAX_INTEGER)
        throw new TypeError(`Not an sf-integer: ${item.value}`);
      return String(item.value);
    case 'decimal': {
      // Round half to even at three fractional digits (RFC 8941 section 4.1.5).
      const scaled = item.value * 1000;
      let rounded = Math.round(scaled);
      if (Math.abs(scaled % 1) === 0.5 && rounded % 2 !== 0) rounded -= 1;
      const value = rounded / 1000;
      if (!Number.isFinite(value) || Math.abs(Math.trunc(value)) > MAX_DECIMAL_INTEGER_PART)
        throw new TypeError(`Not an sf-decimal: ${item.value}`);
      const text = value.toFixed(3).replace(/0+$/, '');
      return text.endsWith('.') ? `${text}0` : text;
    }
    case 'string':
      if (!isSfStringText(item.value)) throw new TypeError('sf-string carries printable ASCII only');
      return `"${item.value.replace(/[\\"]/g, (ch) => `\\${ch}`)}"`;
    case 'token':
      if (!isSfToken(item.value)) throw new TypeError(`Not an sf-token: ${item.value}`);
      return item.value;
    case 'bytes':
      return `:${base64Encode(item.value)}:`;
    case 'boolean':
      return item.value ? '?1' : '?0';
  }
}

/** Serialises parameters: `;key` for a true boolean, `;key=value` otherwise. */
export function serializeSfParameters(params: SfParameters): string {
  let out = '';
  for (const [key, value] of params) {
    if (!isSfKey(key)) throw new TypeError(`Not an sf-key: ${key}`);
    out += value.type === 'boolean' && value.value ? `;${key}` : `;${key}=${serializeSfBareItem(value)}`;
  }
  return out;
}

/** Serialises an item or an inner list with its parameters. */
export function serializeSfMember(member: SfMember): string {
  if (member.kind === 'item') return serializeSfBareItem(member.value) + serializeSfParameters(member.params);
  return `(${member.items.map(serializeSfMember).join(' ')})${serializeSfParameters(member.params)}`;
}

/** Serialises a dictionary: members joined with ", ", a true boolean written as its bare key. */
export function serializeSfDictionary(dict: SfDictionary): string {
  const parts: string[] = [];
  for (const [key, member] of dict) {
    if (!isSfKey(key)) throw new TypeError(`Not an sf-key: ${key}`);
    if (member.kind === 'item' && member.value.type === 'boolean' && member.value.value)
      parts.push(key + serializeSfParameters(member.params));
    else parts.push(`${key}=${serializeSfMember(member)}`);
  }
  return parts.join(', ');
}

/** Serialises a list: members joined with ", ". */
export function serializeSfList(list: SfList): string {
  return list.map(serializeSfMember).join(', ');
}
