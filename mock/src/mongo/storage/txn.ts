/**
 * A multi-document transaction's private state: the snapshot it reads at, its uncommitted writes (an
 * overlay over the committed collections, with its own unique-key map) and the locks it holds. Nothing
 * here is visible to other sessions until the engine commits it.
 */
import type { Doc } from '../values';
import type { Collection } from './collection';
import type { Index } from './indexes';

/** A transaction's writes to one collection. */
export interface TxnWrites {
  /** Final version of each written document by id key; null marks a delete. */
  docs: Map<string, Doc | null>;
  /** Unique keys held by the overlay's documents: index -> key -> id key. */
  uniq: Map<Index, Map<string, string>>;
}

export type TxnState = 'active' | 'committed' | 'aborted';

/** One transaction of one session. */
export class Txn {
  readonly writes = new Map<Collection, TxnWrites>();
  /** Lock names this transaction holds in the engine's lock table. */
  readonly locks = new Set<string>();
  state: TxnState = 'active';
  /** Why the server aborted it, for the NoSuchTransaction message of the next command. */
  abortReason = '';
  /** Resolves when the transaction commits or aborts, so writes waiting on its locks may retry. */
  readonly ended: Promise<void>;
  private resolveEnded!: () => void;

  constructor(
    /** The engine sequence number whose state this transaction reads. */
    readonly snapshot: number,
    /** When it started (clock ms), for MongoDB's 60 s transaction lifetime limit. */
    readonly startedAt: number,
  ) {
    this.ended = new Promise((resolve) => (this.resolveEnded = resolve));
  }

  writesTo(coll: Collection): TxnWrites {
    let w = this.writes.get(coll);
    if (!w) this.writes.set(coll, (w = { docs: new Map(), uniq: new Map() }));
    return w;
  }

  /** Marks the transaction finished and wakes writers waiting on its locks. */
  finish(state: 'committed' | 'aborted'): void {
    this.state = state;
    this.resolveEnded();
  }
}
