/** What the card bench's parts share: the purpose verified, the reference servers' names, one Ed25519, timing. */
import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import {
  emptyStatusBits,
  openStatusList,
  signStatusList,
  trustListOf,
  type Ed25519,
  type Ed25519KeyPair,
  type StatusList,
  type TrustList,
} from '@eid/shared';
import { createNodeEd25519 } from '../../bff/src/infra/ed25519';

export const PURPOSE = 'hotel_check_in';
export type ReferenceName = 'sameCrypto' | 'signatureOnly' | 'floor' | 'services';
export const ed = createNodeEd25519();

/**
 * `ed` whose signing keeps the KeyObject of each secret-key array it was given (by identity), for making
 * the bench's many codes: the product's signer builds one per call, which is a quarter of a code's cost.
 */
export const codeSigner: Ed25519 = (() => {
  const keys = new WeakMap<Uint8Array, KeyObject>();
  return {
    ...ed,
    sign(secretKey, message) {
      let key = keys.get(secretKey);
      if (!key) {
        key = createPrivateKey({
          key: Buffer.concat([PKCS8_PREFIX, secretKey.subarray(0, 32)]),
          format: 'der',
          type: 'pkcs8',
        });
        keys.set(secretKey, key);
      }
      return new Uint8Array(sign(null, message, key));
    },
  };
})();
/** DER prefix of a raw Ed25519 public key as SPKI (RFC 8410), for bare node:crypto KeyObjects. */
export const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
/** DER prefix of a raw Ed25519 seed as PKCS#8 (RFC 8410). */
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Calls per second of `fn(0..count-1)`. */
export function rate(count: number, fn: (i: number) => void): number {
  const start = performance.now();
  for (let i = 0; i < count; i++) fn(i);
  return count / ((performance.now() - start) / 1000);
}

/** CPU seconds (user + system) of this process that `fn(from..from+count-1)` takes. */
function cpuSeconds(count: number, from: number, fn: (i: number) => void): number {
  const start = process.cpuUsage();
  for (let i = from; i < from + count; i++) fn(i);
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1e6;
}

/**
 * Rates of the product and of its reference, per CPU second of this process: one warm-up batch each, then
 * `rounds` batches, each measured as ten slices taking turns between the two sides, so that both see the
 * same machine (frequency, caches, neighbours) within milliseconds. CPU time rather than wall time, because
 * other processes on a busy machine take the core away for whole time slices, which wall time would count
 * against whichever side was running. The median rates, and the median of the rounds' ratios.
 */
export function alternate(
  ours: (i: number) => void,
  reference: (i: number) => void,
  { rounds, batch }: { rounds: number; batch: number },
): { opsPerSec: number; referenceOpsPerSec: number; ratio: number; unit: string } {
  cpuSeconds(batch, 0, ours);
  cpuSeconds(batch, 0, reference);
  const slices = Math.min(10, batch);
  const slice = Math.ceil(batch / slices);
  const oursRates: number[] = [];
  const refRates: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    let a = 0;
    let b = 0;
    for (let s = 0; s < slices; s++) {
      a += cpuSeconds(slice, s * slice, ours);
      b += cpuSeconds(slice, s * slice, reference);
    }
    oursRates.push((slice * slices) / a);
    refRates.push((slice * slices) / b);
    ratios.push(b / a);
  }
  return {
    opsPerSec: median(oursRates),
    referenceOpsPerSec: median(refRates),
    ratio: median(ratios),
    unit: 'ops/CPU-s',
  };
}

/** A trust list naming one issuer and that issuer's status list (65,536 entries, all valid) issued at `now`. */
export function issuerLists(
  kid: string,
  province: string,
  issuer: Ed25519KeyPair,
  now: number,
): { trustList: TrustList; statusLists: Map<string, StatusList> } {
  const trustList = trustListOf([{ kid, province, publicKey: issuer.publicKey }]);
  const size = 65_536;
  const list = signStatusList(
    { kid, issuedAt: now, ttlSeconds: 300, size, bits: emptyStatusBits(size) },
    (t) => ed.sign(issuer.secretKey, t),
  );
  return { trustList, statusLists: new Map([[kid, openStatusList(list, trustList, ed)]]) };
}
