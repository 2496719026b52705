import { CborMap, CborShapeError, cborDecode, cborEncode, utf8Encode, type CborValue } from '../encoding';
import { isStrictEd25519PublicKey, type Ed25519 } from '../crypto';
import { sign1Create, sign1Decode, sign1ToBeSigned } from '../card/cose';
import { openStatusList, type StatusList } from '../status/status-list';
import { isValidUscc } from './uscc';
import { MAX_DOCUMENT_KID_BYTES } from './document';

/**
 * The licence-issuer list (docs/formats/licence-codes.md): the issuing bodies whose document signatures a
 * verifier accepts, signed by the trust root exactly as the card issuers' trust list is
 * (shared/src/trust/trust-list.ts), with an expiry, because issuing bodies come from a system we do not run.
 */

/** External AAD of licence-issuer list signatures: no trust list or other signature verifies as one. */
export const LICENCE_ISSUER_LIST_AAD = utf8Encode('EID licence issuer list v1');
/** Longest issuing-body name we accept (UTF-8 bytes). */
export const MAX_ISSUER_NAME_BYTES = 128;

/** One issuing body whose documents a verifier accepts. */
export interface LicenceIssuer {
  /** The key id its document credentials name (1-16 bytes). */
  kid: string;
  /** Its unified social credit code; a document naming another `iss` under this key is `unknown_issuer`. */
  uscc: string;
  /** Its name as the licence system publishes it (发证机关). */
  name: string;
  /** Raw 32-byte Ed25519 public key; never of small order. */
  publicKey: Uint8Array;
  /** Epoch ms; documents signed before it are refused. */
  notBefore?: number;
  /** Epoch ms; documents signed after it are refused (the key was retired). */
  notAfter?: number;
}

/** A verified licence-issuer list. */
export interface LicenceIssuerList {
  /** Grows with every publication; a verifier never goes back to a lower one. */
  sequence: number;
  /** Epoch ms. */
  issuedAt: number;
  /** Epoch ms after which the list vouches for nobody: a verifier then needs a newer one. */
  expiresAt: number;
  issuers: ReadonlyMap<string, LicenceIssuer>;
}

export interface LicenceIssuerListContent {
  sequence: number;
  issuedAt: number;
  expiresAt: number;
  issuers: readonly LicenceIssuer[];
}

/** Why a list was refused: it is not one, the root did not sign it, it names a key no one may trust, or time. */
export type IssuerListProblem = 'malformed' | 'bad_signature' | 'weak_key' | 'expired' | 'rollback';

/** Thrown by `openLicenceIssuerList`; a CborShapeError, so callers that catch those keep working. */
export class IssuerListError extends CborShapeError {
  constructor(
    readonly reason: IssuerListProblem,
    message: string,
  ) {
    super(message);
    this.name = 'IssuerListError';
  }
}

const KEY = { sequence: 1, iat: 2, exp: 3, issuers: 4 } as const;
const ISSUER = { kid: 1, uscc: 2, name: 3, publicKey: 4, notBefore: 5, notAfter: 6 } as const;

const seconds = (ms: number) => Math.floor(ms / 1000);

function issuerProblem(i: LicenceIssuer): IssuerListProblem | undefined {
  const kidBytes = typeof i.kid === 'string' ? utf8Encode(i.kid).length : 0;
  const nameBytes = typeof i.name === 'string' ? utf8Encode(i.name).length : 0;
  if (kidBytes === 0 || kidBytes > MAX_DOCUMENT_KID_BYTES) return 'malformed';
  if (!isValidUscc(i.uscc)) return 'malformed';
  if (nameBytes === 0 || nameBytes > MAX_ISSUER_NAME_BYTES || i.name.trim() !== i.name) return 'malformed';
  if (i.notBefore !== undefined && i.notAfter !== undefined && i.notAfter < i.notBefore) return 'malformed';
  // A small-order key would let anyone sign documents under it: such a list is never signed nor opened.
  if (!(i.publicKey instanceof Uint8Array) || !isStrictEd25519PublicKey(i.publicKey)) return 'weak_key';
  return undefined;
}

/**
 * Encodes and signs a licence-issuer list with the root signer (the BFF key store's trust-root key). Throws
 * IssuerListError on an entry it would refuse to open (bad kid, USCC or name, a weak key, a duplicate kid).
 *
 * @example signLicenceIssuerList({ sequence, issuedAt, expiresAt, issuers }, TRUST_ROOT_KID, sign)
 */
export function signLicenceIssuerList(
  content: LicenceIssuerListContent,
  rootKid: string,
  sign: (toBeSigned: Uint8Array) => Uint8Array,
): Uint8Array {
  if (!(content.expiresAt > content.issuedAt))
    throw new IssuerListError('malformed', 'list expires before issue');
  const kids = new Set<string>();
  const issuers = content.issuers.map((i) => {
    const problem = issuerProblem(i);
    if (problem) throw new IssuerListError(problem, `licence issuer ${String(i.kid)} is invalid`);
    if (kids.has(i.kid)) throw new IssuerListError('malformed', 'duplicate licence issuer kid');
    kids.add(i.kid);
    const entry = new Map<number, CborValue>([
      [ISSUER.kid, i.kid],
      [ISSUER.uscc, i.uscc],
      [ISSUER.name, i.name],
      [ISSUER.publicKey, i.publicKey],
    ]);
    if (i.notBefore !== undefined) entry.set(ISSUER.notBefore, seconds(i.notBefore));
    if (i.notAfter !== undefined) entry.set(ISSUER.notAfter, seconds(i.notAfter));
    return entry;
  });
  const payload = cborEncode(
    new Map<number, CborValue>([
      [KEY.sequence, content.sequence],
      [KEY.iat, seconds(content.issuedAt)],
      [KEY.exp, seconds(content.expiresAt)],
      [KEY.issuers, issuers],
    ]),
  );
  return sign1Create(rootKid, LICENCE_ISSUER_LIST_AAD, payload, sign);
}

export interface OpenIssuerListOptions {
  /** Epoch ms: a list expired at this time is refused (`expired`). */
  now?: number;
  /** The sequence of the list the verifier holds: a lower one is refused (`rollback`); an equal one is fine. */
  minSequence?: number;
}

function decodeIssuers(raw: CborValue[]): Map<string, LicenceIssuer> {
  const issuers = new Map<string, LicenceIssuer>();
  for (const item of raw) {
    const e = CborMap.from(item, 'licence issuer').only(Object.values(ISSUER));
    const issuer: LicenceIssuer = {
      kid: e.text(ISSUER.kid),
      uscc: e.text(ISSUER.uscc),
      name: e.text(ISSUER.name),
      publicKey: e.bytes(ISSUER.publicKey, 32),
    };
    const nb = e.optionalUint(ISSUER.notBefore);
    const na = e.optionalUint(ISSUER.notAfter);
    if (nb !== undefined) issuer.notBefore = nb * 1000;
    if (na !== undefined) issuer.notAfter = na * 1000;
    const problem = issuerProblem(issuer);
    if (problem) throw new IssuerListError(problem, `licence issuer ${issuer.kid} is not acceptable`);
    if (issuers.has(issuer.kid)) throw new IssuerListError('malformed', 'duplicate licence issuer kid');
    issuers.set(issuer.kid, issuer);
  }
  return issuers;
}

/**
 * Verifies a signed licence-issuer list against the root public key and decodes it, strictly. Throws
 * IssuerListError (reason `malformed`, `bad_signature`, `weak_key`, `expired` or `rollback`) and the verifier
 * keeps the list it had: one bad entry refuses the whole list.
 *
 * @example openLicenceIssuerList(bytes, ROOT_PUBLIC_KEY, ed25519, { now: clock.now(), minSequence: held.sequence })
 */
export function openLicenceIssuerList(
  bytes: Uint8Array,
  rootPublicKey: Uint8Array,
  ed25519: Ed25519,
  options: OpenIssuerListOptions = {},
): LicenceIssuerList {
  let sign1;
  try {
    sign1 = sign1Decode(bytes);
  } catch (err) {
    throw new IssuerListError('malformed', (err as Error).message);
  }
  const tbs = sign1ToBeSigned(sign1.protectedBytes, LICENCE_ISSUER_LIST_AAD, sign1.payload);
  if (!ed25519.verify(rootPublicKey, tbs, sign1.signature)) {
    throw new IssuerListError('bad_signature', 'licence issuer list signature invalid');
  }
  let list: LicenceIssuerList;
  try {
    const m = CborMap.from(cborDecode(sign1.payload), 'licence issuer list').only(Object.values(KEY));
    list = {
      sequence: m.uint(KEY.sequence),
      issuedAt: m.uint(KEY.iat) * 1000,
      expiresAt: m.uint(KEY.exp) * 1000,
      issuers: decodeIssuers(m.array(KEY.issuers)),
    };
  } catch (err) {
    if (err instanceof IssuerListError) throw err;
    throw new IssuerListError('malformed', (err as Error).message);
  }
  if (!(list.expiresAt > list.issuedAt)) throw new IssuerListError('malformed', 'list expires before issue');
  if (options.now !== undefined && options.now >= list.expiresAt) {
    throw new IssuerListError('expired', 'licence issuer list has expired');
  }
  if (options.minSequence !== undefined && list.sequence < options.minSequence) {
    throw new IssuerListError('rollback', 'licence issuer list is older than the one held');
  }
  return list;
}

/** A licence-issuer list built in memory (for the BFF, which fetched the bodies' keys itself, and for tests). */
export function licenceIssuerListOf(
  issuers: readonly LicenceIssuer[],
  issuedAt = 0,
  expiresAt = Number.MAX_SAFE_INTEGER,
  sequence = 0,
): LicenceIssuerList {
  return { sequence, issuedAt, expiresAt, issuers: new Map(issuers.map((i) => [i.kid, i])) };
}

/**
 * The issuing body that may have signed a document: listed under `kid` with the same USCC, its key valid at
 * `signedAt`, the list itself unexpired at `now`. Undefined otherwise (the verdict `unknown_issuer`).
 */
export function licenceIssuerFor(
  list: LicenceIssuerList,
  kid: string,
  uscc: string,
  signedAt: number,
  now: number,
): LicenceIssuer | undefined {
  if (now >= list.expiresAt) return undefined;
  const issuer = list.issuers.get(kid);
  if (!issuer || issuer.uscc !== uscc) return undefined;
  if (issuer.notBefore !== undefined && signedAt < issuer.notBefore) return undefined;
  if (issuer.notAfter !== undefined && signedAt > issuer.notAfter) return undefined;
  return issuer;
}

/**
 * Opens a status list signed by an issuing body (shared/src/status format, its kid the body's key id) with the
 * body's key from the licence-issuer list. Throws CborShapeError as `openStatusList` does.
 */
export function openLicenceStatusList(
  bytes: Uint8Array,
  list: LicenceIssuerList,
  ed25519: Ed25519,
): StatusList {
  const issuers = new Map(
    [...list.issuers.values()].map((i) => [i.kid, { kid: i.kid, province: '', publicKey: i.publicKey }]),
  );
  return openStatusList(bytes, { sequence: list.sequence, issuedAt: list.issuedAt, issuers }, ed25519);
}
