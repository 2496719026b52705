import type { Connection } from 'mongoose';
import { isDuplicateKey } from '../../infra/mongo-errors';
import { staffModel, type StaffDoc } from './staff.model';

export type StaffRecord = Omit<StaffDoc, '_id'> & { id: string };

const toRecord = ({ _id, ...rest }: StaffDoc): StaffRecord => ({ id: _id, ...rest });

/** Staff accounts. Returns plain objects. */
export function createStaffRepository(db: Connection) {
  const staff = staffModel(db);
  let ready: Promise<unknown> | undefined;
  const indexes = () => (ready ??= staff.init());

  return {
    async byUsername(username: string): Promise<StaffRecord | null> {
      const doc = await staff.findOne({ username }).setOptions({ sanitizeFilter: true }).lean<StaffDoc>();
      return doc ? toRecord(doc) : null;
    },

    async byId(id: string): Promise<StaffRecord | null> {
      const doc = await staff.findById(id).lean<StaffDoc>();
      return doc ? toRecord(doc) : null;
    },

    /** Disables every development account but those named in `except` (all of them when empty); returns how many. */
    async disableDevAccounts({ except = [] }: { except?: readonly string[] }): Promise<number> {
      const filter = {
        dev: true,
        disabled: { $ne: true },
        ...(except.length === 0 ? {} : { username: { $nin: [...except] } }),
      };
      const { modifiedCount } = await staff.updateMany(filter, { $set: { disabled: true } });
      return modifiedCount;
    },

    /** Creates the account, or replaces the hash, role and names of an existing one with that username. */
    async upsert(account: Omit<StaffRecord, 'createdAt'> & { createdAt: number }): Promise<string> {
      await indexes();
      const { id, username, createdAt, ...fields } = account;
      const update = () =>
        staff
          .findOneAndUpdate({ username }, { $set: fields }, { returnDocument: 'after', sanitizeFilter: true })
          .lean<StaffDoc>();
      const existing = await update();
      if (existing) return existing._id;
      try {
        await staff.create([{ _id: id, username, createdAt: new Date(createdAt), ...fields }]);
        return id;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const winner = await update();
        if (!winner) throw err;
        return winner._id;
      }
    },
  };
}

export type StaffRepository = ReturnType<typeof createStaffRepository>;
