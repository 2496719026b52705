import { randomBytes } from 'node:crypto';
import {
  AppError,
  MAX_NAME_BYTES,
  PORTRAIT_DIGEST_LENGTH,
  base64urlDecode,
  base64urlEncode,
  beijingDateEnd,
  deviceProofProblem,
  isStrictEd25519PublicKey,
  issueCredential,
  maskIdNumber,
  sexCodeOf,
  utf8Encode,
  type CredentialClaims,
  type DeviceProof,
  type IssuedCard,
} from '@eid/shared';
import { createNodeEd25519, nodeSha256 } from '../../infra/ed25519';
import type { VerifiedIdentity } from '../enrollment/enrollment.types';
import { residentActor } from '../usage/usage.types';
import type { CardRecord } from './card.repository';
import type { IssueInput } from './card.types';
import { cardView, residentTrace, type CardDeps } from './deps';
import { revokeCard } from './revoke';

/** How long a credential lives before the device must renew it (never past the physical card). */
export const CREDENTIAL_TTL_MS = 30 * 86_400_000;
const CREDENTIAL_FIELDS = ['name', 'sex', 'birthDate', 'idNumberMasked', 'portrait'];
const ed25519 = createNodeEd25519();

/** End of the last day a physical card is valid (Beijing time), or undefined for a card valid for life. */
export const physicalCardEnd = (validUntil: string): number | undefined => beijingDateEnd(validUntil);

function parseDeviceKey(text: string): Uint8Array {
  let key: Uint8Array;
  try {
    key = base64urlDecode(text);
  } catch {
    throw new AppError('DEVICE_KEY_INVALID', 'The device key must be base64url of 32 bytes');
  }
  if (key.length !== 32) {
    throw new AppError('DEVICE_KEY_INVALID', 'The device key must be base64url of 32 bytes');
  }
  // A small-order or non-canonical key lets anyone sign for it without a secret: no card may carry one.
  if (!isStrictEd25519PublicKey(key)) {
    throw new AppError('DEVICE_KEY_INVALID', 'The device key is not an acceptable Ed25519 public key', {
      reason: 'weak_key',
    });
  }
  return key;
}

/** The device key of the request, once its holder proved, just now, that they hold it for this resident. */
function provenDeviceKey(text: string, proof: DeviceProof, residentId: string, now: number): Uint8Array {
  const deviceKey = parseDeviceKey(text);
  const problem = deviceProofProblem(proof, residentId, deviceKey, now, ed25519);
  if (problem) {
    const message = {
      weak_key: 'The device key is not an acceptable Ed25519 public key',
      clock: "The device's clock is too far from the server's",
      proof: 'The device did not prove it holds this key',
    }[problem];
    throw new AppError('DEVICE_KEY_INVALID', message, { reason: problem });
  }
  return deviceKey;
}

/** Signs a credential for `card` (a renewal) or for a new card (`card` null). */
async function sign(
  { keys, registry, statusLists, credentialTtlMs }: CardDeps,
  card: CardRecord | null,
  id: VerifiedIdentity,
  deviceKey: Uint8Array,
  now: number,
) {
  const { face } = id;
  if (utf8Encode(face.name).length > MAX_NAME_BYTES) {
    throw new AppError('CARD_NOT_ELIGIBLE', 'This name is too long for a bright card', {
      reason: 'name_too_long',
    });
  }
  const end = physicalCardEnd(face.validUntil);
  const issuedAt = Math.floor(now / 1000) * 1000;
  const ttl = credentialTtlMs ?? CREDENTIAL_TTL_MS;
  const expiresAt = Math.floor(Math.min(issuedAt + ttl, end ?? Infinity) / 1000) * 1000;
  if (expiresAt <= issuedAt) {
    throw new AppError('CARD_NOT_ELIGIBLE', 'The physical ID card has expired', { reason: 'card_expired' });
  }
  const portrait = await registry.portrait(id.portraitRef);
  const kid = card?.kid ?? keys.activeIssuerKid();
  const province = keys.issuerKeys().find((k) => k.kid === kid)!.province;
  const claims: CredentialClaims = {
    province,
    cardId: card ? base64urlDecode(card.cardId) : new Uint8Array(randomBytes(16)),
    issuedAt,
    expiresAt,
    devicePublicKey: deviceKey,
    statusIndex: card?.statusIndex ?? (await statusLists.allocate(kid)),
    holder: {
      name: face.name,
      sex: sexCodeOf(face.sex),
      birthDate: face.birthDate,
      idNumberMasked: maskIdNumber(face.idNumber),
      portraitDigest: nodeSha256(portrait.bytes).subarray(0, PORTRAIT_DIGEST_LENGTH),
    },
  };
  const credential = issueCredential(kid, claims, (tbs) => keys.signAsIssuer(kid, tbs));
  return { claims, kid, credential: base64urlEncode(credential) };
}

/**
 * What to do with the resident's live card: renew it (same device, current issuer key), replace it
 * (another device, after a face check, or a retired issuer key), or nothing when there is none.
 */
async function planIssue(
  { repo, keys, identity }: CardDeps,
  residentId: string,
  deviceKeyText: string,
  reauthToken: string | undefined,
): Promise<{ renew: CardRecord | null; replace: boolean }> {
  const live = await repo.liveOf(residentId);
  if (live && live.devicePublicKey === deviceKeyText) {
    if (live.status === 'suspended')
      throw new AppError('CARD_SUSPENDED', 'Resume the card before renewing it');
    // A card of a retired issuer key is replaced rather than renewed, on the same device.
    if (live.kid === keys.activeIssuerKid()) return { renew: live, replace: false };
    return { renew: null, replace: true };
  }
  if (live) {
    await identity.verifyReauthToken(residentId, reauthToken);
    return { renew: null, replace: true };
  }
  return { renew: null, replace: false };
}

/**
 * Issues (or, for the same device, renews) the resident's credential. A live card on another
 * device needs a re-authentication token and is revoked by the new one.
 */
export async function issueCard(
  deps: CardDeps,
  residentId: string,
  body: IssueInput,
  requestId?: string,
): Promise<IssuedCard> {
  const { repo, clock, identity, usage, logger } = deps;
  const deviceKey = provenDeviceKey(body.devicePublicKey, body.deviceProof, residentId, clock.now());
  const deviceKeyText = base64urlEncode(deviceKey);
  const id = await identity.getVerifiedIdentity(residentId);
  const { renew: card, replace } = await planIssue(deps, residentId, deviceKeyText, body.reauthToken);
  const now = clock.now();

  // Sign first: an upstream failure must not leave the resident with the old card revoked and no new one.
  const signed = await sign(deps, card, id, deviceKey, now);
  if (replace) await revokeCard(deps, { residentId }, 'replaced', residentActor(residentId), requestId);
  let record: CardRecord | null;
  if (card) {
    record = await repo.renew(card.cardId, signed.claims.issuedAt, signed.claims.expiresAt);
    if (!record)
      throw new AppError('CONFLICT', 'The card changed while it was renewed; try again', {
        retryable: true,
      });
  } else {
    record = await repo.insert({
      cardId: base64urlEncode(signed.claims.cardId),
      residentId,
      kid: signed.kid,
      province: signed.claims.province,
      statusIndex: signed.claims.statusIndex,
      devicePublicKey: deviceKeyText,
      createdAt: now,
      credentialIssuedAt: signed.claims.issuedAt,
      credentialExpiresAt: signed.claims.expiresAt,
    });
  }
  await residentTrace(usage, residentId, requestId).record({
    action: card ? 'card.renew' : 'card.issue',
    fields: CREDENTIAL_FIELDS,
  });
  logger.info({ cardId: record.cardId, renewed: Boolean(card) }, 'credential issued');
  return { card: cardView(record, id.face), credential: signed.credential };
}
