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
  encodeHolderSecrets,
  issueCredentialV2,
  utf8Encode,
  type CredentialV2Claims,
  type DeviceProof,
  type HolderSecrets,
  type IssuedCard,
} from '@eid/shared';
import { createNodeEd25519, nodeSha256 } from '../../infra/ed25519';
import type { VerifiedIdentity } from '../enrollment/enrollment.types';
import { residentActor } from '../usage/usage.types';
import type { CardRecord } from './card.repository';
import { claimValuesOf } from './claims';
import type { IssueInput } from './card.types';
import { cardView, residentTrace, type CardDeps } from './deps';
import { revokeCard } from './revoke';
import { staffHeld } from './suspend-resume';

/** How long a credential lives before the device must renew it (never past the physical card). */
export const CREDENTIAL_TTL_MS = 30 * 86_400_000;
/** What a credential and its holder secrets tell the device (the age predicates come from the birth date). */
const CREDENTIAL_FIELDS = [
  'name',
  'sex',
  'birthDate',
  'idNumberMasked',
  'ethnicity',
  'portrait',
  'residenceProvince',
];
/** Bytes of the per-credential salt seed (docs/formats/credential.md). */
const SD_SEED_LENGTH = 16;
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

/**
 * Signs a v2 credential (docs/formats/credential.md) for `card` (a renewal) or for a new card (`card`
 * null), with a fresh salt seed each time. It ends at the first of: the credential lifetime, the end of
 * the physical card, and the Beijing midnight at which an age predicate flips (the device renews then).
 */
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
  const kid = card?.kid ?? keys.activeIssuerKid();
  const province = keys.issuerKeys().find((k) => k.kid === kid)!.province;
  const portrait = await registry.portrait(id.portraitRef);
  const portraitDigest = nodeSha256(portrait.bytes).subarray(0, PORTRAIT_DIGEST_LENGTH);
  const { values, nextChangeAt } = claimValuesOf(face, portraitDigest, province, issuedAt);
  const expiresAt =
    Math.floor(Math.min(issuedAt + ttl, end ?? Infinity, nextChangeAt ?? Infinity) / 1000) * 1000;
  if (expiresAt <= issuedAt) {
    throw new AppError('CARD_NOT_ELIGIBLE', 'The physical ID card has expired', { reason: 'card_expired' });
  }
  const claims: Omit<CredentialV2Claims, 'sdRoot'> = {
    province,
    cardId: card ? base64urlDecode(card.cardId) : new Uint8Array(randomBytes(16)),
    issuedAt,
    expiresAt,
    devicePublicKey: deviceKey,
    statusIndex: card?.statusIndex ?? (await statusLists.allocate(kid)),
  };
  // The seed is the device's alone: it is answered once, here, and never stored (docs/api.md, "Card").
  // The card page (GET /api/v1/card) does not hand the credential out again, so nothing here needs it
  // later; a device that lost it renews, and every renewal makes a new seed.
  const secrets: HolderSecrets = { seed: new Uint8Array(randomBytes(SD_SEED_LENGTH)), values };
  const credential = issueCredentialV2(
    kid,
    claims,
    secrets,
    (tbs) => keys.signAsIssuer(kid, tbs),
    nodeSha256,
  );
  return {
    claims,
    kid,
    credential: base64urlEncode(credential),
    holderSecrets: base64urlEncode(encodeHolderSecrets(secrets)),
  };
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
  // Neither a renewal nor a new device may undo a supervisor's suspension.
  if (live?.suspendedBy === 'staff') throw staffHeld();
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
  return {
    card: cardView(record, id.face),
    credential: signed.credential,
    holderSecrets: signed.holderSecrets,
  };
}
