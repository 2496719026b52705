import type { Connection } from 'mongoose';
import { codeUseModel } from './verify.model';

const isDuplicateKey = (err: unknown) => (err as { code?: number }).code === 11000;

/** The shared replay cache of the online verifier. */
export function createVerifyRepository(db: Connection) {
  const uses = codeUseModel(db);
  let ready: Promise<unknown> | undefined;
  const indexes = () => (ready ??= uses.init());

  return {
    /**
     * Records that `verifierId` accepted the code with `digest`; false when it had already. The unique
     * `_id` decides between concurrent requests and processes. An entry past its expiry that the TTL
     * monitor has not swept yet (it runs once a minute) counts as gone.
     */
    async firstUse(verifierId: string, digest: string, expiresAt: number, now: number): Promise<boolean> {
      await indexes();
      const _id = `${verifierId}:${digest}`;
      try {
        await uses.create({ _id, expiresAt: new Date(expiresAt) });
        return true;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      const res = await uses.updateOne(
        { _id, expiresAt: { $lte: new Date(now) } },
        { $set: { expiresAt: new Date(expiresAt) } },
      );
      return res.modifiedCount > 0;
    },
  };
}

export type VerifyRepository = ReturnType<typeof createVerifyRepository>;
