import type { Connection, mongo } from 'mongoose';
import { codeUseModel, type CodeUseDoc } from './verify.model';

const DUPLICATE_KEY = 11000;

/** One acceptance to record in the replay cache. */
export interface CodeUse {
  verifierId: string;
  /** Digest of the code. */
  digest: string;
  /** Epoch ms after which the code can no longer be valid, so the entry may go. */
  expiresAt: number;
  /** Epoch ms of the check. */
  now: number;
}

interface WriteErrorLike {
  index: number;
  code?: number;
  errmsg?: string;
}

/** The per-statement errors of a failed bulk insert, or null when the whole command failed. */
function writeErrorsOf(err: unknown): WriteErrorLike[] | null {
  const list = (err as { writeErrors?: WriteErrorLike | WriteErrorLike[] }).writeErrors;
  if (list === undefined) return null;
  return ([] as WriteErrorLike[]).concat(list);
}

/** The shared replay cache of the online verifier. */
export function createVerifyRepository(db: Connection) {
  const model = codeUseModel(db);
  // The hot path writes through the driver: the documents are built here, a per-document cast adds nothing.
  const uses = model.collection as unknown as mongo.Collection<CodeUseDoc>;
  let ready: Promise<unknown> | undefined;
  const indexes = () => (ready ??= model.init());

  /** Revives an entry past its expiry that the TTL monitor (once a minute) has not swept yet. */
  async function reviveExpired(use: CodeUse): Promise<boolean> {
    const res = await uses.updateOne(
      { _id: `${use.verifierId}:${use.digest}`, expiresAt: { $lte: new Date(use.now) } },
      { $set: { expiresAt: new Date(use.expiresAt) } },
    );
    return res.modifiedCount > 0;
  }

  return {
    /**
     * Records each acceptance; true where it is the first, false where the verifier had accepted that
     * code already, an Error where that one write failed. One unordered insert for all: the unique
     * `_id` decides between entries of this batch, concurrent batches and other processes, and a
     * duplicate key only fails its own entry.
     */
    async firstUseMany(batch: CodeUse[]): Promise<(boolean | Error)[]> {
      await indexes();
      const results: (boolean | Error)[] = batch.map(() => true);
      const docs = batch.map((u) => ({
        _id: `${u.verifierId}:${u.digest}`,
        expiresAt: new Date(u.expiresAt),
      }));
      try {
        await uses.insertMany(docs, { ordered: false });
        return results;
      } catch (err) {
        const writeErrors = writeErrorsOf(err);
        if (!writeErrors) throw err;
        const revivals: Promise<void>[] = [];
        for (const w of writeErrors) {
          const use = batch[w.index]!;
          if (w.code !== DUPLICATE_KEY) {
            results[w.index] = new Error(`replay cache write failed (code ${w.code ?? 'unknown'})`);
            continue;
          }
          revivals.push(
            reviveExpired(use).then(
              (revived) => void (results[w.index] = revived),
              (e: unknown) => void (results[w.index] = e instanceof Error ? e : new Error(String(e))),
            ),
          );
        }
        await Promise.all(revivals);
        return results;
      }
    },

    /** Records one acceptance; false when `verifierId` had accepted the code already. */
    async firstUse(verifierId: string, digest: string, expiresAt: number, now: number): Promise<boolean> {
      const [result] = await this.firstUseMany([{ verifierId, digest, expiresAt, now }]);
      if (result instanceof Error) throw result;
      return result!;
    },
  };
}

export type VerifyRepository = ReturnType<typeof createVerifyRepository>;
