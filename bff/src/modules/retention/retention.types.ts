/**
 * The retention sweep (docs/data-inventory.md): what has a period is deleted when it ends. Implemented by
 * retention.service.ts; app.ts builds it and background.ts starts its timer.
 */

/** How many records one rule deleted in one sweep. */
export interface RetentionRuleResult {
  rule: string;
  collection: string;
  deleted: number;
}

export interface RetentionService {
  /** Runs every rule once at the injected clock's now; what each deleted. */
  sweep(): Promise<RetentionRuleResult[]>;
  /** Runs `sweep` every `intervalMs`; the returned function stops it and waits for a run in flight. */
  startSweeps(intervalMs: number): () => Promise<void>;
}

/** The periods, in days, as configured (bff/src/config.ts RETENTION_*). */
export interface RetentionPeriods {
  RETENTION_USAGE_DAYS: number;
  RETENTION_CONSENT_DAYS: number;
  RETENTION_DOCUMENT_CALL_DAYS: number;
  RETENTION_REVIEW_DAYS: number;
  RETENTION_DEAD_LETTER_DAYS: number;
  RETENTION_CARD_DAYS: number;
}
