import type { Connection } from 'mongoose';
import type { FederationKey, FederationKeyStatus } from '@eid/shared';
import { isDuplicateKey } from '../infra/mongo-errors';
import type { RegistryKey, Submission, SubmissionState } from './national.types';

/** One entry of the national log: the leaf hash of a signed list's bytes, by its index. */
interface LeafDoc {
  _id: number;
  /** base64 RFC 6962 leaf hash. */
  hash: string;
  sequence: number;
}

/** A list signed for publication; `checkpoint` is set once enough witnesses cosigned its tree. */
export interface PublicationRecord {
  sequence: number;
  /** Canonical JSON of the list, as signed by the national root. */
  list: string;
  kid: string;
  signature: string;
  leafIndex: number;
  issuedAt: number;
  expiresAt: number;
  /** The registry revision the list was built from (a later one means the registry changed since). */
  revision: number;
  /** The cosigned checkpoint note of the tree of `leafIndex + 1` leaves; absent while not published. */
  checkpoint?: string;
  published: boolean;
  cosignatures: number;
  attemptedAt: number;
}

/** A witness's last cosigned tree, as the national saw it answer. */
export interface WitnessRecordDoc {
  province: string;
  size: number;
  /** base64 */
  rootHash: string;
  at: number;
}

type KeyDoc = Omit<RegistryKey, 'kid'> & { _id: string };
type SubmissionDoc = Omit<Submission, 'id'> & { _id: string };
type PublicationDoc = Omit<PublicationRecord, 'sequence'> & { _id: number };
type WitnessDoc = Omit<WitnessRecordDoc, 'province'> & { _id: string };
interface MetaDoc {
  _id: 'registry';
  revision: number;
}

const keyOf = ({ _id, ...rest }: KeyDoc): RegistryKey => ({ kid: _id, ...rest });
const submissionOf = ({ _id, ...rest }: SubmissionDoc): Submission => ({ id: _id, ...rest });
const publicationOf = ({ _id, ...rest }: PublicationDoc): PublicationRecord => ({ sequence: _id, ...rest });

/**
 * The national registry and log: nat_keys (every key ever listed, never deleted, with its history),
 * nat_submissions, nat_publications (by sequence), nat_log_leaves (by index), nat_witnesses (what each
 * witness last cosigned) and nat_meta (the registry's revision). Sequences and leaf indexes are `_id`s, so
 * two writers of the same number cannot both succeed: the log never forks, whatever the lease does.
 */
export function createNationalRepository(db: Connection) {
  const keys = db.collection<KeyDoc>('nat_keys');
  const submissions = db.collection<SubmissionDoc>('nat_submissions');
  const publications = db.collection<PublicationDoc>('nat_publications');
  const leaves = db.collection<LeafDoc>('nat_log_leaves');
  const witnesses = db.collection<WitnessDoc>('nat_witnesses');
  const meta = db.collection<MetaDoc>('nat_meta');
  let ready: Promise<unknown> | undefined;
  const indexes = () =>
    (ready ??= Promise.all([
      keys.createIndex({ publicKey: 1 }, { unique: true }),
      submissions.createIndex({ state: 1, submittedAt: 1 }),
      publications.createIndex({ published: 1, _id: -1 }),
    ]));

  const bump = () => meta.updateOne({ _id: 'registry' }, { $inc: { revision: 1 } }, { upsert: true });

  return {
    ensureIndexes: () => indexes(),

    async revision(): Promise<number> {
      return (await meta.findOne({ _id: 'registry' }))?.revision ?? 0;
    },

    async keys(): Promise<RegistryKey[]> {
      return (await keys.find({}).sort({ province: 1, _id: 1 }).toArray()).map(keyOf);
    },

    async key(kid: string): Promise<RegistryKey | undefined> {
      const doc = await keys.findOne({ _id: kid });
      return doc ? keyOf(doc) : undefined;
    },

    /** True when a key of that id or those bytes is registered (any status: ids and keys are never reused). */
    async keyTaken(kid: string, publicKey: string): Promise<boolean> {
      return (await keys.countDocuments({ $or: [{ _id: kid }, { publicKey }] }, { limit: 1 })) > 0;
    },

    /** Inserts keys that are not registered yet (by id); answers how many were new. */
    async enrol(entries: RegistryKey[]): Promise<number> {
      await indexes();
      let added = 0;
      for (const { kid, ...rest } of entries) {
        try {
          const res = await keys.updateOne({ _id: kid }, { $setOnInsert: rest }, { upsert: true });
          added += res.upsertedCount;
        } catch (err) {
          // Another process enrolled it at the same moment (or the same bytes under another id: kept as is).
          if (!isDuplicateKey(err)) throw err;
        }
      }
      if (added > 0) await bump();
      return added;
    },

    /** Inserts approved keys; false (nothing written) when one of them collides with a registered key. */
    async addKeys(entries: RegistryKey[]): Promise<boolean> {
      await indexes();
      try {
        await keys.insertMany(
          entries.map(({ kid, ...rest }) => ({ _id: kid, ...rest })),
          { ordered: true },
        );
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        // Ordered: what landed before the collision goes again, so an approval is all or nothing.
        await keys.deleteMany({ _id: { $in: entries.map((e) => e.kid) }, source: entries[0]!.source });
        return false;
      }
      await bump();
      return true;
    },

    /**
     * Moves a key from one of `from` to `status`, appending `entry` to its history; answers the key as it is
     * now, or undefined when it was not in one of `from` (another operator was first, or it is gone that far).
     */
    async changeStatus(
      kid: string,
      from: FederationKeyStatus[],
      status: FederationKeyStatus,
      entry: FederationKey['history'][number],
      set: Partial<Pick<FederationKey, 'notAfter'>> = {},
    ): Promise<RegistryKey | undefined> {
      const doc = await keys.findOneAndUpdate(
        { _id: kid, status: { $in: from } },
        { $set: { status, ...set }, $push: { history: entry } },
        { returnDocument: 'after' },
      );
      if (!doc) return undefined;
      await bump();
      return keyOf(doc);
    },

    async addSubmission(submission: Submission): Promise<void> {
      await indexes();
      const { id, ...rest } = submission;
      await submissions.insertOne({ _id: id, ...rest });
    },

    async submission(id: string): Promise<Submission | undefined> {
      const doc = await submissions.findOne({ _id: id });
      return doc ? submissionOf(doc) : undefined;
    },

    async submissions(state?: SubmissionState): Promise<Submission[]> {
      const docs = await submissions
        .find(state ? { state } : {})
        .sort({ submittedAt: 1, _id: 1 })
        .limit(500)
        .toArray();
      return docs.map(submissionOf);
    },

    /** pending -> `state`; undefined when the submission is no longer pending. */
    async decide(
      id: string,
      state: Exclude<SubmissionState, 'pending'>,
      at: number,
      reason?: string,
    ): Promise<Submission | undefined> {
      const doc = await submissions.findOneAndUpdate(
        { _id: id, state: 'pending' },
        { $set: { state, decidedAt: at, ...(reason !== undefined && { reason }) } },
        { returnDocument: 'after' },
      );
      return doc ? submissionOf(doc) : undefined;
    },

    /** Puts a submission back to pending when its keys could not be added after all. */
    async reopen(id: string): Promise<void> {
      await submissions.updateOne(
        { _id: id, state: 'approved' },
        { $set: { state: 'pending' }, $unset: { decidedAt: '' } },
      );
    },

    /** Every leaf hash of the log, in order. */
    async leaves(): Promise<string[]> {
      const docs = await leaves.find({}).sort({ _id: 1 }).toArray();
      docs.forEach((d, i) => {
        if (d._id !== i) throw new Error(`the national log misses leaf ${i}`);
      });
      return docs.map((d) => d.hash);
    },

    /** Appends leaf `index`; false when that index is taken (another writer: never two leaves at one index). */
    async appendLeaf(index: number, hash: string, sequence: number): Promise<boolean> {
      try {
        await leaves.insertOne({ _id: index, hash, sequence });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },

    /** The publication of the highest sequence, published or not. */
    async lastPublication(): Promise<PublicationRecord | undefined> {
      const doc = await publications.find({}).sort({ _id: -1 }).limit(1).next();
      return doc ? publicationOf(doc) : undefined;
    },

    /** The latest publication served (enough cosignatures). */
    async currentPublication(): Promise<PublicationRecord | undefined> {
      const doc = await publications.find({ published: true }).sort({ _id: -1 }).limit(1).next();
      return doc ? publicationOf(doc) : undefined;
    },

    /** Records a signed list under its sequence; false when that sequence exists (another writer was first). */
    async addPublication(p: PublicationRecord): Promise<boolean> {
      await indexes();
      const { sequence, ...rest } = p;
      try {
        await publications.insertOne({ _id: sequence, ...rest });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },

    /** Removes a claimed sequence whose leaf never made it into the log (so it was never served). */
    async dropPublication(sequence: number): Promise<void> {
      await publications.deleteOne({ _id: sequence, published: false });
    },

    async markPublished(sequence: number, checkpoint: string, cosignatures: number): Promise<void> {
      await publications.updateOne(
        { _id: sequence },
        { $set: { published: true, checkpoint, cosignatures } },
      );
    },

    async markNotPublished(sequence: number, cosignatures: number): Promise<void> {
      await publications.updateOne({ _id: sequence }, { $set: { cosignatures } });
    },

    async witnessRecords(): Promise<Map<string, WitnessRecordDoc>> {
      const docs = await witnesses.find({}).toArray();
      return new Map(docs.map(({ _id, ...rest }) => [_id, { province: _id, ...rest }]));
    },

    /** Records what a witness cosigned; never moves its record back to a smaller tree. */
    async recordWitness(record: WitnessRecordDoc): Promise<void> {
      const { province, ...rest } = record;
      try {
        await witnesses.updateOne(
          { _id: province, size: { $lt: rest.size } },
          { $set: rest },
          { upsert: true },
        );
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    },
  };
}

export type NationalRepository = ReturnType<typeof createNationalRepository>;
