/**
 * Canonical JSON for the values we sign (docs/formats/party-registration.md): object keys sorted by UTF-16
 * code units, no whitespace, strings and numbers as ECMAScript's JSON.stringify writes them. For our values
 * (strings, finite numbers, booleans, null, arrays, plain objects) this is RFC 8785 (JCS), so an integrator
 * can reproduce the signed bytes with any JCS library.
 *
 * Anything else throws TypeError rather than being written some way a verifier might not repeat: a
 * non-finite number, a bigint, a Date or other class instance, undefined in an array or at the top.
 * An object property whose value is undefined is left out, as JSON.stringify does, so a payload and its
 * JSON round trip give the same bytes.
 *
 * @example canonicalJson({ b: 1, a: [true, null] }) // '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  return write(value, 0);
}

// Deep enough for any payload of ours; a cycle ends here instead of overflowing the stack.
const MAX_DEPTH = 64;

function write(value: unknown, depth: number): string {
  if (depth > MAX_DEPTH) throw new TypeError('canonicalJson: nested too deeply');
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonicalJson: numbers must be finite');
      // JSON.stringify writes -0 as 0 and every other number in ECMAScript's shortest form, as RFC 8785 asks.
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw new TypeError(`canonicalJson: cannot write a ${typeof value}`);
  }
  if (Array.isArray(value)) {
    const items: string[] = [];
    for (let i = 0; i < value.length; i++) {
      if (value[i] === undefined) throw new TypeError('canonicalJson: undefined in an array');
      items.push(write(value[i], depth + 1));
    }
    return `[${items.join(',')}]`;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) throw new TypeError('canonicalJson: only plain objects');
  const record = value as Record<string, unknown>;
  // Default sort compares UTF-16 code units, which is what RFC 8785 section 3.2.3 asks for.
  const keys = Object.keys(record).sort();
  const members: string[] = [];
  for (const key of keys) {
    if (record[key] === undefined) continue;
    members.push(`${JSON.stringify(key)}:${write(record[key], depth + 1)}`);
  }
  return `{${members.join(',')}}`;
}
