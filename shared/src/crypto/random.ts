import nacl from 'tweetnacl';

/** Fills a fresh array with `length` bytes from a cryptographically secure source. */
export type RandomSource = (length: number) => Uint8Array;

let installed: RandomSource | undefined;

function webCryptoSource(): RandomSource | undefined {
  const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint8Array) => Uint8Array } }).crypto;
  const fill = c?.getRandomValues?.bind(c);
  if (!fill) return undefined;
  return (length) => {
    const out = new Uint8Array(length);
    // getRandomValues refuses more than 65536 bytes per call.
    for (let i = 0; i < length; i += 65536) fill(out.subarray(i, Math.min(length, i + 65536)));
    return out;
  };
}

/**
 * Makes `source` the random source of this module and of tweetnacl. The mini-program calls it at
 * start-up with bytes from the platform's secure generator; Node and browsers need not, since
 * `crypto.getRandomValues` is used when present. There is never a Math.random fallback.
 */
export function installRandomSource(source: RandomSource): void {
  installed = source;
  nacl.setPRNG((x, n) => {
    const bytes = source(n);
    if (bytes.length !== n) throw new Error('Random source returned the wrong length');
    x.set(bytes);
  });
}

/** `length` secure random bytes; throws when the platform has no secure source installed. */
export function randomBytes(length: number): Uint8Array {
  const source = installed ?? webCryptoSource();
  if (!source) throw new Error('No secure random source: call installRandomSource() first');
  const bytes = source(length);
  if (bytes.length !== length) throw new Error('Random source returned the wrong length');
  return bytes;
}
