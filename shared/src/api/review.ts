/**
 * Wire shapes of the enrolment review queue (issue 19 §3; docs/admin.md "Review queue"): what a supervisor
 * sees of an enrolment automation could not decide. Scores, verdicts and masked registry data only: never
 * the portrait or the capture, never the full name or ID number.
 */
import type { ReviewCause } from './enrollment';

/** One pending review in `GET /api/v1/admin/reviews`. */
export interface ReviewItem {
  id: string;
  /** Epoch ms. */
  openedAt: number;
  causes: ReviewCause[];
  face: {
    /** 0..1, the face service's comparison of the capture with the registry portrait. */
    similarity: number;
    liveness: 'pass' | 'fail';
    /** The pass mark (FACE_MIN_SIMILARITY) and the bottom of the review band when the check ran. */
    passMark: number;
    reviewFrom: number;
  };
  registry: {
    /** What the registry flagged about the record, e.g. `portrait_poor_quality`; empty when nothing. */
    flags: string[];
    /** The surname and a `*` per other character. */
    nameMasked: string;
    idNumberMasked: string;
    sex: 'M' | 'F';
    issuingAuthority: string;
    validUntil: string;
  };
}

/** Answer of `GET /api/v1/admin/reviews`: pending reviews, oldest first. */
export interface ReviewList {
  items: ReviewItem[];
}

/** Body of `POST /api/v1/admin/reviews/:id/approve|reject`. */
export interface ReviewDecisionRequest {
  /** 4 to 200 characters; a rejection's reason is shown to the resident as written. */
  reason: string;
}

/** Answer of a decision. */
export interface ReviewDecision {
  id: string;
  status: 'approved' | 'rejected';
  /** Epoch ms. */
  decidedAt: number;
}
