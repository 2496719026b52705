import {
  base64urlDecode,
  base64urlEncode,
  buildCode,
  buildCodeV2,
  decodeAnyCredential,
  decodeHolderSecrets,
  findPurpose,
  issueCredential,
  issueCredentialV2,
  openStatusList,
  parseCodeV2,
  openTrustList,
  signCodeV2,
  signDeviceProof,
  type CardClaimName,
  type CredentialV2,
  type CredentialV2Claims,
  type DeviceProof,
  type Ed25519KeyPair,
  type HolderSecrets,
  type SdValue,
  type StatusList,
  type TrustList,
  verifyCode,
} from '@eid/shared';
import type { Resident } from '@eid/mock';
import { createNodeEd25519, nodeSha256 } from '@eid/bff/infra/ed25519';
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

/**
 * The test devices' wallet: the holder secrets of every credential `issue` received, by the credential's
 * base64url, so that `codeOf` can make a v2 code for any credential a suite got through `issue`.
 */
const wallet = new Map<string, HolderSecrets>();

/** `POST /api/v1/card/issue` for the device; a credential it answers is kept, with its secrets, in the wallet. */
export async function issue(stack: Stack, token: string, device: Device, reauthToken?: string) {
  const res = await stack.api('POST', '/api/v1/card/issue', {
    token,
    body: {
      devicePublicKey: device.publicKey,
      deviceProof: proofOf(stack, token, device),
      ...(reauthToken && { reauthToken }),
    },
  });
  if (res.status === 200 && typeof res.body.holderSecrets === 'string')
    wallet.set(res.body.credential, decodeHolderSecrets(base64urlDecode(res.body.holderSecrets)));
  return res;
}

/** The holder secrets `issue` received with this credential, if it did. */
export function secretsOf(credential: Uint8Array): HolderSecrets | undefined {
  return wallet.get(base64urlEncode(credential));
}

export interface Holder {
  person: Resident;
  /** The super-app user; logging in again with it gives the same resident. */
  userKey: string;
  token: string;
  device: Device;
  /** The v2 credential as issued. */
  credential: Uint8Array;
  /** What the device keeps beside it: the salt seed and the claim values. */
  secrets: HolderSecrets;
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
    secrets: decodeHolderSecrets(base64urlDecode(res.body.holderSecrets)),
    card: res.body.card,
  };
}

/** Which claims a v2 code discloses, and for which purpose. */
export interface CodeOptions {
  /**
   * The purpose the code is made for (its id goes into the code): `hotel_check_in` unless told, `null` for
   * none. Unless `disclose` says otherwise, the code discloses the purpose's `claims`, or nothing.
   */
  purpose?: string | null;
  disclose?: readonly CardClaimName[];
}

/** What a device needs to make a code: its key, the credential, and for a v2 credential its secrets. */
export type CodeHolder = Pick<Holder, 'device' | 'credential'> & { secrets?: HolderSecrets };

/**
 * A bright code from the holder's device, at the stack's time unless `at` says otherwise: a v2 code
 * (`EID2:`) disclosing what `options` says for a v2 credential, a v1 code (`EID1:`) for a v1 one
 * (`v1CredentialOf`). The secrets are the holder's, or those `issue` received with the credential.
 */
export function codeOf(
  stack: Stack,
  holder: CodeHolder,
  at = stack.clock.now(),
  options: CodeOptions = {},
): string {
  const credential = decodeAnyCredential(holder.credential);
  if ((credential as Partial<CredentialV2>).version !== 2)
    return buildCode({
      credential: holder.credential,
      deviceSecretKey: holder.device.keys.secretKey,
      now: at,
      ed25519,
    });
  const secrets = holder.secrets ?? secretsOf(holder.credential);
  if (!secrets) throw new Error('no holder secrets for this credential: issue it through issue()');
  const code = options.purpose === null ? undefined : (options.purpose ?? 'hotel_check_in');
  const purpose = code === undefined ? undefined : findPurpose(code);
  if (code !== undefined && !purpose) throw new Error(`no published purpose ${code}`);
  return buildCodeV2({
    credential: holder.credential,
    secrets,
    disclose: options.disclose ?? purpose?.claims ?? [],
    ...(purpose && { purposeId: purpose.id }),
    deviceSecretKey: holder.device.keys.secretKey,
    now: at,
    ed25519,
    sha256: nodeSha256,
  });
}

/**
 * A v2 code as a lying device makes it: `code` with its disclosed values (slot -> CBOR value) edited by
 * `edit`, salts and proof unchanged, and signed again with the device key, so the device signature holds
 * and only the values' match with the issuer's root can catch it (the verdict `tampered`).
 */
export function resignedCode(
  device: Device,
  code: string,
  edit: (values: Map<number, SdValue>) => void,
): string {
  const parsed = parseCodeV2(code);
  const values = new Map(parsed.disclosure.values);
  edit(values);
  return signCodeV2(
    { ...parsed, disclosure: { ...parsed.disclosure, values } },
    device.keys.secretKey,
    ed25519,
  );
}

/**
 * Another v2 credential over the holder's claims (their secrets still make its codes): the holder's
 * credential claims with `change` applied, signed by `sign` under `kid` (by default the stack's issuer
 * key that signed the holder's), for tests of credentials the BFF would never issue.
 */
export function reissued(
  stack: Stack,
  holder: Pick<Holder, 'credential' | 'secrets'>,
  change: Partial<Omit<CredentialV2Claims, 'sdRoot'>>,
  signer?: { kid: string; sign: (toBeSigned: Uint8Array) => Uint8Array },
): Uint8Array {
  const { kid, claims } = decodeAnyCredential(holder.credential) as CredentialV2;
  const { sdRoot: _root, ...rest } = claims;
  const by = signer ?? { kid, sign: (tbs: Uint8Array) => stack.deps.keys.signAsIssuer(kid, tbs) };
  return issueCredentialV2(by.kid, { ...rest, ...change }, holder.secrets, by.sign, nodeSha256);
}

/**
 * A v1 credential for the holder's card, signed now by the stack's issuer key, as the BFF issued them
 * before v2: same card, device key and status entry, the claims from the holder's secrets. Its codes
 * are v1 codes (the transition: they verify until the credential expires).
 */
export function v1CredentialOf(stack: Stack, holder: Pick<Holder, 'credential' | 'secrets'>): Uint8Array {
  const { kid, claims } = decodeAnyCredential(holder.credential) as CredentialV2;
  const { name, sex, birthDate, idNumberMasked, portraitDigest } = holder.secrets.values;
  return issueCredential(
    kid,
    {
      province: claims.province,
      cardId: claims.cardId,
      issuedAt: claims.issuedAt,
      expiresAt: claims.expiresAt,
      devicePublicKey: claims.devicePublicKey,
      statusIndex: claims.statusIndex,
      holder: { name, sex, birthDate, idNumberMasked, portraitDigest },
    },
    (tbs) => stack.deps.keys.signAsIssuer(kid, tbs),
  );
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
  holder: CodeHolder,
  at = stack.clock.now(),
  options: CodeOptions = {},
) {
  const { trustList, statusLists } = await offlineLists(stack);
  return verifyCode(codeOf(stack, holder, at, options), {
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
