import { unzlibSync, zlibSync } from 'fflate';
import { CborMap, CborShapeError, cborDecode, cborEncode, utf8Encode, type CborValue } from '../encoding';
import type { Ed25519 } from '../crypto';
import { sign1Create, sign1Decode, sign1ToBeSigned } from '../card/cose';
import type { TrustList } from '../trust/trust-list';

/** External AAD of status-list signatures (see card/cose.ts). */
export const STATUS_LIST_AAD = utf8Encode('EID status list v1');
/** Bits per card, as in the IETF Token Status List: room for valid, revoked, suspended and one spare. */
export const STATUS_BITS = 2;
/** Largest list we will inflate (16 Mi cards = 4 MiB), so a hostile list cannot exhaust memory. */
export const MAX_STATUS_LIST_SIZE = 1 << 24;

/** Status values (IETF Token Status List: 0 VALID, 1 INVALID, 2 SUSPENDED). */
export const CardStatusValue = { valid: 0, revoked: 1, suspended: 2 } as const;
export type CardStatusValue = (typeof CardStatusValue)[keyof typeof CardStatusValue];

/** A verified, inflated status list of one issuer key. */
export interface StatusList {
  kid: string;
  /** Epoch ms when the issuer built it; verifiers judge freshness from it. */
  issuedAt: number;
  /** Seconds the issuer suggests caching it. */
  ttlSeconds: number;
  /** Number of entries. */
  size: number;
  /** Raw bitstring, 2 bits per entry, entry 0 in the least significant bits of byte 0. */
  bits: Uint8Array;
}

/** The status value at `index`, or undefined when the list does not cover it. */
export function statusAt(list: Pick<StatusList, 'size' | 'bits'>, index: number): number | undefined {
  if (!Number.isSafeInteger(index) || index < 0 || index >= list.size) return undefined;
  const bit = index * STATUS_BITS;
  return (list.bits[bit >> 3]! >> (bit & 7)) & ((1 << STATUS_BITS) - 1);
}

/** A zeroed bitstring for `size` entries. */
export function emptyStatusBits(size: number): Uint8Array {
  return new Uint8Array(Math.ceil((size * STATUS_BITS) / 8));
}

/** Sets the status value at `index` in place. */
export function setStatusAt(bits: Uint8Array, index: number, value: number): void {
  const bit = index * STATUS_BITS;
  const mask = ((1 << STATUS_BITS) - 1) << (bit & 7);
  bits[bit >> 3] = (bits[bit >> 3]! & ~mask) | ((value << (bit & 7)) & mask);
}

const KEY = { kid: 1, iat: 2, ttl: 3, bits: 4, size: 5, lst: 6 } as const;

export interface StatusListContent {
  kid: string;
  issuedAt: number;
  ttlSeconds: number;
  size: number;
  bits: Uint8Array;
}

/**
 * Compresses (zlib, RFC 1950) and signs a status list with the issuer's signer. Deterministic: the
 * same content and time give the same bytes, so every BFF process serves the same list and ETag.
 */
export function signStatusList(
  content: StatusListContent,
  sign: (toBeSigned: Uint8Array) => Uint8Array,
): Uint8Array {
  if (content.size > MAX_STATUS_LIST_SIZE || content.bits.length !== emptyStatusBits(content.size).length) {
    throw new CborShapeError('status list size does not match its bits');
  }
  const payload = cborEncode(
    new Map<number, CborValue>([
      [KEY.kid, content.kid],
      [KEY.iat, Math.floor(content.issuedAt / 1000)],
      [KEY.ttl, content.ttlSeconds],
      [KEY.bits, STATUS_BITS],
      [KEY.size, content.size],
      [KEY.lst, zlibSync(content.bits, { level: 9 })],
    ]),
  );
  return sign1Create(content.kid, STATUS_LIST_AAD, payload, sign);
}

/**
 * Verifies a signed status list against the trust list and inflates it. Throws CborShapeError when
 * the issuer is unknown, the signature fails or the content is malformed.
 */
export function openStatusList(bytes: Uint8Array, trustList: TrustList, ed25519: Ed25519): StatusList {
  const sign1 = sign1Decode(bytes);
  const issuer = trustList.issuers.get(sign1.kid);
  if (!issuer) throw new CborShapeError('status list issuer unknown');
  const tbs = sign1ToBeSigned(sign1.protectedBytes, STATUS_LIST_AAD, sign1.payload);
  if (!ed25519.verify(issuer.publicKey, tbs, sign1.signature))
    throw new CborShapeError('status list signature invalid');
  const m = CborMap.from(cborDecode(sign1.payload), 'status list').only(Object.values(KEY));
  if (m.text(KEY.kid) !== sign1.kid) throw new CborShapeError('status list kid mismatch');
  if (m.uint(KEY.bits) !== STATUS_BITS) throw new CborShapeError('unsupported status bits');
  const size = m.uint(KEY.size);
  if (size > MAX_STATUS_LIST_SIZE) throw new CborShapeError('status list too large');
  const expectedLength = emptyStatusBits(size).length;
  let bits: Uint8Array;
  try {
    // One spare byte: fflate stops silently at the end of `out`, so a longer list shows as expected + 1.
    bits = unzlibSync(m.bytes(KEY.lst), { out: new Uint8Array(expectedLength + 1) });
  } catch {
    throw new CborShapeError('status list does not inflate');
  }
  if (bits.length !== expectedLength) throw new CborShapeError('status list length mismatch');
  return { kid: sign1.kid, issuedAt: m.uint(KEY.iat) * 1000, ttlSeconds: m.uint(KEY.ttl), size, bits };
}
