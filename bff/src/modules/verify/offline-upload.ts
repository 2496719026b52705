import {
  AppError,
  CLOCK_TOLERANCE_MS,
  OFFLINE_CHECK_MAX_AGE_MS,
  findPurpose,
  inspectCode,
  type InspectOptions,
  type OfflineCheck,
  type OfflineCheckRefusal,
  type OfflineCheckResult,
  type OfflineChecksAnswer,
  type Purpose,
  type Verdict,
} from '@eid/shared';
import type { Clock } from '../../infra/clock';
import type { Logger } from '../../infra/logger';
import type { CardLookups, CardStanding } from '../card/card.types';
import type {
  Disclosure,
  DisclosureEvent,
  KeyedEvent,
  UsageActor,
  UsageKeyLookup,
  UsageRecorder,
} from '../usage/usage.types';
import type { StaffIdentity } from './verify.service';

/** What the offline upload works with; verify.service.ts builds it once beside the online verifier. */
export interface OfflineUploadDeps {
  card: CardLookups;
  usage: Pick<UsageRecorder, 'disclosure'> & UsageKeyLookup;
  /** The online verifier's options less its clock: the BFF's own trust list, crypto and credential cache. */
  inspect: Omit<InspectOptions, 'clock'>;
  clock: Clock;
  logger: Logger;
  staffProfile(staffId: string): Promise<StaffIdentity>;
}

/** A check the BFF will record: genuine, of a card it issued, re-verified at its `checkedAt`. */
interface Judged {
  check: OfflineCheck;
  purpose: Purpose;
  residentId: string;
  /** The BFF's verdict at `checkedAt`, with the card's status as the BFF knows it now. */
  verdict: Verdict;
  codeDigest: string;
  /** The claims the code itself disclosed (a v1 code: all it carries). */
  disclosed: readonly string[];
}

const refused = (check: OfflineCheck, reason: OfflineCheckRefusal, verdict: Verdict): OfflineCheckResult => ({
  id: check.id,
  status: 'refused',
  verdict,
  replayedElsewhere: false,
  reason,
});

/** The verdict of a genuine code at its check time, given what the BFF knows of its card. */
function verdictWith(inspected: Verdict, standing: CardStanding, kid: string, statusIndex: number): Verdict {
  if (inspected !== 'valid') return inspected;
  if (standing.kid !== kid || standing.statusIndex !== statusIndex) return 'status_unknown';
  if (standing.status === 'revoked') return 'revoked';
  if (standing.status === 'suspended') return 'suspended';
  return 'valid';
}

/**
 * Records the checks an offline terminal made, each once, in its holder's usage trace. Each code is
 * verified again at its `checkedAt` with the BFF's own keys, so an upload can only write what a
 * holder's device really showed; the card's status is the one the BFF knows at upload.
 *
 * Keys (`recordOnce`, unique in the database, so this holds across BFF processes and retries):
 * a check the terminal did not accept is `offline:<terminal>:<id>`; an accepted one claims its code,
 * `offline:<digest>`, and when the code was accepted before (another terminal offline, or online, whose
 * key is `<staff>:<digest>`) it is `offline:<terminal>:<id>:<digest>` and flagged `replayedElsewhere`.
 * Every accepted code's key ends with its digest, so one read of the holder's keys finds them all.
 */
export async function uploadOfflineChecks(
  deps: OfflineUploadDeps,
  staffId: string,
  checks: OfflineCheck[],
  requestId?: string,
): Promise<OfflineChecksAnswer> {
  const now = deps.clock.now();
  const results: (OfflineCheckResult | undefined)[] = new Array(checks.length);
  const genuine: {
    at: number;
    check: OfflineCheck;
    purpose: Purpose;
    inspected: ReturnType<typeof inspectCode>;
  }[] = [];

  checks.forEach((check, at) => {
    const purpose = findPurpose(check.purpose);
    if (!purpose) results[at] = refused(check, 'purpose_unknown', check.verdict);
    else if (check.checkedAt > now + CLOCK_TOLERANCE_MS)
      results[at] = refused(check, 'checked_at_future', check.verdict);
    else if (check.checkedAt < now - OFFLINE_CHECK_MAX_AGE_MS)
      results[at] = refused(check, 'checked_at_too_old', check.verdict);
    else {
      const inspected = inspectCode(
        check.code,
        { ...deps.inspect, clock: { now: () => check.checkedAt } },
        true,
      );
      // Both signatures held only when the code has a timestamp: anything else is not a holder's code. Nor
      // is a code whose disclosed claims do not match what the issuer signed, even signed by the device.
      if (inspected.codeTimestamp === undefined || inspected.verdict === 'tampered')
        results[at] = refused(check, 'not_genuine', inspected.verdict);
      else genuine.push({ at, check, purpose, inspected });
    }
  });

  // One read of the cards' status for the whole upload.
  const cardIds = [...new Set(genuine.map((g) => g.inspected.cardId!))];
  const standings = cardIds.length ? await deps.card.standings(cardIds) : [];
  const standingOf = new Map(cardIds.map((id, i) => [id, standings[i] ?? null]));

  const staff = genuine.length ? await deps.staffProfile(staffId) : undefined;
  const actor: UsageActor | undefined = staff && {
    type: 'staff',
    id: staff.id,
    displayName: staff.displayName,
    org: staff.org,
  };

  // One after another: checks of one upload may share a holder, and each reads what the last one wrote.
  for (const { at, check, purpose, inspected } of genuine) {
    const standing = standingOf.get(inspected.cardId!);
    if (!standing) {
      results[at] = refused(
        check,
        'card_unknown',
        inspected.verdict === 'valid' ? 'status_unknown' : inspected.verdict,
      );
      continue;
    }
    const judged: Judged = {
      check,
      purpose,
      residentId: standing.residentId,
      verdict: verdictWith(inspected.verdict, standing, inspected.kid!, inspected.statusIndex!),
      codeDigest: inspected.codeDigest!,
      disclosed: inspected.disclosed ?? [],
    };
    results[at] = await record(deps, judged, actor!, now, requestId);
  }

  const answer = { results: results as OfflineCheckResult[] };
  const count = (f: (r: OfflineCheckResult) => boolean) => answer.results.filter(f).length;
  deps.logger.info(
    {
      checks: checks.length,
      recorded: count((r) => r.status === 'recorded'),
      alreadyRecorded: count((r) => r.status === 'already_recorded'),
      refused: count((r) => r.status === 'refused'),
      replayedElsewhere: count((r) => r.replayedElsewhere),
    },
    'offline checks uploaded',
  );
  return answer;
}

/** Records one judged check once; says whether it was already, and whether its code was accepted elsewhere. */
async function record(
  deps: OfflineUploadDeps,
  { check, purpose, residentId, verdict, codeDigest, disclosed }: Judged,
  actor: UsageActor,
  uploadedAt: number,
  requestId: string | undefined,
): Promise<OfflineCheckResult> {
  const trace: Disclosure = deps.usage.disclosure({ residentId, actor, purpose: purpose.code, requestId });
  // What the staff member saw decides what was disclosed: the purpose's fields that the code disclosed.
  const accepted = check.verdict === 'valid';
  const event = (replayedElsewhere: boolean): DisclosureEvent => ({
    action: 'card.verify',
    fields: accepted ? purpose.fields.filter((f) => disclosed.includes(f)) : [],
    result: accepted ? 'ok' : 'denied',
    detail: {
      verdict: check.verdict,
      verdictAtUpload: verdict,
      offline: true,
      checkedAt: check.checkedAt,
      uploadedAt,
      terminalId: check.terminalId,
      checkId: check.id,
      replayedElsewhere,
    },
  });
  const result = (
    status: 'recorded' | 'already_recorded',
    replayedElsewhere: boolean,
  ): OfflineCheckResult => ({
    id: check.id,
    status,
    verdict,
    replayedElsewhere,
  });

  if (!accepted) {
    const appended = await trace.recordOnce(event(false), `offline:${check.terminalId}:${check.id}`);
    return result(appended ? 'recorded' : 'already_recorded', false);
  }

  const claimKey = `offline:${codeDigest}`;
  const ownKey = `offline:${check.terminalId}:${check.id}:${codeDigest}`;
  const isThisCheck = (e: KeyedEvent) =>
    e.key === ownKey ||
    (e.key === claimKey && e.detail?.terminalId === check.terminalId && e.detail?.checkId === check.id);
  // A lost claim means another upload (or a copy of this one) just took it, and a second read says which;
  // a third round would mean the trace and its keys disagree, which is a conflict, not a loop.
  for (let round = 0; round < 2; round++) {
    const acceptances = await deps.usage.keyedEndingWith(residentId, `:${codeDigest}`);
    const earlier = acceptances.find(isThisCheck);
    if (earlier) return result('already_recorded', earlier.detail?.replayedElsewhere === true);
    if (acceptances.length > 0) {
      const appended = await trace.recordOnce(event(true), ownKey);
      return result(appended ? 'recorded' : 'already_recorded', true);
    }
    if (await trace.recordOnce(event(false), claimKey)) return result('recorded', false);
  }
  throw new AppError('CONFLICT', 'The usage trace is busy; try again', { retryable: true });
}
