/** Wire shapes of the usage module (`/api/v1/usage`; docs/api.md "Usage trace"). */

export type ActorType = 'resident' | 'staff' | 'third_party' | 'system';

/** Who saw a resident's data. */
export interface UsageActor {
  type: ActorType;
  /** Staff id, third-party client id, the resident's own id, or a system job name. */
  id: string;
  /** What the resident sees: an office or company name, never another person's full name. */
  displayName: string;
  org?: string;
}

export type UsageResult = 'ok' | 'denied' | 'failed';

/** What a resident sees of one event: no hashes, no request ids (docs/api.md `UsageEvent`). */
export interface UsageEvent {
  id: string;
  seq: number;
  /** Epoch ms. */
  at: number;
  actor: UsageActor;
  /** e.g. 'card.read', 'card.reveal', 'card.verify', 'identity.real_name', 'portrait.read'. */
  action: string;
  /** Names of the fields disclosed; empty when nothing was disclosed. */
  fields: string[];
  /** A purpose code from the published list, or an internal one such as 'enrollment'. */
  purpose: string;
  result: UsageResult;
  /** Small non-personal facts: a verdict, a terminal id. */
  detail?: Record<string, string | number | boolean>;
}

/** Answer of `GET /api/v1/usage`, newest first. */
export interface UsagePage {
  items: UsageEvent[];
  /** The `before` of the next page; null on the last one. */
  nextBefore: number | null;
}

/** Query of `GET /api/v1/usage`; every filter is optional. */
export interface UsageQuery {
  /** 1-100, 20 when absent. */
  limit?: number;
  /** A `seq`: events older than it. */
  before?: number;
  actorType?: ActorType;
  purpose?: string;
  /** Epoch ms. */
  from?: number;
  /** Epoch ms. */
  to?: number;
}
