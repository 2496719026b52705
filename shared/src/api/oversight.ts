/**
 * Wire shapes of the oversight module (issue 19 §4): staff looking a resident up by ID number, revealing a
 * field, deferring the disclosure, and the resident questioning an access (docs/api.md "Resident lookup
 * and accountability").
 */
import type { EnrollmentState } from './enrollment';
import type { UsageActor } from './usage';

/** Why the law lets staff look: a case (its number required), a service at the window, a complaint. */
export type LegalBasisKind = 'case' | 'service' | 'complaint';

export interface LegalBasis {
  kind: LegalBasisKind;
  /** Required when `kind` is 'case'. */
  caseNumber?: string;
}

/** Body of `POST /api/v1/admin/lookups`. */
export interface LookupRequest {
  idNumber: string;
  /** 4 to 200 characters. */
  reason: string;
  legalBasis: LegalBasis;
  /** Holds the disclosure back (OVERSIGHT_DEFER_HOLD_S) until a supervisor defers it or the hold ends. */
  deferralRequested?: boolean;
}

/** The fields a lookup may reveal in full, one reasoned request each. */
export type RevealField = 'name' | 'idNumber' | 'address';
export const REVEAL_FIELDS: readonly RevealField[] = ['name', 'idNumber', 'address'];

/** Answer of `POST /api/v1/admin/lookups`: masked data only, never a portrait. */
export interface LookupResult {
  lookupId: string;
  /** Epoch ms after which the lookup reveals nothing more. */
  revealUntil: number;
  resident: {
    /** e.g. 张*三. */
    name: string;
    /** e.g. 3701**********1234. */
    idNumber: string;
    enrollment: EnrollmentState;
    card: { id: string; status: 'active' | 'suspended' } | null;
  };
  /** Epoch ms before which the resident's trace does not show this lookup; absent: shown at once. */
  hiddenUntil?: number;
}

/** Body of `POST /api/v1/admin/lookups/:id/reveal`. */
export interface RevealRequest {
  field: RevealField;
  reason: string;
}

export interface RevealResult {
  field: RevealField;
  value: string;
}

/** Body of `POST /api/v1/admin/lookups/:id/deferral`. */
export interface DeferralRequest {
  /** Seconds from now; at most OVERSIGHT_MAX_DEFER_S. */
  seconds: number;
  reason: string;
}

export interface DeferralResult {
  lookupId: string;
  /** Epoch ms at which the lookup's records show in the resident's trace. */
  until: number;
  /** How many records of the trace were held back. */
  records: number;
}

export type NoticeKind = 'deferred_access_shown' | 'question_answered';

/** One notice to a resident (`GET /api/v1/notices`), Chinese first. */
export interface Notice {
  id: string;
  kind: NoticeKind;
  /** Epoch ms. */
  at: number;
  title: { zh: string; en: string };
  body: { zh: string; en: string };
  /** Epoch ms of the access it is about (a deferred lookup). */
  accessAt?: number;
  /** The question it is about (an answer). */
  questionId?: string;
}

export type QuestionFinding = 'justified' | 'not_justified' | 'referred';

/** What an auditor may see of the questioned access: its metadata, never a field's value. */
export interface QuestionedAccess {
  eventId: string;
  at: number;
  actor: UsageActor;
  action: string;
  /** Names of the fields, not their values. */
  fields: string[];
  purpose: string;
  detail?: Record<string, string | number | boolean>;
}

/** A resident's question about one access, and its answer once given. */
export interface Question {
  id: string;
  /** Epoch ms. */
  at: number;
  status: 'open' | 'answered';
  text: string;
  access: QuestionedAccess;
  answer?: { at: number; text: string; finding: QuestionFinding };
}

/** Body of `POST /api/v1/admin/questions/:id/answer`. */
export interface AnswerRequest {
  text: string;
  finding: QuestionFinding;
}
