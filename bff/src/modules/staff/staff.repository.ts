import type { Connection } from 'mongoose';
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

    /** Creates the account, or replaces the hash, role and names of an existing one with that username. */
    async upsert(account: Omit<StaffRecord, 'createdAt'> & { createdAt: number }): Promise<string> {
      await indexes();
      const { id, username, createdAt, ...fields } = account;
      const doc = await staff
        .findOneAndUpdate(
          { username },
          { $set: fields, $setOnInsert: { _id: id, createdAt: new Date(createdAt) } },
          { upsert: true, new: true, sanitizeFilter: true },
        )
        .lean<StaffDoc>();
      return doc!._id;
    },
  };
}

export type StaffRepository = ReturnType<typeof createStaffRepository>;
