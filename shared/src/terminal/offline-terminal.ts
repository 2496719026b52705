import { AppError } from '../errors';
import { base64urlDecode, base64urlEncode, CborShapeError } from '../encoding';
import { randomBytes, tweetnaclEd25519, type Ed25519, type Sha256 } from '../crypto';
import { agePredicates, parseAnyCode } from '../card';
import type { StatusListAnswer, TrustListAnswer } from '../api/card';
import type { OfflineCheck } from '../api/verify';
import { CODE_CLAIM_FIELDS, discloseFields, findPurpose, type CardField } from '../purposes/purposes';
import { openStatusList, type StatusList } from '../status/status-list';
import { openTrustList, type TrustList } from '../trust/trust-list';
import {
  createCredentialCache,
  verifyCode,
  withVerdict,
  type Clock,
  type VerifyResult,
  type Verdict,
} from '../verifier/verifier';
import { createOfflineQueue, queueFull, type OfflineQueue } from './queue';
import { createReplayMemory, type ReplayMemory } from './replay-memory';
import type { TerminalStore } from './store';

const TRUST_KEY = 'lists.trust';
const statusKey = (kid: string) => `lists.status.${kid}`;

/** What a terminal downloads while online: the BFF's answers as they came, and when it fetched them. */
export interface OfflineLists {
  /** `GET /api/v1/trust-list`. */
  trustList: TrustListAnswer;
  /** `GET /api/v1/status-lists/:kid`, one per issuer key of the trust list it has. */
  statusLists: StatusListAnswer[];
  /** Epoch ms of the terminal's clock when it fetched them. */
  fetchedAt: number;
}

/** The verdict of one offline check, for the staff page. */
export interface OfflineVerdict {
  verdict: Verdict;
  offline: true;
  /** Epoch ms of the terminal's clock. */
  checkedAt: number;
  /**
   * How old the status data behind the verdict is (now minus the status list's issue time), in ms; null
   * when the terminal has no status list for this card's issuer (or none at all).
   */
  statusAgeMs: number | null;
  /**
   * Only for `valid`: the fields the code disclosed that the purpose allows (no network); the age
   * predicates as booleans, the rest as text.
   */
  fields: Partial<Record<CardField, string | boolean>>;
  /** The purpose the (v2) code was made for, when it names a published one; may differ from the check's. */
  codePurpose?: string;
  /** Set once the issuer's signature verified. */
  issuer?: { kid: string; province: string };
  /** The check as queued for upload; null when the code names no card (nothing to record). */
  check: OfflineCheck | null;
}

export interface OfflineTerminalOptions {
  store: TerminalStore;
  clock: Clock;
  /**
   * The trust root public key this terminal pins (raw 32 bytes; the BFF prints it at boot,
   * docs/formats/trust-list.md): a trust list that does not verify under it is never used.
   */
  trustRootPublicKey: Uint8Array;
  /**
   * Oldest status list that still decides a verdict; by default the `maxStatusAgeMs` the BFF publishes
   * with the trust list, and never more than it.
   */
  maxStatusAgeMs?: number;
  /** Defaults to tweetnacl (the mini-program); Node passes its node:crypto implementation. */
  ed25519?: Ed25519;
  sha256?: Sha256;
  /** The queue and replay memory to use; by default built over `store`. Pass the queue the uploader uses. */
  queue?: OfflineQueue;
  replay?: ReplayMemory;
}

export interface OfflineTerminal {
  /** The queue of checks waiting for upload (the same one `check` adds to). */
  readonly queue: OfflineQueue;
  /**
   * Verifies and keeps freshly downloaded lists. Throws OFFLINE_LISTS_INVALID (details.reason
   * `trust_list`, `status_list` or `older_trust_list`) and keeps the previous lists when they do not
   * verify or the trust list is older than the one kept; a status list older than the kept one of the
   * same issuer is ignored.
   */
  saveLists(lists: OfflineLists): Promise<void>;
  /** ms since the kept lists were fetched; null when nothing is kept. */
  listsAge(): Promise<number | null>;
  /**
   * Checks a code for a purpose without the network and queues the check. Throws PURPOSE_UNKNOWN for a
   * purpose not on the list and OFFLINE_QUEUE_FULL (before verifying) when the queue is full.
   */
  check(code: string, purpose: string, terminalId: string): Promise<OfflineVerdict>;
}

interface KeptTrust {
  answer: TrustListAnswer;
  fetchedAt: number;
  kids: string[];
}

interface Opened {
  /** The raw values the lists were opened from: unchanged values need no second signature check. */
  raw: string;
  trustList: TrustList;
  statusLists: Map<string, StatusList>;
  maxStatusAgeMs: number;
  fetchedAt: number;
}

/** The card fields a v1 bright code carries (a v2 code carries what it disclosed: `VerifyResult.disclosed`). */
export const CODE_FIELDS: readonly CardField[] = ['name', 'sex', 'birthDate', 'idNumberMasked'];

const SEX: Partial<Record<number, string>> = { 1: 'M', 2: 'F' };

/**
 * The card fields a code proved, named and written as the online verifier writes them (the age predicates
 * stay booleans). Only what the code carried is here: a v2 code's undisclosed claims stay absent. A v1 code
 * carries no predicates but its whole signed birth date, so its predicates are those of that date at `at`,
 * as the BFF answers them for a v1 code.
 */
function fieldsOfClaims(result: VerifyResult, at: number): Partial<Record<CardField, string | boolean>> {
  const claims = result.claims!;
  const face: Partial<Record<CardField, string | boolean>> = {};
  if (result.format === 1 && claims.birthDate !== undefined) {
    const { nextChangeAt: _next, ...ages } = agePredicates(claims.birthDate, at);
    Object.assign(face, ages);
  }
  for (const field of CODE_CLAIM_FIELDS) {
    const value = field === 'sex' ? (claims.sex === undefined ? undefined : SEX[claims.sex]) : claims[field];
    if (value !== undefined) face[field] = value;
  }
  return face;
}

function invalid(reason: 'trust_list' | 'status_list' | 'older_trust_list'): AppError {
  return new AppError(
    'OFFLINE_LISTS_INVALID',
    '下载的核验数据未通过校验，仍使用原有数据 (The downloaded lists do not verify; the previous ones are kept)',
    { reason },
  );
}

function parseJson<T>(text: string | null): T | null {
  if (text === null) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

/**
 * The staff terminal's offline verifier: the shared `verifyCode` over the trust list and status lists
 * it kept from its last time online, its durable replay memory, minimum disclosure from the code's own
 * claims, and a durable queue of every check for the BFF to record in the residents' traces later.
 *
 * @example
 * const terminal = createOfflineTerminal({ store, clock, trustRootPublicKey, maxStatusAgeMs: 3_600_000 });
 * await terminal.saveLists({ trustList, statusLists, fetchedAt: clock.now() }); // while online
 * const v = await terminal.check(code, 'hotel_check_in', terminalId);        // offline
 * // v.verdict 'valid', v.fields { name, sex, birthDate, idNumberMasked }, v.statusAgeMs 120000
 */
export function createOfflineTerminal(options: OfflineTerminalOptions): OfflineTerminal {
  const { store, clock, trustRootPublicKey } = options;
  const queue = options.queue ?? createOfflineQueue(store, clock);
  const replay = options.replay ?? createReplayMemory(store, clock);
  // tweetnacl and the portable SHA-256 unless given, as the shared verifier does.
  const ed25519 = options.ed25519 ?? tweetnaclEd25519;
  const cache = createCredentialCache(1000);
  let opened: Opened | undefined;

  function openTrust(answer: TrustListAnswer): TrustList {
    try {
      return openTrustList(base64urlDecode(answer.trustList), trustRootPublicKey, ed25519);
    } catch {
      throw invalid('trust_list');
    }
  }

  function openStatus(answer: StatusListAnswer, trustList: TrustList): StatusList {
    try {
      const list = openStatusList(base64urlDecode(answer.statusList), trustList, ed25519);
      if (list.kid !== answer.kid) throw new CborShapeError('status list kid mismatch');
      return list;
    } catch {
      throw invalid('status_list');
    }
  }

  async function readKept(): Promise<{ trust: KeptTrust; statuses: Map<string, string> } | null> {
    const trust = parseJson<KeptTrust>(await store.get(TRUST_KEY));
    if (!trust) return null;
    const statuses = new Map<string, string>();
    for (const kid of trust.kids) {
      const raw = await store.get(statusKey(kid));
      if (raw !== null) statuses.set(kid, raw);
    }
    return { trust, statuses };
  }

  /** The kept lists, opened; re-opened only when the store holds other values than last time. */
  async function lists(): Promise<Opened | null> {
    const kept = await readKept();
    if (!kept) return null;
    const raw = JSON.stringify([kept.trust, [...kept.statuses]]);
    if (opened?.raw === raw) return opened;
    // The store may have been changed behind the terminal's back: verified again before any use.
    let trustList: TrustList;
    try {
      trustList = openTrust(kept.trust.answer);
    } catch {
      return null;
    }
    const statusLists = new Map<string, StatusList>();
    for (const [kid, text] of kept.statuses) {
      const answer = parseJson<StatusListAnswer>(text);
      if (!answer) continue;
      try {
        statusLists.set(kid, openStatus(answer, trustList));
      } catch {
        // An unreadable list counts as none: its cards get status_unknown.
      }
    }
    const published = kept.trust.answer.maxStatusAgeMs;
    // With neither, status data counts as too old at once: status_unknown rather than a guess.
    const maxStatusAgeMs =
      typeof published === 'number' && published >= 0
        ? Math.min(options.maxStatusAgeMs ?? published, published)
        : (options.maxStatusAgeMs ?? 0);
    opened = { raw, trustList, statusLists, maxStatusAgeMs, fetchedAt: kept.trust.fetchedAt };
    return opened;
  }

  return {
    queue,

    async saveLists({ trustList: trustAnswer, statusLists: statusAnswers, fetchedAt }) {
      const trustList = openTrust(trustAnswer);
      const fresh = new Map(statusAnswers.map((a) => [a.kid, { answer: a, list: openStatus(a, trustList) }]));
      const before = await lists();
      if (before && trustList.sequence < before.trustList.sequence) throw invalid('older_trust_list');
      const kids = [...trustList.issuers.keys()];
      for (const kid of kids) {
        const next = fresh.get(kid);
        const kept = before?.statusLists.get(kid);
        // Never back to an older list: it could show a revoked card as valid again.
        if (!next || (kept && kept.issuedAt > next.list.issuedAt)) continue;
        await store.set(statusKey(kid), JSON.stringify(next.answer));
      }
      const trust: KeptTrust = { answer: trustAnswer, fetchedAt, kids };
      await store.set(TRUST_KEY, JSON.stringify(trust));
    },

    async listsAge() {
      const kept = parseJson<KeptTrust>(await store.get(TRUST_KEY));
      return kept ? Math.max(0, clock.now() - kept.fetchedAt) : null;
    },

    async check(code, purposeCode, terminalId) {
      const purpose = findPurpose(purposeCode);
      if (!purpose) throw new AppError('PURPOSE_UNKNOWN', 'Choose a purpose from the published list');
      // Refused before anything shows: a check the terminal cannot keep would never reach the trace.
      if ((await queue.size()) >= queue.limit) throw queueFull(queue.limit);
      const now = clock.now();
      const kept = await lists();
      const queued = (verdict: Verdict): OfflineCheck => ({
        id: base64urlEncode(randomBytes(16)),
        code,
        purpose: purpose.code,
        terminalId,
        checkedAt: now,
        verdict,
      });

      if (!kept) {
        // Nothing to verify with: the code cannot be judged, but if it names a card the BFF can record it.
        let parses = true;
        try {
          parseAnyCode(code);
        } catch {
          parses = false;
        }
        const check = parses ? queued('status_unknown') : null;
        if (check) await queue.add(check);
        return {
          verdict: parses ? 'status_unknown' : 'malformed',
          offline: true,
          checkedAt: now,
          statusAgeMs: null,
          fields: {},
          check,
        };
      }

      let result = verifyCode(code, {
        trustList: kept.trustList,
        statusLists: kept.statusLists,
        clock: { now: () => now },
        maxStatusAgeMs: kept.maxStatusAgeMs,
        computeCodeDigest: true,
        cache,
        ed25519,
        ...(options.sha256 && { sha256: options.sha256 }),
      });
      if (result.verdict === 'valid' && !(await replay.firstSight(result.codeDigest!, result.codeExpiresAt!)))
        result = withVerdict(result, 'replayed');

      const list = result.kid !== undefined ? kept.statusLists.get(result.kid) : undefined;
      const answer: OfflineVerdict = {
        verdict: result.verdict,
        offline: true,
        checkedAt: now,
        statusAgeMs: list ? Math.max(0, now - list.issuedAt) : null,
        fields:
          result.verdict === 'valid' && result.claims
            ? discloseFields(fieldsOfClaims(result, now), purpose)
            : {},
        check: null,
      };
      if (result.kid && result.province) answer.issuer = { kid: result.kid, province: result.province };
      if (result.purpose !== undefined) answer.codePurpose = result.purpose;
      // A code whose issuer signature holds names a card: its check belongs in the holder's trace.
      if (result.cardId !== undefined) {
        answer.check = queued(result.verdict);
        await queue.add(answer.check);
      }
      return answer;
    },
  };
}
