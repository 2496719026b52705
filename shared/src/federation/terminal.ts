import { CardStatusValue, emptyStatusBits, setStatusAt, signStatusList } from '../status/status-list';
import { base64urlDecode, base64urlEncode } from '../encoding/base64url';
import { canonicalJson } from '../encoding/canonical-json';
import { utf8Decode, utf8Encode } from '../encoding/utf8';
import { isProvinceCode } from '../id-number';
import { checkTrustBundleShape } from './bundle';
import { FederationError } from './errors';
import type { TerminalBundle, TerminalStatusList, TrustBundle } from './types';

/** Status lists a terminal bundle may carry (a few issuer keys per province, 34 provinces). */
export const TERMINAL_BUNDLE_MAX_STATUS_LISTS = 1024;

function refuse(message: string): never {
  throw new FederationError('malformed_terminal_bundle', message);
}

/** The bytes a terminal stores or a node serves: canonical JSON, UTF-8 (one bundle, one spelling). */
export function encodeTerminalBundle(bundle: TerminalBundle): Uint8Array {
  return utf8Encode(canonicalJson(bundle));
}

/** Bytes of encodeTerminalBundle(bundle): what a terminal downloads. */
export function terminalBundleSize(bundle: TerminalBundle): number {
  return encodeTerminalBundle(bundle).length;
}

function checkStatusList(raw: unknown, i: number): TerminalStatusList {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) refuse(`statusLists[${i}] is an object`);
  const o = raw as Record<string, unknown>;
  const keys = Object.keys(o).sort().join(',');
  if (keys !== 'fetchedAt,kid,list,province')
    refuse(`statusLists[${i}] is { province, kid, list, fetchedAt }`);
  const { province, kid, list, fetchedAt } = o;
  if (typeof province !== 'string' || !isProvinceCode(province))
    refuse(`statusLists[${i}].province is a code`);
  if (typeof kid !== 'string' || kid.length === 0 || kid.length > 128)
    refuse(`statusLists[${i}].kid is a kid`);
  if (typeof list !== 'string' || list.length === 0) refuse(`statusLists[${i}].list is base64url`);
  try {
    base64urlDecode(list);
  } catch {
    refuse(`statusLists[${i}].list is base64url`);
  }
  if (typeof fetchedAt !== 'number' || !Number.isSafeInteger(fetchedAt) || fetchedAt < 0)
    refuse(`statusLists[${i}].fetchedAt is epoch ms`);
  return { province, kid, list, fetchedAt };
}

/**
 * Reads a terminal bundle's bytes (or parsed JSON) and checks its shape; verifies nothing: the terminal then
 * opens `trust` with openTrustBundle and each status list with openStatusList under issuersOfList. Throws
 * FederationError `malformed_terminal_bundle` (or `malformed_bundle` for the trust bundle inside).
 */
export function decodeTerminalBundle(input: Uint8Array | string | unknown): TerminalBundle {
  let value: unknown = input;
  if (input instanceof Uint8Array || typeof input === 'string') {
    try {
      value = JSON.parse(typeof input === 'string' ? input : utf8Decode(input));
    } catch {
      refuse('a terminal bundle is UTF-8 JSON');
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    refuse('a terminal bundle is an object');
  const o = value as Record<string, unknown>;
  if (Object.keys(o).sort().join(',') !== 'statusLists,trust')
    refuse('a terminal bundle is { trust, statusLists }');
  const trust = checkTrustBundleShape(o.trust);
  if (!Array.isArray(o.statusLists) || o.statusLists.length > TERMINAL_BUNDLE_MAX_STATUS_LISTS)
    refuse(`statusLists is an array of at most ${TERMINAL_BUNDLE_MAX_STATUS_LISTS}`);
  return { trust, statusLists: o.statusLists.map(checkStatusList) };
}

export interface TerminalBundleEstimateInput {
  /** Province codes, one status list (one issuer key) each. */
  provinces: readonly string[];
  /** Cards per province (entries of its status list; at most MAX_STATUS_LIST_SIZE). */
  cardsPerProvince: number;
  /** Share of revoked cards, spread at random positions (default 0.01). */
  revokedFraction?: number;
  /** Share of suspended cards (default 0.001). */
  suspendedFraction?: number;
  /** The trust bundle to carry (its bytes count as they are). */
  trust: TrustBundle;
  /** Epoch ms put in the lists (and fetchedAt). */
  at?: number;
  /** Seed of the positions, so the figure is reproducible. */
  seed?: number;
}

export interface TerminalBundleEstimate {
  /** Bytes of the encoded terminal bundle. */
  bytes: number;
  /** Bytes of the trust bundle's JSON. */
  trustBytes: number;
  /** Bytes of each signed status list (COSE, zlib inside), before base64url. */
  statusListBytes: number[];
  /** Upper bound when the bits do not compress at all (zlib stored blocks), base64url and JSON included. */
  worstCaseBytes: number;
}

// mulberry32: a tiny reproducible generator for where the revoked cards are (no security role).
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The size of a terminal bundle for `cardsPerProvince` cards in each province, measured rather than guessed:
 * it builds each province's status list in the existing format (2 bits per card, zlib, COSE_Sign1; a
 * placeholder 64-byte signature, which has the size of a real one) with the given shares of revoked and
 * suspended cards at random positions, and encodes the bundle. Costs a zlib pass over cardsPerProvince / 4
 * bytes per province.
 */
export function estimateTerminalBundleSize(input: TerminalBundleEstimateInput): TerminalBundleEstimate {
  const { provinces, cardsPerProvince, trust } = input;
  const revoked = input.revokedFraction ?? 0.01;
  const suspended = input.suspendedFraction ?? 0.001;
  const at = input.at ?? 0;
  if (!Number.isSafeInteger(cardsPerProvince) || cardsPerProvince < 0) throw new RangeError('a card count');
  if (!(revoked >= 0 && suspended >= 0 && revoked + suspended <= 1)) throw new RangeError('shares of cards');
  const statusLists: TerminalStatusList[] = [];
  const statusListBytes: number[] = [];
  let worstCaseBytes = 0;
  provinces.forEach((province, p) => {
    const random = generator((input.seed ?? 18) * 1000 + p);
    const bits = emptyStatusBits(cardsPerProvince);
    for (let i = 0; i < cardsPerProvince; i++) {
      const r = random();
      if (r < revoked) setStatusAt(bits, i, CardStatusValue.revoked);
      else if (r < revoked + suspended) setStatusAt(bits, i, CardStatusValue.suspended);
    }
    const kid = `${province}-issuer-1`;
    const signed = signStatusList(
      { kid, issuedAt: at, ttlSeconds: 3600, size: cardsPerProvince, bits },
      () => new Uint8Array(64),
    );
    statusListBytes.push(signed.length);
    statusLists.push({ province, kid, list: base64urlEncode(signed), fetchedAt: at });
    // Stored zlib: 2 header and 4 checksum bytes, 5 per block of at most 65 535 bytes; 200 bytes bound the
    // CBOR and COSE around it (kid, times, sizes, the signature); then base64url and the JSON members.
    const stored = bits.length + 6 + 5 * Math.max(1, Math.ceil(bits.length / 65_535));
    worstCaseBytes += Math.ceil(((stored + 200) * 4) / 3) + 80 + kid.length;
  });
  const bundle: TerminalBundle = { trust, statusLists };
  const trustBytes = utf8Encode(canonicalJson(trust)).length;
  return {
    bytes: terminalBundleSize(bundle),
    trustBytes,
    statusListBytes,
    worstCaseBytes: worstCaseBytes + trustBytes + 32,
  };
}
