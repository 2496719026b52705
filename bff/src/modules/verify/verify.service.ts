import {
  AppError,
  createCredentialCache,
  findPurpose,
  inspectCode,
  openStatusList,
  statusVerdict,
  type OfflineCheck,
  type OfflineChecksAnswer,
  type Purpose,
  type StatusList,
  type Verdict,
  type VerifyAnswer,
  type VerifyResult,
} from '@eid/shared';
import type { Clock } from '../../infra/clock';
import { createNodeEd25519, nodeSha256 } from '../../infra/ed25519';
import type { Logger } from '../../infra/logger';
import type { CardLookups, CardStanding } from '../card/card.types';
import type { IdentityFace, IdentityService, VerifiedIdentity } from '../enrollment/enrollment.types';
import type { TrustService } from '../trust/trust.types';
import type { DisclosureEvent, UsageActor, UsageKeyLookup, UsageRecorder } from '../usage/usage.types';
import { groupCalls } from './batch';
import { disclosedCard, recordFields } from './disclose';
import { uploadOfflineChecks, type OfflineUploadDeps } from './offline-upload';
import type {
  CheckedCode,
  CodeVerifier,
  DisclosureDetail,
  Recognition,
  RecognitionWindow,
} from './verify.types';

/** docs/api.md: the answer of `POST /api/v1/verify` (shared/src/api/verify.ts). */
export type { VerifyAnswer };

export interface StaffIdentity {
  id: string;
  displayName: string;
  org: string;
}

export interface VerifyServiceDeps {
  card: CardLookups;
  identity: IdentityService;
  /** The trace, and for offline uploads its keyed events (usage.types.ts). */
  usage: UsageRecorder & UsageKeyLookup;
  /** The issuers whose credentials this node accepts (the trust module's list). */
  trust: Pick<TrustService, 'trustList'>;
  clock: Clock;
  logger: Logger;
  /** The signed-in staff member as residents see them in their usage trace. */
  staffProfile(staffId: string): Promise<StaffIdentity>;
  /**
   * Online recognition of other provinces' cards (docs/federation.md "Recognition"): this node's province,
   * the federation's ask-the-home-node, and the status-list age that still decides an offline verdict.
   * Without it a card of another province stays `status_unknown`, as on a standalone node.
   */
  recognition?: { province: string; maxStatusAgeMs: number; home: Recognition };
}

const STAFF_CACHE_MS = 30_000;

/** A staff member as their trace entries name them. */
function staffActor(staff: StaffIdentity): UsageActor {
  return { type: 'staff', id: staff.id, displayName: staff.displayName, org: staff.org };
}

/**
 * The online verifier, for staff terminals and (through `check`) relying parties: the shared offline
 * checks (format, issuer, signatures, time), then the card's live status from the database, the shared
 * replay cache, minimum disclosure for the purpose, and a record in the resident's usage trace.
 */
export function createVerifyService(deps: VerifyServiceDeps) {
  const { card, identity, usage, trust, clock, logger } = deps;
  const inspect = {
    // Read at every check: an accepted national list (a compromised key gone) applies to the next code.
    get trustList() {
      return trust.trustList();
    },
    clock,
    ed25519: createNodeEd25519(),
    sha256: nodeSha256,
    // One credential is shown for weeks: its issuer signature is checked once per process.
    cache: createCredentialCache(50_000),
  };
  // Concurrent checks share their database round trips: one live status read for all their cards, one
  // read of their identities, and one append to the usage traces (usage.service groups those). Each
  // check still waits for its own acknowledged write, and nothing is kept between batches, so a
  // revocation, a withdrawal or a use of the code at another process is seen by the next batch.
  const standingOf = groupCalls<string, CardStanding | null>((ids) => card.standings(ids), {
    concurrency: 2,
  });
  const identityOf = groupCalls<string, VerifiedIdentity>((ids) => identity.getVerifiedIdentities(ids), {
    concurrency: 2,
  });
  // Staff names change rarely; a short cache saves a database read per check.
  const staffCache = new Map<string, { at: number; staff: StaffIdentity }>();

  async function staffOf(staffId: string): Promise<StaffIdentity> {
    const now = clock.now();
    const hit = staffCache.get(staffId);
    if (hit && now - hit.at < STAFF_CACHE_MS && hit.at <= now) return hit.staff;
    const staff = await deps.staffProfile(staffId);
    if (staffCache.size > 1000) staffCache.clear();
    staffCache.set(staffId, { at: now, staff });
    return staff;
  }

  /**
   * The online check: the shared offline checks (format, issuer, signatures, time), then the card's live
   * status and its holder's identity (grouped reads), what the verifier may see, and the trace record
   * whose key makes an accepted code single-use for this verifier.
   */
  async function check(
    verifier: CodeVerifier,
    code: string,
    purpose: Purpose,
    requestId: string | undefined,
    window?: () => Promise<RecognitionWindow>,
  ): Promise<CheckedCode> {
    const result = inspectCode(code, inspect, true);
    const answer: VerifyAnswer = { verdict: result.verdict, checkedAt: result.checkedAt };
    if (result.format) answer.format = result.format;
    if (result.kid && result.province) answer.issuer = { kid: result.kid, province: result.province };
    if (result.purpose) answer.codePurpose = result.purpose;
    if (!result.cardId) return { answer, fields: [] };

    // From here the issuer signature holds, so the card id is genuine and the check belongs in the trace.
    const standing = await standingOf(result.cardId);
    if (!standing) {
      const recognition = deps.recognition;
      // Another province's card that passed the offline checks: its home node knows its live status.
      if (
        answer.verdict === 'valid' &&
        window &&
        recognition &&
        result.province !== recognition.province &&
        recognition.home.canAsk(result.province!)
      )
        return {
          answer: await askHome(recognition, result, answer, code, purpose, await window()),
          fields: [],
        };
      // A genuine credential this node has no record of (another province's, or lost data): no live status.
      if (answer.verdict === 'valid') answer.verdict = 'status_unknown';
      return { answer, fields: [] };
    }
    let face: IdentityFace | undefined;
    if (answer.verdict === 'valid') {
      if (standing.kid !== result.kid || standing.statusIndex !== result.statusIndex)
        answer.verdict = 'status_unknown';
      else if (standing.status === 'revoked') answer.verdict = 'revoked';
      else if (standing.status === 'suspended') answer.verdict = 'suspended';
      else {
        const id = await identityOf(standing.residentId).catch((err: unknown) => {
          // The identity was withdrawn and the card's revocation is still on its way: it is revoked.
          if (err instanceof AppError && err.code === 'CARD_NOT_ELIGIBLE') return undefined;
          throw err;
        });
        if (!id) answer.verdict = 'revoked';
        else face = id.face;
      }
    }

    // The trace names exactly what the verifier is shown: nothing for a code that disclosed nothing.
    let fields: string[] = [];
    let detail: DisclosureDetail = {};
    if (answer.verdict === 'valid' && face) {
      const shown = await verifier.disclose({
        result,
        purpose,
        residentId: standing.residentId,
        face,
        fromRecord: (wanted) => recordFields(result, face, wanted),
      });
      answer.card = shown.card;
      fields = Object.keys(shown.card);
      detail = shown.detail ?? {};
    }

    const trace = usage.disclosure({
      residentId: standing.residentId,
      actor: await verifier.actor(),
      purpose: purpose.code,
      requestId,
    });
    const event = (verdict: Verdict, disclosed: string[]): DisclosureEvent => ({
      action: 'card.verify',
      fields: disclosed,
      result: verdict === 'valid' ? 'ok' : 'denied',
      detail: {
        verdict,
        ...(result.format && { format: result.format }),
        ...(result.purpose && { codePurpose: result.purpose }),
        ...(verdict === 'valid' && detail),
      },
    });
    if (answer.verdict !== 'valid') await trace.record(event(answer.verdict, fields));
    // The replay cache is the trace itself: the record of an accepted code carries the key of that code
    // at this verifier, unique in the database, so a second use (here, in another process, at the same
    // moment) finds it taken and is recorded, and answered, as replayed instead. Another verifier's key
    // differs, so its use neither burns nor is burnt by this one.
    else if (
      !(await trace.recordOnce(event('valid', fields), `${verifier.replayKeyPrefix}:${result.codeDigest!}`))
    ) {
      answer.verdict = 'replayed';
      delete answer.card;
      fields = [];
      await trace.record(event('replayed', []));
    }
    if (answer.verdict !== 'valid')
      logger.info({ verdict: answer.verdict, purpose: purpose.code }, 'code refused');
    return { answer, residentId: standing.residentId, fields };
  }

  /**
   * The home node's live answer for a card of its province (it records the use in the resident's trace
   * there, nothing is recorded here); when it cannot be asked or its answer does not verify, the offline
   * verdict from this node's copy of the home's status list (the offline terminal's rule: a copy older than
   * the allowed age decides nothing, so an unreachable home never makes a card `revoked`), marked unknown.
   */
  async function askHome(
    recognition: NonNullable<VerifyServiceDeps['recognition']>,
    result: VerifyResult,
    answer: VerifyAnswer,
    code: string,
    purpose: Purpose,
    window: RecognitionWindow,
  ): Promise<VerifyAnswer> {
    const home = await recognition.home.askHome(result.province!, { code, purpose: purpose.code, window });
    if (home.ok) {
      answer.verdict = home.answer.verdict;
      answer.status = 'live';
      const sent = home.answer.card;
      if (home.answer.verdict === 'valid' && sent) {
        // Minimum disclosure holds here too: never more than the purpose allows, whatever the home sent.
        const card: NonNullable<VerifyAnswer['card']> = {};
        for (const field of purpose.fields) if (sent[field] !== undefined) card[field] = sent[field];
        answer.card = card;
      }
      return answer;
    }
    answer.status = 'unknown';
    answer.statusReason = home.reason;
    const now = clock.now();
    const copy = await recognition.home.peerStatusList(result.kid!);
    let list: StatusList | undefined;
    if (copy) {
      try {
        list = openStatusList(copy.bytes, inspect.trustList, inspect.ed25519);
      } catch {
        // A copy the current list no longer vouches for (its key gone) decides nothing.
        list = undefined;
      }
      answer.statusList = { issuedAt: copy.issuedAt, fetchedAt: copy.fetchedAt, ageMs: now - copy.issuedAt };
    }
    answer.verdict = statusVerdict(list, result.statusIndex!, now, recognition.maxStatusAgeMs);
    logger.info(
      { province: result.province, reason: home.reason, verdict: answer.verdict },
      'recognition answered offline',
    );
    return answer;
  }

  const offline: OfflineUploadDeps = { card, usage, inspect, clock, logger, staffProfile: staffOf };

  return {
    /** Records checks an offline terminal made (offline-upload.ts); apart from the online path below. */
    uploadOffline: (
      staffId: string,
      checks: OfflineCheck[],
      requestId?: string,
    ): Promise<OfflineChecksAnswer> => uploadOfflineChecks(offline, staffId, checks, requestId),

    /** Checks one code for one purpose on behalf of a signed-in staff member. */
    async verify(
      staffId: string,
      code: string,
      purposeCode: string,
      requestId?: string,
    ): Promise<VerifyAnswer> {
      const purpose = findPurpose(purposeCode);
      if (!purpose) throw new AppError('PURPOSE_UNKNOWN', 'Choose a purpose from the published list');
      const staff: CodeVerifier = {
        actor: async () => staffActor(await staffOf(staffId)),
        replayKeyPrefix: staffId,
        disclose: ({ result, face }) => ({ card: disclosedCard(result, purpose, face) }),
      };
      const window = async (): Promise<RecognitionWindow> => {
        const who = await staffOf(staffId);
        return {
          province: deps.recognition!.province,
          id: who.id,
          org: who.org,
          displayName: who.displayName,
        };
      };
      return (await check(staff, code, purpose, requestId, window)).answer;
    },

    /**
     * Checks one code of this province for a window of another (the home side of recognition,
     * federation/recognition.routes.ts): the staff check with the staff disclosure, the resident's trace
     * naming the window as `<province name> <window>`, single-use per that window; never asked onwards.
     */
    async verifyForWindow(
      window: RecognitionWindow & { provinceName: string },
      code: string,
      purposeCode: string,
      requestId?: string,
    ): Promise<VerifyAnswer> {
      const purpose = findPurpose(purposeCode);
      if (!purpose) throw new AppError('PURPOSE_UNKNOWN', 'Choose a purpose from the published list');
      const remote: CodeVerifier = {
        actor: () => ({
          type: 'staff',
          id: `${window.province}:${window.id}`,
          displayName: `${window.provinceName} ${window.displayName}`,
          org: window.org,
        }),
        replayKeyPrefix: `node:${window.province}:${window.id}`,
        disclose: ({ result, face }) => ({ card: disclosedCard(result, purpose, face) }),
      };
      return (await check(remote, code, purpose, requestId)).answer;
    },

    /**
     * Checks one code for one published purpose on behalf of any verifier (rp-verify's relying parties):
     * the same checks and grouped reads as `verify`, with the verifier's actor, single-use scope and
     * disclosure. PURPOSE_UNKNOWN for a purpose not in the published list.
     */
    async check(
      verifier: CodeVerifier,
      code: string,
      purposeCode: string,
      requestId?: string,
    ): Promise<CheckedCode> {
      const purpose = findPurpose(purposeCode);
      if (!purpose) throw new AppError('PURPOSE_UNKNOWN', 'Choose a purpose from the published list');
      return check(verifier, code, purpose, requestId);
    },
  };
}

export type VerifyService = ReturnType<typeof createVerifyService>;
