import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import {
  makeUscc,
  STAFF_ROLE_NAMES,
  type StaffRole,
  signRequest,
  type PartyView,
  type RegisterPartyRequest,
  type SignRequestInput,
} from '@eid/shared';
import { hashPassword } from '@eid/bff/modules/staff/password';
import { createStaffRepository } from '@eid/bff/modules/staff/staff.repository';
import { call, type Reply } from './http';
import type { Stack } from './stack';

/**
 * Relying parties in tests (issue 16): an administrator to register them, a registered party with its own
 * Ed25519 key, and its RFC 9421-signed requests to the BFF. Everything goes through the BFF's HTTP API.
 */

const supervisors = new WeakMap<Stack, { token: Promise<string>; at: number }>();

/**
 * An administrator staff account (created in the stack's database), signed in: the admin token of
 * `/api/v1/admin`. Reused while the stack's clock stays within a minute of its sign-in, so a test that moves
 * the clock hours ahead gets a token that is still valid.
 */
export function supervisorToken(stack: Stack): Promise<string> {
  const now = stack.clock.now();
  let entry = supervisors.get(stack);
  if (!entry || now < entry.at || now - entry.at > 60_000) {
    entry = { token: staffToken(stack, 'administrator'), at: now };
    supervisors.set(stack, entry);
  }
  return entry.token;
}

/** A fresh staff account of `role`, signed in. */
export async function staffToken(stack: Stack, role: StaffRole): Promise<string> {
  const tag = randomBytes(4).toString('hex');
  const username = `${role.slice(0, 3)}-${tag}`;
  const password = `pw-${tag}-not-secret`;
  await createStaffRepository(stack.deps.db).upsert({
    id: `staff-${tag}`,
    username,
    passwordHash: await hashPassword(password),
    role,
    displayName: `${STAFF_ROLE_NAMES[role].zh} ${tag.slice(0, 3)}`,
    org: '山东省公安厅居民身份证管理处',
    createdAt: stack.clock.now(),
  });
  const res = await stack.api('POST', '/api/v1/staff/login', { body: { username, password } });
  if (res.status !== 200) throw new Error(`staff login answered ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.accessToken as string;
}

/** A party's request-signing key: Ed25519, its raw public half as base64url. */
export interface PartyKey {
  kid: string;
  privateKey: KeyObject;
  /** Raw 32-byte public key, base64url. */
  publicKey: string;
}

/** A new Ed25519 key under a fresh key id. */
export function newPartyKey(kid = `k-${randomBytes(6).toString('hex')}`): PartyKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' });
  return { kid, privateKey, publicKey: jwk.x! };
}

/** A valid unified social credit code, different each call. */
export function testUscc(): string {
  return makeUscc({
    registrationAuthority: '9',
    category: '1',
    regionCode: '370102',
    organisationBody: randomBytes(4).toString('hex').toUpperCase(),
  });
}

/** What a test may change about one signed request. */
export interface SignOptions {
  /** Sign with this key (default the party's). */
  key?: Pick<PartyKey, 'kid' | 'privateKey'>;
  /** Epoch seconds; default the stack's clock. */
  created?: number;
  nonce?: string;
  /** Covered components (default shared's: @method, @target-uri, content-digest, content-type with a body). */
  components?: readonly string[];
  /** Extra header fields, sent and (when covered) signed. */
  headers?: Record<string, string>;
  /** Changes what is sent after signing: a forged path, method, body or header. */
  alter?: (req: { method: string; path: string; headers: Record<string, string>; body: string }) => void;
  /** Send to another BFF instance (default the stack's). */
  baseUrl?: string;
}

/** A body as sent: an object becomes JSON, a string goes as is, undefined is no body. */
const bodyText = (body: unknown): string | undefined =>
  body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);

/**
 * Sends `method path` signed with `key` (RFC 9421 by shared signRequest, node:crypto Ed25519, `created`
 * from the stack's clock), always with a Content-Digest (of the empty body for a GET).
 */
export async function sendSigned<T = any>(
  stack: Stack,
  key: Pick<PartyKey, 'kid' | 'privateKey'>,
  method: string,
  path: string,
  body?: unknown,
  opts: SignOptions = {},
): Promise<Reply<T>> {
  const baseUrl = opts.baseUrl ?? stack.url;
  const signer = opts.key ?? key;
  const text = bodyText(body);
  const headers: Record<string, string> = { ...opts.headers };
  if (text !== undefined) headers['content-type'] ??= 'application/json';
  const input: SignRequestInput = {
    method,
    url: baseUrl + path,
    headers,
    body: new TextEncoder().encode(text ?? ''),
    keyId: signer.kid,
    sign: (m) => new Uint8Array(sign(null, m, signer.privateKey)),
    created: opts.created ?? Math.floor(stack.clock.now() / 1000),
    ...(opts.nonce !== undefined && { nonce: opts.nonce }),
    ...(opts.components && { components: opts.components }),
  };
  const out: Record<string, string> = { ...headers, ...signRequest(input) };
  const req = { method, path, headers: out, body: text ?? '' };
  opts.alter?.(req);
  return call<T>(baseUrl, req.method, req.path, {
    headers: req.headers,
    ...(req.body !== '' || req.method !== 'GET' ? { raw: req.body } : {}),
  });
}

export interface RegisteredParty {
  party: PartyView;
  webhookSecret: string;
  kid: string;
  privateKey: KeyObject;
  /** Raw public key, base64url. */
  publicKey: string;
  key: PartyKey;
  /** The supervisor token that registered it. */
  adminToken: string;
  /** A request signed by the party's key (or `opts.key`), sent to the BFF. */
  signed<T = any>(method: string, path: string, body?: unknown, opts?: SignOptions): Promise<Reply<T>>;
}

/** The registration a test party gets unless told otherwise: a hotel, check-in with name and masked number. */
export function partyRegistration(key: Pick<PartyKey, 'kid' | 'publicKey'>): RegisterPartyRequest {
  return {
    name: `测试旅馆 ${randomBytes(2).toString('hex')}`,
    uscc: testUscc(),
    category: 'hotel',
    grants: [{ purpose: 'hotel_check_in', scopes: ['result', 'name_masked_id'] }],
    retentionDays: 30,
    callbackUrl: 'https://hotel.example.com/eid/callbacks',
    keys: [{ kid: key.kid, publicKey: key.publicKey }],
  };
}

/**
 * Registers a party through `POST /api/v1/admin/parties` as a supervisor, with a fresh key (or the first of
 * `overrides.keys`, whose private half must then be given as `key`). Throws unless it answers 201.
 *
 * @example
 * const hotel = await registerParty(stack, { limits: { perMinute: 2 } });
 * const res = await hotel.signed('GET', '/api/v1/rp/registration');
 */
export async function registerParty(
  stack: Stack,
  overrides: Partial<RegisterPartyRequest> = {},
  key: PartyKey = newPartyKey(),
): Promise<RegisteredParty> {
  const adminToken = await supervisorToken(stack);
  const body = { ...partyRegistration(key), ...overrides };
  const res = await stack.api('POST', '/api/v1/admin/parties', { token: adminToken, body });
  if (res.status !== 201) throw new Error(`registration answered ${res.status} ${JSON.stringify(res.body)}`);
  return {
    party: res.body.party,
    webhookSecret: res.body.webhookSecret,
    kid: key.kid,
    privateKey: key.privateKey,
    publicKey: key.publicKey,
    key,
    adminToken,
    signed: (method, path, payload, opts) => sendSigned(stack, key, method, path, payload, opts),
  };
}

/** An admin call (`/api/v1/admin/...`) as the stack's supervisor. */
export async function adminCall<T = any>(
  stack: Stack,
  method: string,
  path: string,
  body?: unknown,
): Promise<Reply<T>> {
  return stack.api<T>(method, path, { token: await supervisorToken(stack), body });
}
