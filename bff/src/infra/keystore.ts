import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  randomBytes,
  sign as edSign,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import jwt from 'jsonwebtoken';
import {
  AppError,
  NOTE_SIGNATURE_TYPE_COSIGNATURE_V1,
  NOTE_SIGNATURE_TYPE_ED25519,
  formatVerifierKey,
  isProvinceCode,
} from '@eid/shared';
import { ConfigError, type Config } from '../config';
import type { Clock } from './clock';

/**
 * The only holder of secret key material. Callers name keys by id or purpose and get results, never
 * key bytes: envelope encryption of personal data, blind indexes, session tokens, issuer signatures.
 */
export interface KeyStore {
  /** Seals `plaintext` under a fresh data key wrapped by the current master key; `aad` binds it to its record. */
  seal(plaintext: string, aad: string): string;
  /** Opens a value made by `seal` with any known master key; throws INTERNAL when tampered or unknown. */
  open(sealed: string, aad: string): string;
  /** Re-wraps the data key under the current master key without touching the data (key rotation). */
  rewrap(sealed: string): string;
  /** Id of the master key that wrapped `sealed`. */
  masterKidOf(sealed: string): string;
  /** Keyed, deterministic index for finding a record by a secret value without decrypting anything. */
  blindIndex(kind: string, value: string): string;
  signToken(payload: TokenPayload, options: { audience: Audience; ttlSeconds: number }): string;
  /** Verifies signature, audience and expiry against the injected clock. */
  verifyToken(token: string, audience: Audience): VerifiedToken;
  issuerKeys(): IssuerKeyInfo[];
  /**
   * When an issuer key's configured validity ends (`EID_ISSUER_KEYS` entry `kid:province:seed:YYYY-MM-DD`,
   * the end of that day in Beijing), or undefined when none was configured: the keys page warns from it.
   */
  issuerKeyNotAfter(kid: string): number | undefined;
  /** Key id that signs new credentials for this node's province. */
  activeIssuerKid(): string;
  signAsIssuer(kid: string, message: Uint8Array): Uint8Array;
  trustRootPublicKey(): Uint8Array;
  signAsTrustRoot(message: Uint8Array): Uint8Array;
  /** Key id the electronic licence system knows this BFF's request-signing key by (LICENCE_CLIENT_KID). */
  licenceClientKid(): string;
  /** Raw 32-byte public half of the licence-client key: what the licence system is configured with. */
  licenceClientPublicKey(): Uint8Array;
  /** Signs an RFC 9421 signature base or a licence grant for the licence system; nothing else uses this key. */
  signAsLicenceClient(message: Uint8Array): Uint8Array;
  /** Key id of the key that signs relying-party registrations (EID_PARTY_REGISTRY_KEY; docs/formats/party-registration.md). */
  partyRegistryKid(): string;
  partyRegistryPublicKey(): Uint8Array;
  signAsPartyRegistry(message: Uint8Array): Uint8Array;
  /**
   * The keys that sign callbacks (`v1a`, Standard Webhooks), newest first (EID_CALLBACK_KEYS): every one
   * listed signs each callback, so a party holding either key verifies during a rotation.
   */
  callbackKeys(): { kid: string; publicKey: Uint8Array }[];
  signAsCallback(kid: string, message: Uint8Array): Uint8Array;
  /**
   * The resident's pairwise subject identifier at one party: HMAC-SHA256 under EID_PAIRWISE_KEY of
   * `eid-pairwise-v1`, the party id and the resident id, base64url (43 characters). Stable for one
   * (party, resident); two parties' identifiers of one resident cannot be linked without the key.
   */
  pairwiseSubject(partyId: string, residentId: string): string;
  /**
   * The Ed25519 keys that sign ID tokens (EID_OIDC_KEYS), newest first, as private JWKs (`kty` OKP, `crv`
   * Ed25519, `alg` EdDSA, `kid`). The one exception to "never key bytes": node-oidc-provider signs with the
   * keys it is configured with, so modules/oidc hands these to it and to nothing else.
   */
  oidcSigningJwks(): OidcPrivateJwk[];
  /** Secrets that sign the OpenID provider's cookies (EID_OIDC_COOKIE_KEYS), newest first. */
  oidcCookieKeys(): string[];
  /**
   * This node's keys for node-to-node requests and responses (EID_NODE_KEYS, issue 18), newest first; the
   * first signs. The national trust list carries their public halves as `use: node`.
   */
  nodeKeys(): { kid: string; publicKey: Uint8Array }[];
  signAsNode(message: Uint8Array): { kid: string; signature: Uint8Array };
  /** This node's witness: its C2SP cosignature verifier key (name `witness-<province>`) and signer. */
  witnessName(): string;
  witnessVerifierKey(): string;
  witnessPublicKey(): Uint8Array;
  signAsWitness(message: Uint8Array): Uint8Array;
  /** National role: the log's C2SP note verifier key (name NATIONAL_LOG_ORIGIN) and checkpoint signer. */
  logVerifierKey(): string;
  signAsLog(message: Uint8Array): Uint8Array;
}

/**
 * The development keys of a province node: what a development national node enrols without configuration
 * (NATIONAL_PROVINCES unset). Derived from the same public seed as every development key: they protect nothing.
 */
export function devFederationKeys(province: string): {
  nodeKid: string;
  nodePublicKey: Uint8Array;
  issuerKid: string;
  issuerPublicKey: Uint8Array;
  witnessVerifierKey: string;
} {
  const node = ed25519FromSeed(devSeed(`node-${province}`), 'EID_NODE_KEYS');
  const issuer = ed25519FromSeed(devSeed(`issuer-${province}`));
  const witness = ed25519FromSeed(devSeed(`witness-${province}`), 'EID_WITNESS_KEY');
  return {
    nodeKid: `dev-node-${province}-1`,
    nodePublicKey: node.publicKey,
    issuerKid: `dev-${province}-1`,
    issuerPublicKey: issuer.publicKey,
    witnessVerifierKey: formatVerifierKey(
      `witness-${province}`,
      NOTE_SIGNATURE_TYPE_COSIGNATURE_V1,
      witness.publicKey,
    ),
  };
}

/** The development national log's verifier key under `origin`. */
export function devLogVerifierKey(origin: string): string {
  const log = ed25519FromSeed(devSeed('national-log'), 'EID_LOG_KEY');
  return formatVerifierKey(origin, NOTE_SIGNATURE_TYPE_ED25519, log.publicKey);
}

function devSeed(name: string): Buffer {
  return createHmac('sha256', 'eid-DEVELOPMENT-ONLY-keys').update(name).digest();
}

/** An Ed25519 private key as a JWK (RFC 8037). */
export interface OidcPrivateJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  alg: 'EdDSA';
  use: 'sig';
  kid: string;
  x: string;
  d: string;
}

export type Audience = 'resident' | 'staff' | 'admin' | 'third_party' | 'reauth';

export interface TokenPayload {
  sub: string;
  /** Session (refresh family) id, so revoking a family can be checked. */
  sid?: string;
  role?: string;
  [claim: string]: unknown;
}

export interface VerifiedToken extends TokenPayload {
  aud: Audience;
  iat: number;
  exp: number;
  jti: string;
}

export interface IssuerKeyInfo {
  kid: string;
  /** Two-digit province code of the issuing node, e.g. '37'. */
  province: string;
  /** Raw 32-byte Ed25519 public key. */
  publicKey: Uint8Array;
}

const SEAL_VERSION = 'v1';
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const VERIFIED_TOKENS_MAX = 10_000;

/** Compares two strings or byte arrays in constant time (for the same length). */
export function safeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
  const x = typeof a === 'string' ? Buffer.from(a) : Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const y = typeof b === 'string' ? Buffer.from(b) : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  if (x.length !== y.length) {
    timingSafeEqual(x, x);
    return false;
  }
  return timingSafeEqual(x, y);
}

/** SHA-256 as base64url: for hashing random tokens before they are stored. */
export function sha256b64url(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

/** Loads every key named by the configuration, or deterministic development keys where none is set. */
export function createKeyStore(config: Config, clock: Clock): KeyStore {
  const dev = devSeed;
  const decode = (b64: string) => Buffer.from(b64, 'base64');

  const masters = parseMasterKeys(
    config.EID_MASTER_KEYS ?? `dev-master-1:${dev('master').toString('base64')}`,
  );
  const currentMaster = masters[0]!;
  const blindKey = createSecretKey(
    config.EID_BLIND_INDEX_KEY ? decode(config.EID_BLIND_INDEX_KEY) : dev('blind'),
  );
  const jwtKey = createSecretKey(config.EID_JWT_SECRET ? decode(config.EID_JWT_SECRET) : dev('jwt'));
  // Tokens this process verified, by audience and exact string: a terminal sends one token for its whole
  // lifetime, and its full check (jsonwebtoken) was about 6% of the verify endpoint's CPU (docs/benchmarks.md).
  // The key never changes in a process, so a hit only needs its expiry checked again; bounded, cleared when full.
  const verifiedTokens = new Map<string, VerifiedToken>();
  const issuers = parseIssuerKeys(
    config.EID_ISSUER_KEYS ??
      `dev-${config.PROVINCE_CODE}-1:${config.PROVINCE_CODE}:${dev(`issuer-${config.PROVINCE_CODE}`).toString('base64')}`,
  );
  const active = issuers.find((k) => k.province === config.PROVINCE_CODE);
  if (!active) throw new ConfigError('EID_ISSUER_KEYS', `has no key for province ${config.PROVINCE_CODE}`);
  const root = ed25519FromSeed(
    config.EID_TRUST_ROOT_KEY ? decode(config.EID_TRUST_ROOT_KEY) : dev('trust-root'),
    'EID_TRUST_ROOT_KEY',
  );

  // The development seed is the one the licence stand-in trusts without configuration (mock/src/licence).
  const licenceClient = ed25519FromSeed(
    config.LICENCE_CLIENT_KEY ? decode(config.LICENCE_CLIENT_KEY) : dev('licence-client'),
    'LICENCE_CLIENT_KEY',
  );

  const partyRegistry = ed25519FromSeed(
    config.EID_PARTY_REGISTRY_KEY ? decode(config.EID_PARTY_REGISTRY_KEY) : dev('party-registry'),
    'EID_PARTY_REGISTRY_KEY',
  );
  const partyRegistryKid = config.EID_PARTY_REGISTRY_KEY
    ? `party-registry-${config.PROVINCE_CODE}`
    : 'dev-party-registry';
  const callbackSigners = parseSeedList(
    config.EID_CALLBACK_KEYS ?? `dev-callback-1:${dev('callback-1').toString('base64')}`,
    'EID_CALLBACK_KEYS',
  );
  const callbackByKid = new Map(callbackSigners.map((k) => [k.kid, k]));
  const pairwiseKey = createSecretKey(
    config.EID_PAIRWISE_KEY ? decode(config.EID_PAIRWISE_KEY) : dev('pairwise'),
  );

  const oidcSigners = parseSeedList(
    config.EID_OIDC_KEYS ?? `dev-oidc-1:${dev('oidc-1').toString('base64')}`,
    'EID_OIDC_KEYS',
  );
  const oidcJwks: OidcPrivateJwk[] = oidcSigners.map(({ kid, privateKey }) => {
    const jwk = privateKey.export({ format: 'jwk' });
    return { kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig', kid, x: jwk.x!, d: jwk.d! };
  });
  const cookieKeys = (config.EID_OIDC_COOKIE_KEYS ?? dev('oidc-cookies').toString('base64url')).split(',');
  if (cookieKeys.some((k) => k.length < 16))
    throw new ConfigError('EID_OIDC_COOKIE_KEYS', 'entries must be at least 16 characters');

  const nodeSigners = parseSeedList(
    config.EID_NODE_KEYS ??
      `dev-node-${config.PROVINCE_CODE}-1:${dev(`node-${config.PROVINCE_CODE}`).toString('base64')}`,
    'EID_NODE_KEYS',
  );
  const witnessName = `witness-${config.PROVINCE_CODE}`;
  const witness = ed25519FromSeed(
    config.EID_WITNESS_KEY ? decode(config.EID_WITNESS_KEY) : dev(`witness-${config.PROVINCE_CODE}`),
    'EID_WITNESS_KEY',
  );
  const log = ed25519FromSeed(
    config.EID_LOG_KEY ? decode(config.EID_LOG_KEY) : dev('national-log'),
    'EID_LOG_KEY',
  );

  const masterByKid = new Map(masters.map((m) => [m.kid, m.key]));
  const issuerByKid = new Map(issuers.map((k) => [k.kid, k]));

  const aes = (key: KeyObject | Buffer, iv: Buffer, data: Buffer, aad: string) => {
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(aad));
    const ct = Buffer.concat([cipher.update(data), cipher.final()]);
    return Buffer.concat([ct, cipher.getAuthTag()]);
  };
  const unaes = (key: KeyObject | Buffer, iv: Buffer, data: Buffer, aad: string) => {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(data.subarray(data.length - 16));
    return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]);
  };
  const parts = (sealed: string) => {
    const p = sealed.split('.');
    if (p.length !== 6 || p[0] !== SEAL_VERSION) throw new AppError('INTERNAL', 'Sealed value is malformed');
    const [, kid, wiv, wdk, iv, ct] = p as [string, string, string, string, string, string];
    const master = masterByKid.get(kid);
    if (!master) throw new AppError('INTERNAL', 'Sealed value names an unknown master key');
    return { kid, master, wiv, wdk, iv, ct };
  };
  const b = (s: string) => Buffer.from(s, 'base64url');

  return {
    seal(plaintext, aad) {
      const dataKey = randomBytes(32);
      const wiv = randomBytes(12);
      const iv = randomBytes(12);
      // The wrapped key is bound to the master key id so a swapped header cannot unwrap it.
      const wrapped = aes(currentMaster.key, wiv, dataKey, `wrap:${currentMaster.kid}`);
      const ct = aes(dataKey, iv, Buffer.from(plaintext, 'utf8'), aad);
      return [SEAL_VERSION, currentMaster.kid, wiv, wrapped, iv, ct]
        .map((x) => (typeof x === 'string' ? x : x.toString('base64url')))
        .join('.');
    },
    open(sealed, aad) {
      const { kid, master, wiv, wdk, iv, ct } = parts(sealed);
      try {
        const dataKey = unaes(master, b(wiv), b(wdk), `wrap:${kid}`);
        return unaes(dataKey, b(iv), b(ct), aad).toString('utf8');
      } catch {
        throw new AppError('INTERNAL', 'Sealed value failed authentication');
      }
    },
    rewrap(sealed) {
      const { kid, master, wiv, wdk, iv, ct } = parts(sealed);
      if (kid === currentMaster.kid) return sealed;
      const dataKey = unaes(master, b(wiv), b(wdk), `wrap:${kid}`);
      const nwiv = randomBytes(12);
      const nwdk = aes(currentMaster.key, nwiv, dataKey, `wrap:${currentMaster.kid}`);
      return [
        SEAL_VERSION,
        currentMaster.kid,
        nwiv.toString('base64url'),
        nwdk.toString('base64url'),
        iv,
        ct,
      ].join('.');
    },
    masterKidOf: (sealed) => parts(sealed).kid,
    blindIndex(kind, value) {
      return createHmac('sha256', blindKey).update(`${kind}\u0000${value}`).digest('base64url');
    },
    signToken(payload, { audience, ttlSeconds }) {
      const iat = Math.floor(clock.now() / 1000);
      return jwt.sign({ ...payload, iat, exp: iat + ttlSeconds }, jwtKey, {
        algorithm: 'HS256',
        audience,
        jwtid: randomBytes(12).toString('base64url'),
      });
    },
    verifyToken(token, audience) {
      const nowS = Math.floor(clock.now() / 1000);
      const key = `${audience}\u0000${token}`;
      const known = verifiedTokens.get(key);
      if (known) {
        // The very string verified before under the one key this process has: only its lifetime can change.
        if (nowS >= known.exp) throw new AppError('TOKEN_EXPIRED', 'The access token has expired');
        return { ...known };
      }
      try {
        const claims = jwt.verify(token, jwtKey, {
          algorithms: ['HS256'],
          audience,
          clockTimestamp: nowS,
        }) as VerifiedToken & { nbf?: unknown };
        // A token with a not-before time is checked in full every time (ours carry none).
        if (claims.nbf === undefined && typeof claims.exp === 'number') {
          if (verifiedTokens.size >= VERIFIED_TOKENS_MAX) verifiedTokens.clear();
          verifiedTokens.set(key, { ...claims });
        }
        return claims;
      } catch (err) {
        if (err instanceof jwt.TokenExpiredError)
          throw new AppError('TOKEN_EXPIRED', 'The access token has expired');
        throw new AppError('TOKEN_INVALID', 'The access token is not valid here');
      }
    },
    issuerKeys: () => issuers.map(({ kid, province, publicKey }) => ({ kid, province, publicKey })),
    issuerKeyNotAfter: (kid) => issuers.find((k) => k.kid === kid)?.notAfter,
    activeIssuerKid: () => active.kid,
    signAsIssuer(kid, message) {
      const key = issuerByKid.get(kid);
      if (!key) throw new AppError('ISSUER_UNKNOWN', 'No such issuer key');
      return new Uint8Array(edSign(null, message, key.privateKey));
    },
    trustRootPublicKey: () => root.publicKey,
    signAsTrustRoot: (message) => new Uint8Array(edSign(null, message, root.privateKey)),
    licenceClientKid: () => config.LICENCE_CLIENT_KID,
    licenceClientPublicKey: () => licenceClient.publicKey,
    signAsLicenceClient: (message) => new Uint8Array(edSign(null, message, licenceClient.privateKey)),
    partyRegistryKid: () => partyRegistryKid,
    partyRegistryPublicKey: () => partyRegistry.publicKey,
    signAsPartyRegistry: (message) => new Uint8Array(edSign(null, message, partyRegistry.privateKey)),
    callbackKeys: () => callbackSigners.map(({ kid, publicKey }) => ({ kid, publicKey })),
    signAsCallback(kid, message) {
      const key = callbackByKid.get(kid);
      if (!key) throw new AppError('INTERNAL', 'No such callback key');
      return new Uint8Array(edSign(null, message, key.privateKey));
    },
    pairwiseSubject(partyId, residentId) {
      return createHmac('sha256', pairwiseKey)
        .update(`eid-pairwise-v1\u0000${partyId}\u0000${residentId}`)
        .digest('base64url');
    },
    oidcSigningJwks: () => oidcJwks.map((k) => ({ ...k })),
    oidcCookieKeys: () => [...cookieKeys],
    nodeKeys: () => nodeSigners.map(({ kid, publicKey }) => ({ kid, publicKey })),
    signAsNode(message) {
      const { kid, privateKey } = nodeSigners[0]!;
      return { kid, signature: new Uint8Array(edSign(null, message, privateKey)) };
    },
    witnessName: () => witnessName,
    witnessVerifierKey: () =>
      formatVerifierKey(witnessName, NOTE_SIGNATURE_TYPE_COSIGNATURE_V1, witness.publicKey),
    witnessPublicKey: () => witness.publicKey,
    signAsWitness: (message) => new Uint8Array(edSign(null, message, witness.privateKey)),
    logVerifierKey: () =>
      formatVerifierKey(config.NATIONAL_LOG_ORIGIN, NOTE_SIGNATURE_TYPE_ED25519, log.publicKey),
    signAsLog: (message) => new Uint8Array(edSign(null, message, log.privateKey)),
  };
}

/** `kid:base64seed,...` of Ed25519 keys, in the order given. */
function parseSeedList(
  spec: string,
  variable: string,
): { kid: string; privateKey: KeyObject; publicKey: Uint8Array }[] {
  const keys = spec.split(',').map((entry) => {
    const [kid, b64] = entry.split(':');
    if (!kid || !/^[A-Za-z0-9._-]{1,64}$/.test(kid) || !b64) {
      throw new ConfigError(variable, 'entries must be kid:base64 seed');
    }
    return { kid, ...ed25519FromSeed(Buffer.from(b64, 'base64'), variable) };
  });
  // A kid names one key: a verifier holding the JWKS or the callback keys picks the key by it.
  if (new Set(keys.map((k) => k.kid)).size !== keys.length)
    throw new ConfigError(variable, 'must not repeat a key id');
  return keys;
}

function ed25519FromSeed(
  seed: Buffer,
  variable = 'EID_ISSUER_KEYS',
): { privateKey: KeyObject; publicKey: Uint8Array } {
  if (seed.length !== 32) throw new ConfigError(variable, 'seeds must be 32 bytes');
  const privateKey = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return { privateKey, publicKey: new Uint8Array(spki.subarray(spki.length - 32)) };
}

function parseMasterKeys(spec: string): { kid: string; key: KeyObject }[] {
  return spec.split(',').map((entry) => {
    const [kid, b64] = entry.split(':');
    const bytes = Buffer.from(b64 ?? '', 'base64');
    if (!kid || bytes.length !== 32)
      throw new ConfigError('EID_MASTER_KEYS', 'entries must be kid:base64 of 32 bytes');
    return { kid, key: createSecretKey(bytes) };
  });
}

const BEIJING_OFFSET_MS = 8 * 3600_000;

function parseIssuerKeys(spec: string): (IssuerKeyInfo & { privateKey: KeyObject; notAfter?: number })[] {
  return spec.split(',').map((entry) => {
    // base64 has no ':', so an optional fourth part can only be the validity's last day.
    const [kid, province, b64, until, ...rest] = entry.split(':');
    if (!kid || !province || !isProvinceCode(province) || !b64 || rest.length > 0) {
      throw new ConfigError('EID_ISSUER_KEYS', 'entries must be kid:province:base64 seed[:YYYY-MM-DD]');
    }
    let notAfter: number | undefined;
    if (until !== undefined) {
      const day = /^\d{4}-\d{2}-\d{2}$/.test(until) ? Date.parse(`${until}T00:00:00Z`) : NaN;
      if (Number.isNaN(day) || new Date(day).toISOString().slice(0, 10) !== until)
        throw new ConfigError('EID_ISSUER_KEYS', 'a validity end must be a real date, YYYY-MM-DD');
      // The last millisecond of that day in Beijing.
      notAfter = day + 24 * 3600_000 - BEIJING_OFFSET_MS - 1;
    }
    return {
      kid,
      province,
      ...ed25519FromSeed(Buffer.from(b64, 'base64')),
      ...(notAfter !== undefined && { notAfter }),
    };
  });
}
