import { randomBytes } from 'node:crypto';
import {
  LICENCE_GRANT_HEADER,
  LICENCE_REQUEST_COMPONENTS,
  licenceHolderKey,
  signLicenceGrant,
  signRequest,
  type LicenceGrant,
} from '@eid/shared';
import { systemClock, type MockClock } from '../lib/server';
import { MOCK_LICENCE_CLIENT_KID, mockLicenceClientSeed, seedSigner } from './credentials';

/*
 * A signing client for tests that talk to the licence stand-in directly (the BFF has its own client):
 * RFC 9421 signatures and grants made the way the stand-in's contract says, with knobs to make them wrong.
 */

export interface LicenceTestClientOptions {
  baseUrl: string;
  keyId?: string;
  /** 32-byte Ed25519 seed; default the BFF's development key. */
  seed?: Uint8Array;
  clock?: MockClock;
}

export interface SignedGetOptions {
  /** A grant header value (from `grant()`), sent as `Licence-Grant` and covered by the signature. */
  grant?: string;
  /** Leave the request unsigned. */
  unsigned?: boolean;
  /** Epoch seconds for `created`; default now. */
  created?: number;
  nonce?: string;
  components?: readonly string[];
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Change a header after signing (to test tampering). */
  afterSigning?: (headers: Record<string, string>) => void;
}

export interface LicenceAnswer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** A grant as a test wants it: every field defaults to a sensible value for the holder. */
export type GrantInput = Partial<LicenceGrant> & Pick<LicenceGrant, 'holderIdNumber' | 'types'>;

/**
 * A client for the licence stand-in signing as the BFF (by default with its development key).
 *
 * @example
 * const client = createLicenceTestClient({ baseUrl: mocks.licence.url, clock });
 * const grant = client.grant({ holderIdNumber, types: ['passport'], purpose: 'wallet' });
 * const res = await client.documents(holderIdNumber, ['passport'], 'wallet', { grant });
 */
export function createLicenceTestClient(options: LicenceTestClientOptions) {
  const clock = options.clock ?? systemClock;
  const keyId = options.keyId ?? MOCK_LICENCE_CLIENT_KID;
  const signer = seedSigner(options.seed ?? mockLicenceClientSeed());

  async function get<T = unknown>(pathAndQuery: string, o: SignedGetOptions = {}): Promise<LicenceAnswer<T>> {
    const url = options.baseUrl + pathAndQuery;
    const headers: Record<string, string> = { ...o.headers };
    if (o.grant !== undefined) headers[LICENCE_GRANT_HEADER] = o.grant;
    if (!o.unsigned) {
      const components = o.components ?? (o.grant !== undefined ? LICENCE_REQUEST_COMPONENTS : undefined);
      Object.assign(
        headers,
        signRequest({
          method: 'GET',
          url,
          headers,
          keyId,
          sign: signer.sign,
          created: o.created ?? Math.floor(clock.now() / 1000),
          ...(o.nonce ? { nonce: o.nonce } : {}),
          ...(components ? { components } : {}),
        }),
      );
    }
    o.afterSigning?.(headers);
    const res = await fetch(url, { headers, ...(o.signal ? { signal: o.signal } : {}) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as T };
  }

  return {
    keyId,
    get,
    /** A signed `Licence-Grant` header value; by default for the wallet, valid for a minute from now. */
    grant(input: GrantInput, signWith: { keyId?: string; seed?: Uint8Array } = {}): string {
      const now = clock.now();
      const grant: LicenceGrant = {
        grantId: input.grantId ?? `g_${randomBytes(12).toString('base64url')}`,
        holderIdNumber: input.holderIdNumber,
        types: input.types,
        purpose: input.purpose ?? 'wallet',
        issuedAt: input.issuedAt ?? now,
        expiresAt: input.expiresAt ?? now + 60_000,
      };
      const sign = signWith.seed ? seedSigner(signWith.seed).sign : signer.sign;
      return signLicenceGrant(signWith.keyId ?? keyId, grant, sign);
    },
    /** `GET /documents` for a holder (named by licenceHolderKey), types and purpose. */
    documents<T = unknown>(
      holderIdNumber: string,
      types: readonly string[],
      purpose: string,
      o: SignedGetOptions = {},
    ): Promise<LicenceAnswer<T>> {
      const query = new URLSearchParams({
        holder: licenceHolderKey(holderIdNumber),
        types: types.join(','),
        purpose,
      });
      return get<T>(`/documents?${query.toString()}`, o);
    },
    /** `GET /changes`, from the start or after `since`. */
    changes<T = unknown>(since?: string, o: SignedGetOptions = {}): Promise<LicenceAnswer<T>> {
      return get<T>(since === undefined ? '/changes' : `/changes?since=${encodeURIComponent(since)}`, o);
    },
  };
}
export type LicenceTestClient = ReturnType<typeof createLicenceTestClient>;
