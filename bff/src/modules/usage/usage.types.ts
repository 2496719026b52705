/**
 * The one path every disclosure of a resident's personal data goes through. Implemented by
 * usage.service.ts; card, verify and every later feature call `record` and nothing else.
 */
import type { UsageActor } from '@eid/shared';

// The actor is on the wire too (docs/api.md `UsageEvent`): its shape lives in shared/src/api/usage.ts.
export type { ActorType, UsageActor } from '@eid/shared';

export interface UsageEventInput {
  residentId: string;
  actor: UsageActor;
  /** e.g. 'card.read', 'card.reveal', 'card.verify', 'identity.real_name', 'portrait.read'. */
  action: string;
  /** Names of the fields disclosed, e.g. ['name', 'birthDate']; empty when nothing was disclosed. */
  fields: string[];
  /** A purpose code from the published list, or an internal one such as 'enrollment'. */
  purpose: string;
  result: 'ok' | 'denied' | 'failed';
  /** Small non-personal facts: a verdict, a terminal id. */
  detail?: Record<string, string | number | boolean>;
  requestId?: string;
}

export interface UsageRecorder {
  /** Appends one event to the resident's hash-chained usage trace. */
  record(event: UsageEventInput): Promise<void>;
  /**
   * Appends the event unless an event with the same `key` was ever recorded, in any process; true when
   * it was appended. The online verifier's replay cache: the key of an accepted code is its record.
   */
  recordOnce(event: UsageEventInput, key: string): Promise<boolean>;
}
