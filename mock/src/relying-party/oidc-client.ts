import { createHash, randomBytes, type KeyObject } from 'node:crypto';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { acrOfLevel, levelOfAcr, type SignInLevel } from '@eid/shared';
import type { HotelClock } from './client';

/*
 * The hotel's OpenID Connect client, written from docs/remote-signin.md as an integrator would: discovery,
 * a pushed authorization request with PKCE (S256), state and nonce, private_key_jwt client assertions signed
 * with the hotel's registered Ed25519 key, the code exchange, and the ID token checked with jose against the
 * provider's published keys. It uses no code of the BFF.
 */

/** The members of the discovery document the hotel relies on. */
export interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  pushed_authorization_request_endpoint: string;
  userinfo_endpoint?: string;
  authorization_response_iss_parameter_supported?: boolean;
}

/** Why a sign-in failed, as the hotel's page explains it (SIGNIN_REASONS has the words). */
export type SignInReason =
  | 'bff_unreachable'
  | 'discovery_invalid'
  | 'par_refused'
  | 'no_signin'
  | 'state_mismatch'
  | 'iss_mismatch'
  | 'access_denied'
  | 'authorization_error'
  | 'token_refused'
  | 'id_token_invalid'
  | 'nonce_mismatch'
  | 'level_too_low'
  | 'userinfo_refused';

export class SignInError extends Error {
  constructor(
    readonly reason: SignInReason,
    message: string,
    /** The provider's OAuth error code, when it gave one (`invalid_grant`, `invalid_scope`, ...). */
    readonly oauthError?: string,
  ) {
    super(message);
    this.name = 'SignInError';
  }
}

/** What the hotel keeps between sending the browser off and its return: one sign-in attempt. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  level: SignInLevel;
  /** The discovery document the attempt started with: its issuer is the one the answer must name. */
  discovery: Discovery;
  createdAt: number;
}

/** A verified sign-in. */
export interface SignedIn {
  /** The resident's pairwise identifier at this party (the subject rp/verify and consents give it too). */
  sub: string;
  level: SignInLevel;
  acr: string;
  amr: string[];
  /** Epoch seconds. */
  authTime?: number;
  /** The identity claims of the scopes granted (`name`, `id_number_masked`, `age_over_18`, ...). */
  claims: Record<string, unknown>;
}

export interface OidcClientOptions {
  /** The BFF's origin; the issuer must be it + `/oidc`. */
  bffUrl: string;
  /** The party id: the OAuth client_id. */
  clientId: string;
  kid: string;
  privateKey: KeyObject;
  redirectUri: string;
  /** Scopes besides `openid`. */
  scopes: readonly string[];
  clock: HotelClock;
}

export interface OidcClient {
  discovery(): Promise<Discovery>;
  /** Pushes the authorization request; the browser goes to `authorizationUrl`. */
  start(level: SignInLevel): Promise<{ authorizationUrl: string; pending: PendingSignIn }>;
  /** Checks the browser's return (`code`, `state`, `iss` or `error`), exchanges the code and verifies the ID token. */
  finish(pending: PendingSignIn, query: Record<string, string | undefined>): Promise<SignedIn>;
}

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** A client assertion lives this long: just the request it is made for. */
const ASSERTION_TTL_S = 60;
/** A discovery document is read again after this long (key rotation shows in the JWKS, not here). */
const DISCOVERY_TTL_MS = 5 * 60_000;
/** The ID token's iat/exp may be this far off the hotel's clock. */
const CLOCK_TOLERANCE_S = 5;

/** The OpenID claims each sign-in scope gives (docs/remote-signin.md, "Claims"). */
export const CLAIMS_OF_SCOPE: Record<string, readonly string[]> = {
  result: [],
  age_over_18: ['age_over_18'],
  residence_province: ['residence_province'],
  name_masked_id: ['name', 'id_number_masked'],
};

/** A JSON answer of the provider: only string members are read. */
type OAuthAnswer = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

const random = () => randomBytes(32).toString('base64url');

function isDiscovery(d: unknown): d is Discovery {
  const o = d as Record<string, unknown> | null;
  return (
    !!o &&
    [
      'issuer',
      'authorization_endpoint',
      'token_endpoint',
      'jwks_uri',
      'pushed_authorization_request_endpoint',
    ].every((k) => typeof o[k] === 'string')
  );
}

async function postForm(
  url: string,
  form: Record<string, string>,
): Promise<{ status: number; body: OAuthAnswer }> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      body: new URLSearchParams(form),
      headers: { accept: 'application/json' },
    });
  } catch {
    throw new SignInError('bff_unreachable', `cannot reach ${new URL(url).origin}`);
  }
  const body: unknown = await res.json().catch(() => ({}));
  return { status: res.status, body: body && typeof body === 'object' ? (body as OAuthAnswer) : {} };
}

/**
 * The hotel's OpenID Connect client (one per hotel; the JWKS is cached across sign-ins).
 *
 * @example const oidc = createOidcClient({ bffUrl, clientId, kid, privateKey, redirectUri, scopes: ['name_masked_id'], clock });
 */
export function createOidcClient(options: OidcClientOptions): OidcClient {
  const expectedIssuer = `${options.bffUrl.replace(/\/+$/, '')}/oidc`;
  let cached: { at: number; doc: Promise<Discovery> } | undefined;
  const jwksByUri = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

  async function readDiscovery(): Promise<Discovery> {
    let res: Response;
    try {
      res = await fetch(`${expectedIssuer}/.well-known/openid-configuration`, {
        headers: { accept: 'application/json' },
      });
    } catch {
      throw new SignInError('bff_unreachable', 'the e-ID service cannot be reached');
    }
    const doc: unknown = await res.json().catch(() => undefined);
    if (res.status !== 200 || !isDiscovery(doc))
      throw new SignInError(
        'discovery_invalid',
        `discovery answered ${res.status} without the endpoints needed`,
      );
    // OpenID Connect Discovery 1.0 section 4.3: the issuer is the URL the document was fetched under.
    if (doc.issuer !== expectedIssuer)
      throw new SignInError(
        'discovery_invalid',
        `discovery names issuer ${doc.issuer}, expected ${expectedIssuer}`,
      );
    return doc;
  }

  function discovery(): Promise<Discovery> {
    const now = options.clock.now();
    if (!cached || now - cached.at > DISCOVERY_TTL_MS || now < cached.at) {
      const doc = readDiscovery();
      cached = { at: now, doc };
      // A failed read is not kept: the next sign-in tries again.
      doc.catch(() => {
        if (cached?.doc === doc) cached = undefined;
      });
    }
    return cached.doc;
  }

  /** A private_key_jwt assertion for one request: iss = sub = client_id, aud = the issuer, unique jti. */
  function clientAssertion(issuer: string): Promise<string> {
    const now = Math.floor(options.clock.now() / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: 'EdDSA', kid: options.kid })
      .setIssuer(options.clientId)
      .setSubject(options.clientId)
      .setAudience(issuer)
      .setIssuedAt(now)
      .setExpirationTime(now + ASSERTION_TTL_S)
      .setJti(random())
      .sign(options.privateKey);
  }

  async function clientAuth(issuer: string): Promise<Record<string, string>> {
    return {
      client_id: options.clientId,
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: await clientAssertion(issuer),
    };
  }

  async function start(level: SignInLevel): Promise<{ authorizationUrl: string; pending: PendingSignIn }> {
    const doc = await discovery();
    const pending: PendingSignIn = {
      state: random(),
      nonce: random(),
      codeVerifier: random(),
      level,
      discovery: doc,
      createdAt: options.clock.now(),
    };
    const par = await postForm(doc.pushed_authorization_request_endpoint, {
      ...(await clientAuth(doc.issuer)),
      response_type: 'code',
      redirect_uri: options.redirectUri,
      scope: ['openid', ...options.scopes].join(' '),
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: createHash('sha256').update(pending.codeVerifier).digest('base64url'),
      code_challenge_method: 'S256',
      acr_values: acrOfLevel(level),
    });
    const requestUri = str(par.body.request_uri);
    if (par.status !== 201 || typeof requestUri !== 'string')
      throw new SignInError(
        'par_refused',
        `the pushed authorization request was refused: ${par.status} ${str(par.body.error) ?? ''} ${str(par.body.error_description) ?? ''}`.trim(),
        str(par.body.error),
      );
    const url = new URL(doc.authorization_endpoint);
    url.searchParams.set('client_id', options.clientId);
    url.searchParams.set('request_uri', requestUri);
    return { authorizationUrl: url.toString(), pending };
  }

  async function verifyIdToken(doc: Discovery, idToken: string): Promise<JWTPayload> {
    let jwks = jwksByUri.get(doc.jwks_uri);
    if (!jwks) {
      jwks = createRemoteJWKSet(new URL(doc.jwks_uri));
      jwksByUri.set(doc.jwks_uri, jwks);
    }
    try {
      const { payload } = await jwtVerify(idToken, jwks, {
        issuer: doc.issuer,
        audience: options.clientId,
        algorithms: ['EdDSA'],
        currentDate: new Date(options.clock.now()),
        clockTolerance: CLOCK_TOLERANCE_S,
        requiredClaims: ['sub', 'iat', 'exp', 'nonce', 'acr'],
      });
      // OpenID Connect Core 3.1.3.7: with several audiences, azp must name us.
      if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp !== options.clientId)
        throw new SignInError(
          'id_token_invalid',
          'the ID token has several audiences and no azp naming this hotel',
        );
      return payload;
    } catch (err) {
      if (err instanceof SignInError) throw err;
      if (err instanceof joseErrors.JOSEError)
        throw new SignInError('id_token_invalid', `the ID token did not verify: ${err.code}: ${err.message}`);
      throw new SignInError(
        'bff_unreachable',
        `the provider's keys cannot be read: ${(err as Error).message}`,
      );
    }
  }

  async function userinfo(
    doc: Discovery,
    accessToken: string,
    sub: string,
  ): Promise<Record<string, unknown>> {
    let res: Response;
    try {
      res = await fetch(doc.userinfo_endpoint!, {
        headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
      });
    } catch {
      throw new SignInError('bff_unreachable', 'the e-ID service cannot be reached');
    }
    const body = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    // OpenID Connect Core 5.3.2: the userinfo sub must be the ID token's, or the answer is not used.
    if (res.status !== 200 || !body || body.sub !== sub)
      throw new SignInError('userinfo_refused', `userinfo answered ${res.status} for another or no subject`);
    return body;
  }

  async function finish(
    pending: PendingSignIn,
    query: Record<string, string | undefined>,
  ): Promise<SignedIn> {
    const doc = pending.discovery;
    // RFC 9207: the iss parameter says which provider answered (a mix-up attack names another one).
    if (query.iss !== undefined || doc.authorization_response_iss_parameter_supported) {
      if (query.iss !== doc.issuer)
        throw new SignInError(
          'iss_mismatch',
          `the answer names issuer ${query.iss ?? '(none)'}, expected ${doc.issuer}`,
        );
    }
    if (query.error) {
      throw new SignInError(
        query.error === 'access_denied' ? 'access_denied' : 'authorization_error',
        `${query.error}${query.error_description ? `: ${query.error_description}` : ''}`,
        query.error,
      );
    }
    if (!query.code)
      throw new SignInError('authorization_error', 'the answer carries neither a code nor an error');

    const token = await postForm(doc.token_endpoint, {
      ...(await clientAuth(doc.issuer)),
      grant_type: 'authorization_code',
      code: query.code,
      redirect_uri: options.redirectUri,
      code_verifier: pending.codeVerifier,
    });
    const idToken = str(token.body.id_token);
    const accessToken = str(token.body.access_token);
    if (token.status !== 200 || typeof idToken !== 'string')
      throw new SignInError(
        'token_refused',
        `the code exchange was refused: ${token.status} ${str(token.body.error) ?? ''} ${str(token.body.error_description) ?? ''}`.trim(),
        str(token.body.error),
      );

    const payload = await verifyIdToken(doc, idToken);
    if (payload.nonce !== pending.nonce)
      throw new SignInError('nonce_mismatch', 'the ID token was not issued for this sign-in (nonce)');
    const level = levelOfAcr(payload.acr);
    if (level === undefined || level < pending.level)
      throw new SignInError(
        'level_too_low',
        `asked for level ${pending.level}, the ID token says ${String(payload.acr)}`,
      );

    let claims: Record<string, unknown> = payload;
    const wanted = options.scopes.flatMap((s) => CLAIMS_OF_SCOPE[s] ?? []);
    // Identity claims may come in the ID token or only from userinfo (OpenID Connect Core 5.4).
    if (wanted.some((c) => !(c in payload)) && doc.userinfo_endpoint && accessToken)
      claims = { ...payload, ...(await userinfo(doc, accessToken, payload.sub!)) };
    const identity: Record<string, unknown> = {};
    for (const c of wanted) if (c in claims) identity[c] = claims[c];

    return {
      sub: payload.sub!,
      level,
      acr: payload.acr as string,
      amr: Array.isArray(payload.amr) ? payload.amr.map(String) : [],
      authTime: typeof payload.auth_time === 'number' ? payload.auth_time : undefined,
      claims: identity,
    };
  }

  return { discovery, start, finish };
}
