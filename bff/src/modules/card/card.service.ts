import { randomBytes, randomUUID } from 'node:crypto';
import {
  AppError,
  MAX_NAME_BYTES,
  PORTRAIT_DIGEST_LENGTH,
  base64urlDecode,
  base64urlEncode,
  issueCredential,
  maskIdNumber,
  sexCodeOf,
  utf8Encode,
  deviceProofProblem,
  isStrictEd25519PublicKey,
  type CredentialClaims,
  type DeviceProof,
} from '@eid/shared';
import type { Clock } from '../../infra/clock';
import { createNodeEd25519, nodeSha256 } from '../../infra/ed25519';
import type { KeyStore } from '../../infra/keystore';
import type { Logger } from '../../infra/logger';
import type { PortraitImage, RegistryClient } from '../../infra/upstream';
import type {
  IdentityFace,
  IdentityService,
  IdentityWithdrawnHook,
  VerifiedIdentity,
} from '../enrollment/enrollment.types';
import type { UsageActor, UsageRecorder } from '../usage/usage.types';
import type { CardStatus, RevocationReason } from './card.model';
import type { CardRecord, CardRepository } from './card.repository';
import type { StatusListService } from './status-list.service';

/** How long a credential lives before the device must renew it (never past the physical card). */
export const CREDENTIAL_TTL_MS = 30 * 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;
const REVOCATION_LEASE = 'card.revocation-check';
const REVOCATION_LEASE_MS = 10 * 60_000;
const REVOCATION_PAGE = 100;
const REVOCATION_CONCURRENCY = 4;

const SELF = (residentId: string): UsageActor => ({ type: 'resident', id: residentId, displayName: '本人' });
const REVOCATION_ACTOR: UsageActor = { type: 'system', id: 'revocation-check', displayName: '证件状态核查' };
const CARD_SERVICE_ACTOR: UsageActor = { type: 'system', id: 'card', displayName: '电子身份证服务' };
const CREDENTIAL_FIELDS = ['name', 'sex', 'birthDate', 'idNumberMasked', 'portrait'];
const FACE_FIELDS = [
  'name',
  'sex',
  'ethnicity',
  'birthDate',
  'address',
  'idNumberMasked',
  'issuingAuthority',
  'validFrom',
  'validUntil',
];

/** The card face the resident sees: the registry's data with the ID number masked. */
export interface CardFaceView extends Omit<IdentityFace, 'idNumber'> {
  idNumberMasked: string;
}

/** docs/api.md `Card`. */
export interface CardView {
  cardId: string;
  status: CardStatus;
  issuedAt: number;
  expiresAt: number;
  kid: string;
  face: CardFaceView;
}

/** What the online verifier needs to know about a card. */
export interface CardStanding {
  residentId: string;
  status: CardStatus;
  kid: string;
  statusIndex: number;
}

export interface RevocationCheckResult {
  checked: number;
  revoked: number;
  failed: number;
  /** True when another process held the lease and this run did nothing. */
  skipped: boolean;
}

export interface CardServiceDeps {
  repo: CardRepository;
  statusLists: StatusListService;
  keys: KeyStore;
  clock: Clock;
  logger: Logger;
  usage: UsageRecorder;
  identity: IdentityService;
  registry: Pick<RegistryClient, 'portrait' | 'status'>;
  credentialTtlMs?: number;
}

/** The face with the ID number masked: what the resident's own card page shows. */
export function faceView(face: IdentityFace): CardFaceView {
  const { idNumber, ...rest } = face;
  return { ...rest, idNumberMasked: maskIdNumber(idNumber) };
}

/** End of the last day a physical card is valid (China time), or undefined for a card valid for life. */
export function physicalCardEnd(validUntil: string): number | undefined {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(validUntil);
  if (!m) return undefined;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1) - CHINA_OFFSET_MS;
}

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

/**
 * The bright card: issuing credentials bound to a device key, the resident's own view of the card,
 * suspension and resumption, and revocation (by replacement, identity withdrawal or the registry).
 */
export function createCardService(deps: CardServiceDeps) {
  const { repo, statusLists, keys, clock, logger, usage, identity, registry } = deps;
  const ed25519 = createNodeEd25519();
  const ttl = deps.credentialTtlMs ?? CREDENTIAL_TTL_MS;

  const view = (card: CardRecord, face: IdentityFace): CardView => ({
    cardId: card.cardId,
    status: card.status,
    issuedAt: card.credentialIssuedAt,
    expiresAt: card.credentialExpiresAt,
    kid: card.kid,
    face: faceView(face),
  });

  async function sign(card: CardRecord | null, id: VerifiedIdentity, deviceKey: Uint8Array, now: number) {
    const { face } = id;
    if (utf8Encode(face.name).length > MAX_NAME_BYTES) {
      throw new AppError('CARD_NOT_ELIGIBLE', 'This name is too long for a bright card', {
        reason: 'name_too_long',
      });
    }
    const end = physicalCardEnd(face.validUntil);
    const issuedAt = Math.floor(now / 1000) * 1000;
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

  async function revokeLive(
    residentId: string,
    reason: RevocationReason,
    actor: UsageActor,
    requestId?: string,
  ) {
    const revoked = await repo.revokeLiveOf(residentId, reason, clock.now());
    if (!revoked) return null;
    await statusLists.changed(revoked.kid);
    await usage.record({
      residentId,
      actor,
      action: 'card.revoke',
      fields: [],
      purpose: 'card',
      result: 'ok',
      detail: { reason },
      ...(requestId && { requestId }),
    });
    logger.info({ cardId: revoked.cardId, reason }, 'card revoked');
    return revoked;
  }

  async function liveOrThrow(residentId: string): Promise<CardRecord> {
    const card = await repo.liveOf(residentId);
    if (!card) throw new AppError('CARD_NOT_FOUND', 'You have no bright card yet');
    return card;
  }

  const onIdentityWithdrawn: IdentityWithdrawnHook = async (residentId, reason) => {
    await revokeLive(residentId, reason, CARD_SERVICE_ACTOR);
  };

  async function checkOne(card: CardRecord): Promise<'revoked' | 'kept'> {
    let id: VerifiedIdentity;
    try {
      id = await identity.getVerifiedIdentity(card.residentId);
    } catch (err) {
      // Identity erased without the hook having run yet: the hook will revoke, nothing to ask the registry.
      if (err instanceof AppError && err.code === 'CARD_NOT_ELIGIBLE') return 'kept';
      throw err;
    }
    const { status } = await registry.status(id.face.idNumber);
    if (status !== 'cancelled' && status !== 'deceased') return 'kept';
    const reason: RevocationReason = status === 'cancelled' ? 'registry_cancelled' : 'registry_deceased';
    const revoked = await repo.revoke(card.cardId, reason, clock.now());
    if (!revoked) return 'kept';
    await statusLists.changed(revoked.kid);
    await usage.record({
      residentId: card.residentId,
      actor: REVOCATION_ACTOR,
      action: 'card.revoke',
      fields: [],
      purpose: 'card',
      result: 'ok',
      detail: { reason },
    });
    logger.info({ cardId: card.cardId, reason }, 'card revoked after registry check');
    return 'revoked';
  }

  const leaseHolder = randomUUID();

  const service = {
    onIdentityWithdrawn,

    /**
     * Issues (or, for the same device, renews) the resident's credential. A live card on another
     * device needs a re-authentication token and is revoked by the new one.
     */
    async issue(
      residentId: string,
      body: { devicePublicKey: string; deviceProof: DeviceProof; reauthToken?: string },
      requestId?: string,
    ): Promise<{ card: CardView; credential: string }> {
      const deviceKey = parseDeviceKey(body.devicePublicKey);
      const problem = deviceProofProblem(body.deviceProof, residentId, deviceKey, clock.now(), ed25519);
      if (problem) {
        const message = {
          weak_key: 'The device key is not an acceptable Ed25519 public key',
          clock: "The device's clock is too far from the server's",
          proof: 'The device did not prove it holds this key',
        }[problem];
        throw new AppError('DEVICE_KEY_INVALID', message, { reason: problem });
      }
      const deviceKeyText = base64urlEncode(deviceKey);
      const id = await identity.getVerifiedIdentity(residentId);
      const live = await repo.liveOf(residentId);
      const now = clock.now();
      let card: CardRecord | null = null;
      let replace = false;
      if (live && live.devicePublicKey === deviceKeyText) {
        if (live.status === 'suspended')
          throw new AppError('CARD_SUSPENDED', 'Resume the card before renewing it');
        // A card of a retired issuer key is replaced rather than renewed, on the same device.
        if (live.kid === keys.activeIssuerKid()) card = live;
        else replace = true;
      } else if (live) {
        await identity.verifyReauthToken(residentId, body.reauthToken);
        replace = true;
      }

      // Sign first: an upstream failure must not leave the resident with the old card revoked and no new one.
      const signed = await sign(card, id, deviceKey, now);
      if (replace) await revokeLive(residentId, 'replaced', SELF(residentId), requestId);
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
      await usage.record({
        residentId,
        actor: SELF(residentId),
        action: card ? 'card.renew' : 'card.issue',
        fields: CREDENTIAL_FIELDS,
        purpose: 'card',
        result: 'ok',
        ...(requestId && { requestId }),
      });
      logger.info({ cardId: record.cardId, renewed: Boolean(card) }, 'credential issued');
      return { card: view(record, id.face), credential: signed.credential };
    },

    /** The resident's live card, or the last revoked one so the page can say why; CARD_NOT_FOUND if none. */
    async get(residentId: string, requestId?: string): Promise<CardView> {
      const card = (await repo.liveOf(residentId)) ?? (await repo.latestOf(residentId));
      if (!card) throw new AppError('CARD_NOT_FOUND', 'You have no bright card yet');
      let id: VerifiedIdentity;
      try {
        id = await identity.getVerifiedIdentity(residentId);
      } catch (err) {
        if (err instanceof AppError && err.code === 'CARD_NOT_ELIGIBLE' && card.status === 'revoked') {
          throw new AppError('CARD_NOT_FOUND', 'You have no bright card', { lastStatus: 'revoked' });
        }
        throw err;
      }
      await usage.record({
        residentId,
        actor: SELF(residentId),
        action: 'card.read',
        fields: FACE_FIELDS,
        purpose: 'card',
        result: 'ok',
        ...(requestId && { requestId }),
      });
      return view(card, id.face);
    },

    /** The registry portrait of the resident with a live card; fetched each time, never stored. */
    async portrait(residentId: string, requestId?: string): Promise<PortraitImage> {
      await liveOrThrow(residentId);
      const id = await identity.getVerifiedIdentity(residentId);
      const image = await registry.portrait(id.portraitRef);
      await usage.record({
        residentId,
        actor: SELF(residentId),
        action: 'portrait.read',
        fields: ['portrait'],
        purpose: 'card',
        result: 'ok',
        ...(requestId && { requestId }),
      });
      return image;
    },

    /** The full ID number, after a fresh face check. */
    async reveal(residentId: string, reauthToken: string, requestId?: string): Promise<{ idNumber: string }> {
      await liveOrThrow(residentId);
      await identity.verifyReauthToken(residentId, reauthToken);
      const id = await identity.getVerifiedIdentity(residentId);
      await usage.record({
        residentId,
        actor: SELF(residentId),
        action: 'card.reveal',
        fields: ['idNumber'],
        purpose: 'card',
        result: 'ok',
        ...(requestId && { requestId }),
      });
      return { idNumber: id.face.idNumber };
    },

    /** Suspends the live card (a lost phone); idempotent. No face check: a thief must not be able to block it. */
    async suspend(residentId: string, requestId?: string): Promise<CardView> {
      const card = await liveOrThrow(residentId);
      const id = await identity.getVerifiedIdentity(residentId);
      if (card.status === 'suspended') return view(card, id.face);
      const suspended = await repo.transition(card.cardId, 'active', 'suspended', clock.now());
      if (!suspended)
        throw new AppError('CONFLICT', 'The card changed meanwhile; try again', { retryable: true });
      await statusLists.changed(card.kid);
      await usage.record({
        residentId,
        actor: SELF(residentId),
        action: 'card.suspend',
        fields: [],
        purpose: 'card',
        result: 'ok',
        ...(requestId && { requestId }),
      });
      return view(suspended, id.face);
    },

    /** Resumes a suspended card after a fresh face check. */
    async resume(residentId: string, reauthToken: string, requestId?: string): Promise<CardView> {
      const card = await liveOrThrow(residentId);
      if (card.status !== 'suspended') throw new AppError('CARD_NOT_SUSPENDED', 'The card is not suspended');
      await identity.verifyReauthToken(residentId, reauthToken);
      const id = await identity.getVerifiedIdentity(residentId);
      const resumed = await repo.transition(card.cardId, 'suspended', 'active', clock.now());
      if (!resumed)
        throw new AppError('CONFLICT', 'The card changed meanwhile; try again', { retryable: true });
      await statusLists.changed(card.kid);
      await usage.record({
        residentId,
        actor: SELF(residentId),
        action: 'card.resume',
        fields: [],
        purpose: 'card',
        result: 'ok',
        ...(requestId && { requestId }),
      });
      return view(resumed, id.face);
    },

    /**
     * What the online verifier needs about each card (null for a card this node never issued), read
     * live in one query so that concurrent checks share it; never cached, so a revocation shows at once.
     */
    async standings(cardIds: string[]): Promise<(CardStanding | null)[]> {
      const found = await repo.standingsOf(cardIds);
      return cardIds.map((id) => found.get(id) ?? null);
    },

    /** What the online verifier needs about a card, or null for a card this node never issued. */
    async standing(cardId: string): Promise<CardStanding | null> {
      const card = await repo.byId(cardId);
      return (
        card && {
          residentId: card.residentId,
          status: card.status,
          kid: card.kid,
          statusIndex: card.statusIndex,
        }
      );
    },

    /**
     * Asks the registry about the holder of every live card and revokes those it reports cancelled or
     * deceased. One process at a time (a lease in the database); safe to call from a test or a timer.
     */
    async revocationCheck(maxCards = 100_000): Promise<RevocationCheckResult> {
      const result: RevocationCheckResult = { checked: 0, revoked: 0, failed: 0, skipped: false };
      const now = clock.now();
      if (!(await repo.acquireLease(REVOCATION_LEASE, leaseHolder, now + REVOCATION_LEASE_MS, now))) {
        return { ...result, skipped: true };
      }
      try {
        let after = '';
        while (result.checked + result.failed < maxCards) {
          const page = await repo.livePage(after, REVOCATION_PAGE);
          if (page.length === 0) break;
          after = page[page.length - 1]!.cardId;
          for (let i = 0; i < page.length; i += REVOCATION_CONCURRENCY) {
            const outcomes = await Promise.allSettled(
              page.slice(i, i + REVOCATION_CONCURRENCY).map(checkOne),
            );
            for (const outcome of outcomes) {
              if (outcome.status === 'rejected') {
                result.failed += 1;
                logger.warn(
                  { errorCode: (outcome.reason as AppError).code },
                  'revocation check of a card failed',
                );
              } else {
                result.checked += 1;
                if (outcome.value === 'revoked') result.revoked += 1;
              }
            }
          }
        }
      } finally {
        await repo.acquireLease(REVOCATION_LEASE, leaseHolder, clock.now(), clock.now());
      }
      logger.info(result, 'revocation check done');
      return result;
    },

    /** Runs the revocation check every `intervalMs`; the returned function stops it and waits for a run in flight. */
    startRevocationChecks(intervalMs: number): () => Promise<void> {
      let running: Promise<void> | undefined;
      const timer = setInterval(() => {
        running ??= service
          .revocationCheck()
          .then(
            () => undefined,
            (err: unknown) => logger.error({ err }, 'revocation check failed'),
          )
          .finally(() => {
            running = undefined;
          });
      }, intervalMs);
      timer.unref();
      return async () => {
        clearInterval(timer);
        await running;
      };
    },
  };
  return service;
}

export type CardService = ReturnType<typeof createCardService>;
