/**
 * What other modules (and app.ts) may use of the oversight module: staff lookups of residents by ID
 * number, reveals, deferred disclosure, notices to residents and residents' questions about an access
 * (issue 19 §4, docs/admin.md "Resident lookup and accountability"). Implemented by oversight.service.ts.
 */
import type {
  DeferralRequest,
  DeferralResult,
  LookupRequest,
  LookupResult,
  Notice,
  Question,
  QuestionFinding,
  RevealRequest,
  RevealResult,
} from '@eid/shared';

/** The staff member acting, as the staff module's profile gives it; `badge` once accounts carry one. */
export interface StaffDesk {
  id: string;
  displayName: string;
  org: string;
  window?: { id: string; name: string };
  badge?: string;
}

/** Who is calling, from the verified staff token. */
export interface StaffCaller {
  id: string;
  requestId?: string;
}

/** An auditor's view of a question: the resident's question and the access's metadata, no field values. */
export interface AuditQuestion extends Question {
  residentId: string;
}

export interface OversightService {
  /** Finds a resident by ID number (blind index only) and answers masked data; NOT_FOUND when unknown. */
  lookup(caller: StaffCaller, input: LookupRequest): Promise<LookupResult>;
  /** One field in full, by the officer who made the lookup, within OVERSIGHT_REVEAL_WINDOW_S of it. */
  reveal(caller: StaffCaller, lookupId: string, input: RevealRequest): Promise<RevealResult>;
  /** Holds a lookup's records out of the resident's trace until a bounded time; never one's own lookup. */
  defer(caller: StaffCaller, lookupId: string, input: DeferralRequest): Promise<DeferralResult>;
  /** The resident's notices, newest first; a deferral whose period ended becomes one first. */
  notices(residentId: string): Promise<Notice[]>;
  /** Opens a question about a staff access of the resident's own trace. */
  ask(residentId: string, eventId: string, text: string): Promise<Question>;
  /** The resident's own questions, newest first, with their answers. */
  questionsOf(residentId: string): Promise<Question[]>;
  /** Questions for auditors, oldest first (open ones by default). */
  questionsFor(status: Question['status'], limit: number): Promise<AuditQuestion[]>;
  /** An auditor's answer; the resident sees it and is notified. */
  answer(
    caller: StaffCaller,
    questionId: string,
    input: { text: string; finding: QuestionFinding },
  ): Promise<AuditQuestion>;
}
