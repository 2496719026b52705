import {
  base64urlDecode,
  base64urlEncode,
  buildCode,
  openStatusList,
  openTrustList,
  signDeviceProof,
  type DeviceProof,
  type Ed25519KeyPair,
  type StatusList,
  type TrustList,
  verifyCode,
} from '@eid/shared';
import type { Resident } from '@eid/mock';
import { createNodeEd25519 } from '@eid/bff/infra/ed25519';
import { DEV_STAFF, type Stack } from './stack';
import { enroll, freshPerson, reauth } from './identity';

/** Shared steps of the card and verify suites: a device, an issued card, codes, the published lists. */
export const ed25519 = createNodeEd25519();

export interface Device {
  keys: Ed25519KeyPair;
  publicKey: string;
}

export function newDevice(): Device {
  const keys = ed25519.keyPairFromSeed(globalThis.crypto.getRandomValues(new Uint8Array(32)));
  return { keys, publicKey: base64urlEncode(keys.publicKey) };
}

/** The resident id a session token names (its `sub`), as the mini-program keeps it from login. */
export function residentIdOf(token: string): string {
  return (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sub: string }).sub;
}

/** The device's proof that it holds its key, made now by the stack's clock unless told otherwise. */
export function proofOf(stack: Stack, token: string, device: Device, at = stack.clock.now()): DeviceProof {
  return signDeviceProof(device.keys, residentIdOf(token), at, ed25519);
}

export function issue(stack: Stack, token: string, device: Device, reauthToken?: string) {
  return stack.api('POST', '/api/v1/card/issue', {
    token,
    body: {
      devicePublicKey: device.publicKey,
      deviceProof: proofOf(stack, token, device),
      ...(reauthToken && { reauthToken }),
    },
  });
}

export interface Holder {
  person: Resident;
  /** The super-app user; logging in again with it gives the same resident. */
  userKey: string;
  token: string;
  device: Device;
  credential: Uint8Array;
  card: {
    cardId: string;
    status: string;
    issuedAt: number;
    expiresAt: number;
    kid: string;
    face: Record<string, string>;
  };
}

/** A seeded resident enrolled through the BFF who holds a freshly issued card on a new device. */
export async function holderWithCard(stack: Stack, person: Resident = freshPerson()): Promise<Holder> {
  const userKey = `u-${base64urlEncode(globalThis.crypto.getRandomValues(new Uint8Array(9)))}`;
  const { token } = await enroll(stack, person, userKey);
  const device = newDevice();
  const res = await issue(stack, token, device);
  if (res.status !== 200) throw new Error(`issue answered ${res.status} ${JSON.stringify(res.body)}`);
  return {
    person,
    userKey,
    token,
    device,
    credential: base64urlDecode(res.body.credential),
    card: res.body.card,
  };
}

/** A bright code from the holder's device, at the stack's time unless `at` says otherwise. */
export function codeOf(
  stack: Stack,
  holder: Pick<Holder, 'device' | 'credential'>,
  at = stack.clock.now(),
): string {
  return buildCode({
    credential: holder.credential,
    deviceSecretKey: holder.device.keys.secretKey,
    now: at,
    ed25519,
  });
}

/** A fresh re-authentication token for the resident. */
export async function reauthToken(stack: Stack, token: string): Promise<string> {
  const res = await reauth(stack, token);
  if (res.status !== 200) throw new Error(`reauth answered ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.reauthToken;
}

/** The trust list and status lists as an offline terminal downloads them, opened and verified. */
export async function offlineLists(
  stack: Stack,
): Promise<{ trustList: TrustList; statusLists: Map<string, StatusList> }> {
  const trust = await stack.api('GET', '/api/v1/trust-list');
  if (trust.status !== 200) throw new Error(`trust list answered ${trust.status}`);
  const trustList = openTrustList(
    base64urlDecode(trust.body.trustList),
    stack.deps.keys.trustRootPublicKey(),
    ed25519,
  );
  const statusLists = new Map<string, StatusList>();
  for (const kid of trustList.issuers.keys()) {
    const res = await stack.api('GET', `/api/v1/status-lists/${kid}`);
    if (res.status === 200)
      statusLists.set(kid, openStatusList(base64urlDecode(res.body.statusList), trustList, ed25519));
  }
  return { trustList, statusLists };
}

/** The status-list age the offline checks of the card suites allow. */
export const MAX_STATUS_AGE_MS = 3_600_000;

/** Verifies a code the way an offline terminal does, with lists freshly downloaded from the BFF. */
export async function offlineVerdict(
  stack: Stack,
  holder: Pick<Holder, 'device' | 'credential'>,
  at = stack.clock.now(),
) {
  const { trustList, statusLists } = await offlineLists(stack);
  return verifyCode(codeOf(stack, holder, at), {
    trustList,
    statusLists,
    clock: { now: () => at },
    ed25519,
    maxStatusAgeMs: MAX_STATUS_AGE_MS,
  });
}

/** A staff token of the development account. */
export async function staffToken(stack: Stack, account = DEV_STAFF): Promise<string> {
  const res = await stack.api('POST', '/api/v1/staff/login', { body: account });
  if (res.status !== 200) throw new Error(`staff login answered ${res.status}`);
  return res.body.accessToken;
}
