/**
 * Read views: how one reader sees one collection. Plain reads see the committed state; a transaction
 * sees its snapshot with its own writes on top (see transactions.ts).
 */
import type { Doc } from '../values';
import type { Collection } from './collection';

/** Reads of one collection as seen by one reader. */
export interface ReadView {
  get(idKey: string): Doc | undefined;
  /** Every document that may match `filter` (a superset), in natural order where it can. */
  candidates(filter: Doc): Iterable<Doc>;
  /** Every document, in natural order. */
  all(): Iterable<Doc>;
}

/** The view of a collection that does not exist. */
export const EMPTY_VIEW: ReadView = { get: () => undefined, candidates: () => [], all: () => [] };

/** What a reader outside any transaction sees: the committed state, through the indexes. */
export function committedView(coll: Collection | undefined): ReadView {
  if (!coll) return EMPTY_VIEW;
  return {
    get: (idKey) => coll.docs.get(idKey),
    candidates: (filter) => {
      const ids = coll.plan(filter);
      if (!ids) return coll.docs.values();
      const docs: Doc[] = [];
      for (const id of ids) {
        const d = coll.docs.get(id);
        if (d) docs.push(d);
      }
      return docs;
    },
    all: () => coll.docs.values(),
  };
}
