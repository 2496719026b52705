/**
 * The one path every disclosure of a resident's personal data goes through. Implemented by
 * usage.service.ts; card, verify and every later feature call `record` (or a bound `disclosure`) and
 * nothing else.
 */
import type { UsageActor, UsageEvent, UsagePage } from '@eid/shared';

// The actor is on the wire too (docs/api.md `UsageEvent`): its shape lives in shared/src/api/usage.ts.
export type { ActorType, UsageActor } from '@eid/shared';

/**
 * One event to record: what the resident will see of it (the wire `UsageEvent`, docs/api.md) less what
 * the trace assigns (id, seq, time), plus whose trace it joins and the request it came from.
 */
export interface UsageEventInput extends Omit<UsageEvent, 'id' | 'seq' | 'at'> {
  residentId: string;
  requestId?: string;
  /**
   * Epoch ms before which the resident's own views leave the event out (a deferred disclosure, issue 19
   * §4); staff audit views see it from the start. Not covered by the chain hash, so a deferral can be set
   * after the event landed without breaking the chain; the deferral itself is an event of the chain.
   */
  visibleFrom?: number;
}

/** What a request binds once: whose data, who reads it, why, and which request it is. */
export interface DisclosureBinding {
  residentId: string;
  actor: UsageActor;
  purpose: string;
  /** Left out of the events when empty, as the call sites' `...(requestId && { requestId })` did. */
  requestId?: string;
}

/** One event of a bound disclosure: `fields` default to none, `result` to 'ok', `purpose` to the bound one. */
export interface DisclosureEvent {
  action: string;
  fields?: string[];
  result?: UsageEventInput['result'];
  detail?: UsageEventInput['detail'];
  purpose?: string;
  visibleFrom?: number;
}

/** A per-request recorder with the resident, actor, purpose and request id bound once. */
export interface Disclosure {
  /** As `UsageRecorder.record` with the bound parts filled in. */
  record(event: DisclosureEvent): Promise<void>;
  /** As `UsageRecorder.recordOnce` with the bound parts filled in; true when it was appended. */
  recordOnce(event: DisclosureEvent, key: string): Promise<boolean>;
}

export interface UsageRecorder {
  /** Appends one event to the resident's hash-chained usage trace. */
  record(event: UsageEventInput): Promise<void>;
  /**
   * Appends the event unless an event with the same `key` was ever recorded, in any process; true when
   * it was appended. The online verifier's replay cache: the key of an accepted code is its record.
   */
  recordOnce(event: UsageEventInput, key: string): Promise<boolean>;
  /**
   * Binds the parts every event of one request shares.
   * @example
   * const trace = usage.disclosure({ residentId, actor: residentActor(residentId), purpose: 'card', requestId });
   * await trace.record({ action: 'card.read', fields: FACE_FIELDS });
   */
  disclosure(bound: DisclosureBinding): Disclosure;
}

/** Reads one resident's trace back, newest first: what another module may show of it (the moving service). */
export interface UsageReader {
  list(q: { residentId: string; limit: number; before?: number }): Promise<UsagePage>;
}

/**
 * Holds back (or lets out) a resident's events from their own views: the deferral of a staff lookup's
 * disclosure (oversight module). Only events whose `detail[key]` equals `value` move.
 */
export interface UsageVisibility {
  /** Sets `visibleFrom` of the resident's events with `detail[key] === value`; how many there were. */
  setVisibleFrom(
    residentId: string,
    match: { key: string; value: string },
    visibleFrom: number,
  ): Promise<number>;
}

/** A `recordOnce` key of a resident's trace and the detail of the event recorded with it. */
export interface KeyedEvent {
  key: string;
  detail?: UsageEvent['detail'];
}

/** Reads back `recordOnce` keys: the offline upload finds every acceptance of one code with it. */
export interface UsageKeyLookup {
  /**
   * The events of the resident's trace whose `recordOnce` key ends with `suffix` (the keys of accepted
   * codes end with the code's digest, online and offline alike).
   */
  keyedEndingWith(residentId: string, suffix: string): Promise<KeyedEvent[]>;
}

/** One group of counted events: no resident, no actor name, only what the dashboard draws. */
export interface UsageCountRow {
  action: string;
  result: string;
  purpose: string;
  /** Start of the hour (epoch ms). */
  hour: number;
  /** The acting window's province when it is another node's ('42'), else null (this node's own). */
  province: string | null;
  count: number;
}

/** Counts events across every trace (the dashboard, issue 19 §2). */
export interface UsageCounter {
  /** Events of `actions` recorded in [from, to), grouped by action, result, purpose, hour and province. */
  countEvents(q: { actions: string[]; from: number; to: number }): Promise<UsageCountRow[]>;
}

/** The resident reading their own data, as their trace shows it: 本人 (oneself). */
export function residentActor(residentId: string): UsageActor {
  return { type: 'resident', id: residentId, displayName: '本人' };
}

/** A system of ours or of the state (the registry, the face service) acting on a resident's data. */
export function systemActor(id: string, displayName: string): UsageActor {
  return { type: 'system', id, displayName };
}

/** What an auditor sees of one event (docs/admin.md "Audit"): its metadata and hash, never a value. */
export interface AuditEventView extends UsageEvent {
  /** The resident's opaque reference: the id of their chain, not a personal value. */
  residentRef: string;
  requestId?: string;
  hash: string;
}

/** A search across residents' traces, newest first by (at, id); every part optional. */
export interface UsageAuditFilter {
  residentIds?: string[];
  actor?: { type: UsageActor['type']; id: string };
  purpose?: string;
  /** Epoch ms, inclusive. */
  from?: number;
  to?: number;
  /** Continues after this event (the last of the previous page). */
  before?: { at: number; id: string };
  limit: number;
}

/** The head of one resident's chain as the heads collection holds it. */
export interface UsageChainHead {
  residentId: string;
  seq: number;
  hash: string;
}

/** One chain walked: its intact length, the hash of its last intact link, the first broken link. */
export interface UsageChainCheck {
  /** False when the resident has neither events nor a head. */
  exists: boolean;
  length: number;
  head: string | null;
  headSeq?: number;
  broken: {
    seq: number;
    problem: 'seq_gap' | 'prev_hash_mismatch' | 'hash_mismatch' | 'truncated';
    detail: string;
  } | null;
}

/** The audit module's reads of the usage traces (usage/search.ts); app.ts passes it in. */
export interface UsageAuditReader {
  search(filter: UsageAuditFilter): Promise<AuditEventView[]>;
  /** The same events one by one, for exports. */
  stream(filter: UsageAuditFilter): AsyncIterable<AuditEventView>;
  verify(residentId: string): Promise<UsageChainCheck>;
  /** The stored hash of the link at `seq`, or null when there is none. */
  linkAt(residentId: string, seq: number): Promise<{ hash: string } | null>;
  /** Every chain's head, by resident id. */
  heads(): Promise<UsageChainHead[]>;
}
