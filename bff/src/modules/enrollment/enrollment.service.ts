import { AppError, parseIdNumber, type ErrorCode } from '@eid/shared';
import type { Config } from '../../config';
import type { Clock } from '../../infra/clock';
import type { KeyStore } from '../../infra/keystore';
import type { Logger } from '../../infra/logger';
import type { FaceClient, FaceResult, RegistryAnswer, RegistryClient } from '../../infra/upstream/types';
import type { UsageActor, UsageEventInput, UsageRecorder } from '../usage/usage.types';
import {
  attemptsView,
  chinaDate,
  counterKeys,
  dayWindow,
  HELD_TRIES_PER_ACCOUNT,
  ownCounter,
  refusal,
  type AttemptKind,
  type ExhaustedScope,
} from './attempts';
import type { FaceOutcome, PendingHook } from './enrollment.model';
import type { EnrollmentRecord, EnrollmentRepository, FaceCheckRecord } from './enrollment.repository';
import type {
  EnrollmentState,
  EnrollmentView,
  IdentityFace,
  IdentityService,
  IdentityWithdrawnHook,
  VerifiedIdentity,
} from './enrollment.types';
import { PRIVACY_NOTICE, type PrivacyNotice } from './privacy-notice';

/** The sealed identity: the registry's card face and its portrait handle (never the portrait itself). */
interface SealedIdentity {
  face: IdentityFace;
  portraitRef: string;
}

/** What closing an account needs from the session side. */
export interface AccountEraser {
  eraseSessions(residentId: string): Promise<void>;
  deleteResident(residentId: string): Promise<void>;
}

export interface EnrollmentServiceDeps {
  repo: EnrollmentRepository;
  keys: KeyStore;
  clock: Clock;
  config: Pick<
    Config,
    'REAL_NAME_ATTEMPTS_PER_DAY' | 'FACE_ATTEMPTS_PER_DAY' | 'FACE_MIN_SIMILARITY' | 'REAUTH_TOKEN_TTL_S'
  >;
  logger: Logger;
  usage: UsageRecorder;
  registry: Pick<RegistryClient, 'verify'>;
  face: FaceClient;
  /** Called when an identity is erased or moved; the card module's revoke goes here. */
  hooks: IdentityWithdrawnHook[];
  accounts: AccountEraser;
  notice?: PrivacyNotice;
}

/** Who a check's disclosure went to, as the resident sees it in the usage trace. */
const REGISTRY_ACTOR: UsageActor = { type: 'system', id: 'population-registry', displayName: '人口信息核验' };
const FACE_ACTOR: UsageActor = { type: 'system', id: 'face-verification', displayName: '人脸核验服务' };
const SERVICE_ACTOR: UsageActor = { type: 'system', id: 'enrollment', displayName: '电子身份证服务' };

/** A face check id is honoured at most this long, whatever the face service says. */
const FACE_CHECK_TTL_MS = 10 * 60 * 1000;
const NEW_RECORD = (residentId: string): EnrollmentRecord => ({ residentId, state: 'new', consent: null });

// An unknown number answers as a wrong name does: otherwise anyone could learn which numbers exist by
// trying any name (docs/identity.md, "Tries"). REAL_NAME_NOT_FOUND stays in the codes but is not sent here.
const NO_MATCH: [ErrorCode, string] = ['REAL_NAME_MISMATCH', 'The name and ID number do not match'];
const REGISTRY_CODES: Record<Exclude<RegistryAnswer['result'], 'match'> | 'expired', [ErrorCode, string]> = {
  mismatch: NO_MATCH,
  not_found: NO_MATCH,
  cancelled: ['REAL_NAME_CARD_CANCELLED', 'This ID card has been cancelled'],
  deceased: ['REAL_NAME_DECEASED', 'This ID number belongs to a deceased person'],
  expired: ['REAL_NAME_CARD_EXPIRED', 'This ID card has expired; renew it first'],
};

const FACE_CODES: Record<Exclude<FaceOutcome, 'pass'>, [ErrorCode, string]> = {
  liveness_failed: [
    'FACE_LIVENESS_FAILED',
    'The liveness check failed; try again in person, not with a photo',
  ],
  low_similarity: ['FACE_LOW_SIMILARITY', 'The face does not match the ID photo closely enough'],
  poor_quality: ['FACE_POOR_QUALITY', 'The capture was too dark or blurred; try again in better light'],
};

const outOfOrder = (state: EnrollmentState) =>
  new AppError('ENROLLMENT_OUT_OF_ORDER', 'This step is not available in the current enrollment state', {
    state,
  });

const verifyIdInvalid = (reason: 'unknown' | 'used' | 'expired') =>
  new AppError('FACE_VERIFY_ID_INVALID', 'This face check id is not valid for you now', { reason });

/**
 * The enrollment state machine (new -> consented -> real_name_verified -> eligible), face re-authentication,
 * consent withdrawal and account closure, and the IdentityService the card module reads identities from.
 * Every step is one conditional update on the state it starts from, preceded by the upstream call and
 * the usage record, so a timeout or crash leaves the state as it was and a retry is safe.
 */
export function createEnrollmentService(deps: EnrollmentServiceDeps) {
  const { repo, keys, clock, config, logger, usage } = deps;
  const notice = deps.notice ?? PRIVACY_NOTICE;
  const limits: Record<AttemptKind, number> = {
    real_name: config.REAL_NAME_ATTEMPTS_PER_DAY,
    face: config.FACE_ATTEMPTS_PER_DAY,
  };
  const identityAad = (residentId: string) => `enrollment.identity:${residentId}`;

  async function runHooks(residentId: string, reason: PendingHook): Promise<void> {
    for (const hook of deps.hooks) await hook(residentId, reason);
    await repo.clearPendingHook(residentId, reason);
    logger.info({ residentId, reason }, 'identity hooks done');
  }

  /** The resident's record; hooks left pending by an earlier crash or failure are finished first. */
  async function load(residentId: string): Promise<EnrollmentRecord> {
    const record = await repo.get(residentId);
    if (!record) return NEW_RECORD(residentId);
    if (!record.pendingHook) return record;
    await runHooks(residentId, record.pendingHook);
    return (await repo.get(residentId)) ?? NEW_RECORD(residentId);
  }

  /** The account's own tries of one kind today; other accounts' tries never show here. */
  async function ownView(kind: AttemptKind, residentId: string) {
    const window = dayWindow(clock.now());
    const key = ownCounter(kind, window.start, residentId);
    const counts = await repo.attemptCounts([key]);
    return attemptsView(limits[kind], counts.get(key) ?? 0, window.end);
  }

  function exhausted(kind: AttemptKind, unlockAt: number, scope: ExhaustedScope): AppError {
    return new AppError('ATTEMPTS_EXHAUSTED', 'No tries left today; try again after the unlock time', {
      attempt: kind,
      scope,
      remaining: 0,
      unlockAt,
      retryAfterS: Math.max(1, Math.ceil((unlockAt - clock.now()) / 1000)),
    });
  }

  /** Throws ATTEMPTS_EXHAUSTED when a try on this ID number would be refused now (before asking anyone). */
  async function assertTryLeft(kind: AttemptKind, residentId: string, idIndex: string): Promise<void> {
    const window = dayWindow(clock.now());
    const keys = counterKeys(kind, window.start, residentId, idIndex);
    const counts = await repo.attemptCounts([keys.own, keys.number, keys.held]);
    const scope = refusal(limits[kind], {
      own: counts.get(keys.own) ?? 0,
      number: counts.get(keys.number) ?? 0,
      held: counts.get(keys.held) ?? 0,
    });
    if (scope) throw exhausted(kind, window.end, scope);
  }

  /**
   * Takes one of the account's own tries and one from the ID number's cap, or, once the number is at its
   * cap, the account's one held try on it; throws ATTEMPTS_EXHAUSTED when neither is left. Each take is
   * a conditional write in the database, so every BFF process sees the same counts.
   */
  async function reserve(kind: AttemptKind, residentId: string, idIndex: string): Promise<string[]> {
    const window = dayWindow(clock.now());
    const keys = counterKeys(kind, window.start, residentId, idIndex);
    // The counter key names its day, so its document may outlive the day: it is purged two days later.
    const purgeAt = window.end + 2 * 24 * 3600 * 1000;
    const limit = limits[kind];
    if (!(await repo.takeAttempt(keys.own, limit, purgeAt))) throw exhausted(kind, window.end, 'account');
    if (await repo.takeAttempt(keys.number, limit, purgeAt)) return [keys.own, keys.number];
    if (await repo.takeAttempt(keys.held, HELD_TRIES_PER_ACCOUNT, purgeAt)) return [keys.own, keys.held];
    await repo.refundAttempt([keys.own]);
    throw exhausted(kind, window.end, 'id_number');
  }

  /** The error for a failed try, carrying what is left. */
  async function failedTry(kind: AttemptKind, residentId: string, code: [ErrorCode, string]) {
    const own = await ownView(kind, residentId);
    return new AppError(code[0], code[1], {
      attempt: kind,
      remaining: own.remaining,
      unlockAt: own.unlockAt,
    });
  }

  /** Records a disclosure on the path where the request is failing anyway: a lost record must not hide the cause. */
  async function recordQuietly(event: UsageEventInput): Promise<void> {
    await usage.record(event).catch((err: unknown) => {
      logger.error({ residentId: event.residentId, action: event.action, err }, 'usage record failed');
    });
  }

  async function view(record: EnrollmentRecord): Promise<EnrollmentView> {
    const [realName, face] = await Promise.all([
      ownView('real_name', record.residentId),
      ownView('face', record.residentId),
    ]);
    return { state: record.state, consent: record.consent, attempts: { realName, face } };
  }

  function openIdentity(record: EnrollmentRecord): SealedIdentity {
    if (!record.identity) throw new AppError('INTERNAL', 'Verified enrollment without identity');
    return JSON.parse(keys.open(record.identity, identityAad(record.residentId))) as SealedIdentity;
  }

  function classifyRegistry(answer: RegistryAnswer, now: number): keyof typeof REGISTRY_CODES | 'match' {
    if (answer.result !== 'match') return answer.result;
    const { validUntil } = answer.card;
    return validUntil !== '长期' && validUntil < chinaDate(now) ? 'expired' : 'match';
  }

  function classifyFace(result: Extract<FaceResult, { status: 'done' }>): FaceOutcome {
    if (result.reason === 'poor_quality') return 'poor_quality';
    if (result.liveness !== 'pass') return 'liveness_failed';
    if (result.similarity < config.FACE_MIN_SIMILARITY) return 'low_similarity';
    return 'pass';
  }

  /** The resident's own unused-or-used face check for this purpose; anything else is FACE_VERIFY_ID_INVALID. */
  async function ownCheck(residentId: string, verifyId: string, purpose: FaceCheckRecord['purpose']) {
    const check = await repo.getFaceCheck(verifyId);
    if (!check || check.residentId !== residentId || check.purpose !== purpose)
      throw verifyIdInvalid('unknown');
    return check;
  }

  /** Asks the face service for a verify id bound to the verified name and ID number. */
  async function startCheck(
    record: EnrollmentRecord,
    purpose: FaceCheckRecord['purpose'],
    requestId?: string,
  ) {
    const idIndex = purpose === 'enroll' ? record.idIndex : record.boundIdIndex;
    if (!idIndex) throw outOfOrder(record.state);
    const { residentId } = record;
    await assertTryLeft('face', residentId, idIndex);
    const { face: card } = openIdentity(record);
    const event: UsageEventInput = {
      residentId,
      actor: FACE_ACTOR,
      action: 'identity.real_person.start',
      fields: ['name', 'idNumber'],
      purpose: purpose === 'enroll' ? 'enrollment' : 'reauth',
      result: 'ok',
      ...(requestId && { requestId }),
    };
    let created;
    try {
      created = await deps.face.createVerifyId({ name: card.name, idNumber: card.idNumber });
    } catch (err) {
      await recordQuietly({
        ...event,
        result: 'failed',
        detail: { error: (err as AppError).code ?? 'INTERNAL' },
      });
      throw err;
    }
    const now = clock.now();
    const expiresAt = Math.min(created.expiresAt, now + FACE_CHECK_TTL_MS);
    await usage.record(event);
    await repo.insertFaceCheck({ verifyId: created.verifyId, residentId, purpose, idIndex, expiresAt }, now);
    logger.info({ residentId, step: `${purpose}.face_start` }, 'face check started');
    return { verifyId: created.verifyId, expiresAt };
  }

  /**
   * Reads the verdict of an unused check server-side, counts a failed try, and marks the check used.
   * Returns 'passed' when this call consumed a passing check, 'passed_before' when a concurrent call did.
   */
  async function evaluate(check: FaceCheckRecord, requestId?: string): Promise<'passed' | 'passed_before'> {
    const { residentId, idIndex, verifyId } = check;
    if (check.expiresAt <= clock.now()) throw verifyIdInvalid('expired');
    const counters = await reserve('face', residentId, idIndex);
    let outcome: FaceOutcome;
    try {
      const result = await deps.face.getResult(verifyId);
      if (result.status === 'pending') {
        throw new AppError('FACE_NOT_COMPLETED', 'The face capture is not finished yet');
      }
      outcome = classifyFace(result);
      await usage.record({
        residentId,
        actor: FACE_ACTOR,
        action: 'identity.real_person',
        fields: [],
        purpose: check.purpose === 'enroll' ? 'enrollment' : 'reauth',
        result: outcome === 'pass' ? 'ok' : 'failed',
        detail: { outcome },
        ...(requestId && { requestId }),
      });
    } catch (err) {
      // Timeouts, unfinished captures and our own failures are not the resident's failed tries.
      await repo.refundAttempt(counters);
      throw err;
    }
    if (!(await repo.consumeFaceCheck(verifyId, outcome, clock.now()))) {
      await repo.refundAttempt(counters);
      const again = await repo.getFaceCheck(verifyId);
      if (again?.outcome === 'pass') return 'passed_before';
      throw verifyIdInvalid('used');
    }
    logger.info({ residentId, step: `${check.purpose}.face_complete`, outcome }, 'face check completed');
    if (outcome === 'pass') {
      await repo.refundAttempt(counters);
      return 'passed';
    }
    throw await failedTry('face', residentId, FACE_CODES[outcome]);
  }

  /** Takes an identity from the account that held it, after another account proved to be that person. */
  async function moveIdentityAway(holder: string, idIndex: string, requestId?: string): Promise<void> {
    await usage.record({
      residentId: holder,
      actor: SERVICE_ACTOR,
      action: 'identity.moved',
      fields: [],
      purpose: 'enrollment',
      result: 'ok',
      detail: { reason: 'verified_on_another_account' },
      ...(requestId && { requestId }),
    });
    if (await repo.releaseBinding(holder, idIndex, clock.now())) {
      logger.warn({ residentId: holder }, 'identity moved to another account after a face check');
      await runHooks(holder, 'identity_moved');
    }
  }

  /** real_name_verified -> eligible, binding the ID number to this account (released from any other). */
  async function bind(residentId: string, idIndex: string, requestId?: string): Promise<EnrollmentRecord> {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const outcome = await repo.setEligible(residentId, idIndex, clock.now());
      if (outcome === 'ok') {
        logger.info({ residentId, step: 'eligible' }, 'enrollment complete');
        return load(residentId);
      }
      if (outcome === 'stale') {
        const current = await load(residentId);
        if (current.state === 'eligible' && current.boundIdIndex === idIndex) return current;
        throw outOfOrder(current.state);
      }
      const holder = await repo.holderOf(idIndex);
      if (holder && holder !== residentId) await moveIdentityAway(holder, idIndex, requestId);
    }
    throw new AppError('CONFLICT', 'The identity is being bound elsewhere; try again', { retryable: true });
  }

  function verifiedIdentityOf(record: EnrollmentRecord): VerifiedIdentity {
    if (record.state !== 'eligible') {
      throw new AppError('CARD_NOT_ELIGIBLE', 'Finish the real-name and real-person checks first', {
        state: record.state,
      });
    }
    const { face, portraitRef } = openIdentity(record);
    return { residentId: record.residentId, state: record.state, face, portraitRef };
  }

  const identity: IdentityService = {
    async getVerifiedIdentity(residentId: string): Promise<VerifiedIdentity> {
      return verifiedIdentityOf(await load(residentId));
    },

    async getVerifiedIdentities(residentIds: string[]): Promise<(VerifiedIdentity | Error)[]> {
      const records = await repo.getMany(residentIds);
      return Promise.all(
        residentIds.map(async (residentId) => {
          try {
            const record = records.get(residentId);
            // A record with a hook left pending takes the one-by-one path, which finishes the hook first.
            if (record?.pendingHook) return await identity.getVerifiedIdentity(residentId);
            return verifiedIdentityOf(record ?? NEW_RECORD(residentId));
          } catch (err) {
            return err instanceof Error ? err : new Error(String(err));
          }
        }),
      );
    },

    async verifyReauthToken(residentId: string, token: string | undefined): Promise<void> {
      const refuse = (reason: string) =>
        new AppError('REAUTH_REQUIRED', 'Confirm it is you with a face check first', { reason });
      if (!token) throw refuse('missing');
      let claims;
      try {
        claims = keys.verifyToken(token, 'reauth');
      } catch (err) {
        throw refuse((err as AppError).code === 'TOKEN_EXPIRED' ? 'expired' : 'invalid');
      }
      if (claims.sub !== residentId) throw refuse('invalid');
      // Kept a day past the token's own expiry: a used id must not be purged while the token could still verify.
      const keepUntil = claims.exp * 1000 + 24 * 3600 * 1000;
      if (!(await repo.useReauthToken(claims.jti, residentId, keepUntil))) throw refuse('used');
    },
  };

  return {
    identity,
    notice: () => notice,

    /** The page's view of a resident's enrollment. */
    async get(residentId: string): Promise<EnrollmentView> {
      return view(await load(residentId));
    },

    /** Consent to the current privacy notice: new -> consented, or a renewal of consent to a newer notice. */
    async consent(residentId: string, noticeVersion: string, requestId?: string): Promise<EnrollmentView> {
      if (noticeVersion !== notice.version) {
        throw new AppError('CONSENT_VERSION_MISMATCH', 'Read and accept the current privacy notice', {
          currentVersion: notice.version,
        });
      }
      let record = await load(residentId);
      if (record.consent?.version === noticeVersion) return view(record);
      const event: UsageEventInput = {
        residentId,
        actor: { type: 'resident', id: residentId, displayName: '本人' },
        action: 'consent.granted',
        fields: [],
        purpose: 'enrollment',
        result: 'ok',
        detail: { noticeVersion },
        ...(requestId && { requestId }),
      };
      await usage.record(event);
      const now = clock.now();
      const moved =
        record.state === 'new'
          ? await repo.consentFromNew(residentId, noticeVersion, now)
          : await repo.renewConsent(residentId, record.state, noticeVersion, now);
      record = await load(residentId);
      if (!moved && record.consent?.version !== noticeVersion) throw outOfOrder(record.state);
      return view(record);
    },

    /** Withdraws consent: back to `new`, identity erased, card revoked through the hooks; the usage trace stays. */
    async withdrawConsent(residentId: string, requestId?: string): Promise<EnrollmentView> {
      const record = await repo.get(residentId);
      if (record && (record.state !== 'new' || record.consent)) {
        await usage.record({
          residentId,
          actor: { type: 'resident', id: residentId, displayName: '本人' },
          action: 'consent.withdrawn',
          fields: [],
          purpose: 'enrollment',
          result: 'ok',
          ...(requestId && { requestId }),
        });
        await repo.deleteFaceChecksOf(residentId);
        await repo.erase(residentId, 'consent_withdrawn', clock.now());
        logger.info({ residentId, step: 'consent_withdrawn' }, 'consent withdrawn');
      }
      return view(await load(residentId));
    },

    /** consented -> real_name_verified after the registry confirms the name and ID number. */
    async realName(
      residentId: string,
      input: { name: string; idNumber: string },
      requestId?: string,
    ): Promise<EnrollmentView> {
      const now = clock.now();
      const parsed = parseIdNumber(input.idNumber, { now });
      if (!parsed.ok) throw new AppError(parsed.code, parsed.message);
      const idNumber = parsed.value.idNumber;
      const name = input.name.normalize('NFC').trim();
      const idIndex = keys.blindIndex('id-number', idNumber);

      const record = await load(residentId);
      if (record.state === 'real_name_verified' || record.state === 'eligible') {
        if (record.idIndex === idIndex) return view(record);
        throw outOfOrder(record.state);
      }
      if (record.state !== 'consented') throw outOfOrder(record.state);

      const counters = await reserve('real_name', residentId, idIndex);
      const event: UsageEventInput = {
        residentId,
        actor: REGISTRY_ACTOR,
        action: 'identity.real_name',
        fields: ['name', 'idNumber'],
        purpose: 'enrollment',
        result: 'ok',
        ...(requestId && { requestId }),
      };
      let answer: RegistryAnswer;
      try {
        answer = await deps.registry.verify(name, idNumber);
      } catch (err) {
        await repo.refundAttempt(counters);
        await recordQuietly({
          ...event,
          result: 'failed',
          detail: { error: (err as AppError).code ?? 'INTERNAL' },
        });
        throw err;
      }
      const outcome = classifyRegistry(answer, now);
      logger.info({ residentId, step: 'real_name', outcome }, 'registry answered');
      if (outcome !== 'match' || answer.result !== 'match') {
        // The caller reads their own trace: it says what the answer said, so it cannot tell the two apart either.
        const told = outcome === 'not_found' ? 'mismatch' : outcome;
        await usage.record({ ...event, result: 'failed', detail: { answer: told } });
        throw await failedTry(
          'real_name',
          residentId,
          REGISTRY_CODES[outcome as keyof typeof REGISTRY_CODES],
        );
      }
      await repo.refundAttempt(counters);
      await usage.record(event);
      const sealed = keys.seal(
        JSON.stringify({ face: answer.card, portraitRef: answer.portraitRef } satisfies SealedIdentity),
        identityAad(residentId),
      );
      if (!(await repo.setRealNameVerified(residentId, sealed, idIndex, clock.now()))) {
        const current = await load(residentId);
        if (current.idIndex === idIndex) return view(current);
        throw outOfOrder(current.state);
      }
      return view(await load(residentId));
    },

    /** Starts the enrollment face check. */
    async startRealPerson(residentId: string, requestId?: string) {
      const record = await load(residentId);
      if (record.state !== 'real_name_verified') throw outOfOrder(record.state);
      return startCheck(record, 'enroll', requestId);
    },

    /** real_name_verified -> eligible when the face service says it is this person. Safe to retry. */
    async completeRealPerson(
      residentId: string,
      verifyId: string,
      requestId?: string,
    ): Promise<EnrollmentView> {
      const check = await ownCheck(residentId, verifyId, 'enroll');
      const record = await load(residentId);
      if (check.consumed) {
        // A retry after the check passed: finish what a crash or lost answer may have left undone.
        if (check.outcome === 'pass' && record.idIndex === check.idIndex) {
          if (record.state === 'eligible') return view(record);
          if (record.state === 'real_name_verified')
            return view(await bind(residentId, check.idIndex, requestId));
        }
        throw verifyIdInvalid('used');
      }
      if (record.state !== 'real_name_verified') throw outOfOrder(record.state);
      if (record.idIndex !== check.idIndex) throw verifyIdInvalid('unknown');
      await evaluate(check, requestId);
      return view(await bind(residentId, check.idIndex, requestId));
    },

    /** Starts a face check that re-confirms an eligible resident. */
    async startReauth(residentId: string, requestId?: string) {
      const record = await load(residentId);
      if (record.state !== 'eligible') throw outOfOrder(record.state);
      return startCheck(record, 'reauth', requestId);
    },

    /** A passing re-confirmation face check gives a short, single-use `reauth` token. */
    async completeReauth(residentId: string, verifyId: string, requestId?: string) {
      const check = await ownCheck(residentId, verifyId, 'reauth');
      if (check.consumed) throw verifyIdInvalid('used');
      const record = await load(residentId);
      if (record.state !== 'eligible') throw outOfOrder(record.state);
      if (record.boundIdIndex !== check.idIndex) throw verifyIdInvalid('unknown');
      if ((await evaluate(check, requestId)) !== 'passed') throw verifyIdInvalid('used');
      const reauthToken = keys.signToken(
        { sub: residentId },
        { audience: 'reauth', ttlSeconds: config.REAUTH_TOKEN_TTL_S },
      );
      return { reauthToken, expiresIn: config.REAUTH_TOKEN_TTL_S };
    },

    /** Closes the account: card revoked, identity and sessions erased, the usage trace kept under the old id. */
    async closeAccount(residentId: string, requestId?: string): Promise<void> {
      await usage.record({
        residentId,
        actor: { type: 'resident', id: residentId, displayName: '本人' },
        action: 'account.closed',
        fields: [],
        purpose: 'account',
        result: 'ok',
        ...(requestId && { requestId }),
      });
      await repo.deleteFaceChecksOf(residentId);
      await repo.erase(residentId, 'account_closed', clock.now());
      await runHooks(residentId, 'account_closed');
      await repo.deleteEnrollment(residentId);
      await deps.accounts.eraseSessions(residentId);
      await deps.accounts.deleteResident(residentId);
      logger.info({ residentId, step: 'account_closed' }, 'account closed');
    },

    /**
     * Re-wraps every sealed identity's data key under the current master key (after a rotation), without
     * decrypting the data; values sealed under the current key are left alone. Safe to run while serving.
     */
    async rewrapIdentities(pageSize = 200): Promise<{ seen: number; rewrapped: number }> {
      let after = '';
      let seen = 0;
      let rewrapped = 0;
      for (;;) {
        const page = await repo.sealedIdentities(after, pageSize);
        for (const { residentId, identity: sealed } of page) {
          seen += 1;
          const next = keys.rewrap(sealed);
          if (next !== sealed && (await repo.replaceIdentity(residentId, sealed, next))) rewrapped += 1;
        }
        if (page.length < pageSize) return { seen, rewrapped };
        after = page[page.length - 1]!.residentId;
      }
    },

    /** Finishes hooks a crash or a failing hook left pending (call at boot and on a timer). */
    async resumePendingHooks(limit = 100): Promise<number> {
      let done = 0;
      for (const { residentId, hook } of await repo.pendingHooks(limit)) {
        try {
          await runHooks(residentId, hook);
          done += 1;
        } catch (err) {
          logger.error({ residentId, reason: hook, err }, 'identity hook failed; will retry');
        }
      }
      return done;
    },
  };
}

export type EnrollmentService = ReturnType<typeof createEnrollmentService>;
