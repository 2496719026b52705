import { installRandomSource } from '@eid/shared';
import { secureRandom } from '../platform/random';

const POOL_SIZE = 4096;
let pool = new Uint8Array(0);
let refilling: Promise<void> | null = null;

function refill(): Promise<void> {
  refilling ??= secureRandom(POOL_SIZE)
    .then((bytes) => {
      const next = new Uint8Array(pool.length + bytes.length);
      next.set(pool);
      next.set(bytes, pool.length);
      pool = next;
    })
    .finally(() => {
      refilling = null;
    });
  return refilling;
}

/**
 * Makes shared/ and tweetnacl draw from the platform generator. WeChat only offers an asynchronous
 * API while tweetnacl asks synchronously, so bytes are fetched ahead into a pool; the browser's
 * `crypto.getRandomValues` is synchronous and is used directly.
 */
export async function preparePlatformRandom(): Promise<void> {
  if (process.env.TARO_ENV !== 'weapp') return;
  if (pool.length < POOL_SIZE / 2) await refill();
  installRandomSource((length) => {
    if (pool.length < length) throw new Error('Secure random pool is empty');
    const out = pool.slice(0, length);
    pool = pool.slice(length);
    if (pool.length < POOL_SIZE / 2) void refill();
    return out;
  });
}
