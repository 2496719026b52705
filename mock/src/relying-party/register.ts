import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { PartySignIn } from '@eid/shared';
import { HOTEL_NAME, HOTEL_PURPOSE, HOTEL_RETENTION_DAYS, HOTEL_SCOPES } from './server';
import { publicKeyOf } from './signer';

/** The example hotel's unified social credit code (fictional, with valid check characters). */
export const HOTEL_USCC = '91370102MA3C5H7K5P';

export interface RegisterHotelOptions {
  bffUrl: string;
  /** A staff token with the `supervisor` role (`Authorization: Bearer`). */
  adminToken: string;
  /** Where the BFF sends callbacks: the hotel's `/callbacks` (https, or http on an allow-listed host). */
  callbackUrl: string;
  name?: string;
  uscc?: string;
  /** Default `hotel-<random>-1`: key ids are unique across all parties. */
  kid?: string;
  retentionDays?: number;
  /**
   * "Sign in with e-ID" (docs/remote-signin.md): by default level 1 under the check-in purpose, returning to
   * `/signin/callback` on the callback URL's origin; `false` registers without sign-in.
   */
  signIn?: Partial<PartySignIn> | false;
}

/** The hotel's sign-in registration: what `signIn` defaults to for a hotel whose callbacks go to `callbackUrl`. */
export function hotelSignIn(callbackUrl: string, overrides: Partial<PartySignIn> = {}): PartySignIn {
  return {
    redirectUris: [`${new URL(callbackUrl).origin}/signin/callback`],
    level: 1,
    purpose: HOTEL_PURPOSE,
    ...overrides,
  };
}

/** What registration gives back: keep the private key and the secret; the secret is shown only this once. */
export interface RegisteredHotel {
  id: string;
  kid: string;
  /** PKCS#8 PEM. */
  privateKey: string;
  /** Raw public key, base64url. */
  publicKey: string;
  webhookSecret: string;
  /** The BFF's PartyView, as answered. */
  party: Record<string, unknown>;
}

/**
 * Registers the hotel through `POST /api/v1/admin/parties` with a fresh Ed25519 key (what the admin does
 * with the form an integrator sends in; docs/relying-party.md, "Registration").
 *
 * @example const reg = await registerHotel({ bffUrl, adminToken, callbackUrl: hotel.callbackUrl });
 */
export async function registerHotel(options: RegisterHotelOptions): Promise<RegisteredHotel> {
  const { privateKey } = generateKeyPairSync('ed25519');
  const kid = options.kid ?? `hotel-${randomBytes(4).toString('hex')}-1`;
  const publicKey = publicKeyOf(privateKey);
  const res = await fetch(`${options.bffUrl.replace(/\/+$/, '')}/api/v1/admin/parties`, {
    method: 'POST',
    headers: { authorization: `Bearer ${options.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: options.name ?? HOTEL_NAME,
      uscc: options.uscc ?? HOTEL_USCC,
      category: 'hotel',
      grants: [{ purpose: HOTEL_PURPOSE, scopes: [...HOTEL_SCOPES] }],
      retentionDays: options.retentionDays ?? HOTEL_RETENTION_DAYS,
      callbackUrl: options.callbackUrl,
      keys: [{ kid, publicKey }],
      ...(options.signIn !== false && { signIn: hotelSignIn(options.callbackUrl, options.signIn) }),
    }),
  });
  const body = (await res.json().catch(() => ({}))) as {
    code?: string;
    message?: string;
    party?: Record<string, unknown> & { id: string };
    webhookSecret?: string;
  };
  if (res.status !== 201 || !body.party || !body.webhookSecret)
    throw new Error(`registration refused: ${res.status} ${body.code ?? ''} ${body.message ?? ''}`.trim());
  return {
    id: body.party.id,
    kid,
    privateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKey,
    webhookSecret: body.webhookSecret,
    party: body.party,
  };
}
