import type { Connection } from 'mongoose';
import { driverCollection } from '../../infra/collection';
import { isDuplicateKey } from '../../infra/mongo-errors';
import { createStaffSessionRepository } from './session.repository';
import { createSignInFailureRepository } from './sign-in-failure.repository';
import { staffModel, type StaffDoc, type StaffRole, type StaffTotp, type StaffWindow } from './staff.model';

export type StaffRecord = Omit<StaffDoc, '_id'> & { id: string };

const toRecord = ({ _id, ...rest }: StaffDoc): StaffRecord => ({ id: _id, ...rest });

const CONFIRMED = { $exists: true } as const;
const PENDING = { $exists: false } as const;

/**
 * Staff accounts. Returns plain objects. The TOTP writes are single conditional updates, so two requests
 * racing with one code (or one recovery code) cannot both be the one that spent it, whichever BFF
 * process each reached. Staff ids come from verified tokens or the account just read, never from a body.
 */
export function createStaffRepository(db: Connection) {
  const staff = staffModel(db);
  const raw = driverCollection<StaffDoc>(staff);
  let ready: Promise<unknown> | undefined;
  const indexes = () => (ready ??= staff.init());

  return {
    sessions: createStaffSessionRepository(db),
    failures: createSignInFailureRepository(db),

    async byUsername(username: string): Promise<StaffRecord | null> {
      const doc = await staff.findOne({ username }).setOptions({ sanitizeFilter: true }).lean<StaffDoc>();
      return doc ? toRecord(doc) : null;
    },

    async byId(id: string): Promise<StaffRecord | null> {
      const doc = await staff.findById(id).lean<StaffDoc>();
      return doc ? toRecord(doc) : null;
    },

    /** The account holding a badge number, if any. */
    async byBadge(badge: string): Promise<StaffRecord | null> {
      const doc = await staff.findOne({ badge }).setOptions({ sanitizeFilter: true }).lean<StaffDoc>();
      return doc ? toRecord(doc) : null;
    },

    /** Every account in username order (the administrator's list; at most a few thousand per province). */
    async list(): Promise<StaffRecord[]> {
      const docs = await staff.find().sort({ username: 1 }).lean<StaffDoc[]>();
      return docs.map(toRecord);
    },

    /** Creates a new account; false when its username is taken. */
    async create(account: Omit<StaffRecord, 'createdAt'> & { createdAt: number }): Promise<boolean> {
      await indexes();
      const { id, createdAt, ...fields } = account;
      try {
        await staff.create([{ _id: id, createdAt: new Date(createdAt), ...fields }]);
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },

    /** Sets fields an administrator changes; answers the account as it is now, null when there is none. */
    async update(
      id: string,
      change: { role?: StaffRole; disabled?: boolean; window?: StaffWindow | null },
    ): Promise<StaffRecord | null> {
      const { window, ...set } = change;
      const doc = await raw.findOneAndUpdate(
        { _id: id },
        {
          ...(Object.keys(set).length > 0 || window ? { $set: { ...set, ...(window && { window }) } } : {}),
          ...(window === null && { $unset: { window: '' } }),
        },
        { returnDocument: 'after' },
      );
      return doc ? toRecord(doc) : null;
    },

    /** Removes the second factor (the holder must enrol again); false when the account is gone. */
    async clearTotp(id: string): Promise<boolean> {
      const res = await raw.updateOne({ _id: id }, { $unset: { totp: '' } });
      return res.matchedCount > 0;
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

    /** Starts (or starts again) a TOTP enrolment; false when the account has a confirmed one or is gone. */
    async startTotp(id: string, totp: StaffTotp): Promise<boolean> {
      const res = await raw.updateOne({ _id: id, 'totp.confirmedAt': PENDING }, { $set: { totp } });
      return res.matchedCount > 0;
    },

    /**
     * Confirms the pending enrolment of `sealed` with the code of `step` (which is spent by it); false when
     * that enrolment was confirmed or replaced meanwhile.
     */
    async confirmTotp(id: string, sealed: string, step: number, now: number): Promise<boolean> {
      const res = await raw.updateOne(
        { _id: id, 'totp.sealed': sealed, 'totp.confirmedAt': PENDING },
        { $set: { 'totp.confirmedAt': now, 'totp.lastStep': step } },
      );
      return res.modifiedCount > 0;
    },

    /** Spends time step `step` of the confirmed TOTP; false when it (or a later one) was spent already. */
    async spendTotpStep(id: string, step: number): Promise<boolean> {
      const res = await raw.updateOne(
        { _id: id, 'totp.confirmedAt': CONFIRMED, 'totp.lastStep': { $lt: step } },
        { $set: { 'totp.lastStep': step } },
      );
      return res.modifiedCount > 0;
    },

    /** Spends the recovery code of `hash`; false when no unused code of the confirmed TOTP has it. */
    async spendRecoveryCode(id: string, hash: string): Promise<boolean> {
      const res = await raw.updateOne(
        { _id: id, 'totp.confirmedAt': CONFIRMED, 'totp.recoveryHashes': hash },
        { $pull: { 'totp.recoveryHashes': hash } },
      );
      return res.modifiedCount > 0;
    },

    /** Up to `limit` sealed TOTP secrets of accounts after `afterId`, in id order (the master-key re-wrap). */
    async sealedTotpPage(afterId: string, limit: number): Promise<{ id: string; sealed: string }[]> {
      const docs = await raw
        .find(
          { _id: { $gt: afterId }, totp: { $exists: true } },
          { projection: { _id: 1, 'totp.sealed': 1 } },
        )
        .sort({ _id: 1 })
        .limit(limit)
        .toArray();
      return docs.map((d) => ({ id: d._id, sealed: d.totp!.sealed }));
    },

    /** Replaces a sealed TOTP secret only if it is still `from` (a new enrolment meanwhile is kept). */
    async replaceSealedTotp(id: string, from: string, to: string): Promise<boolean> {
      const res = await raw.updateOne({ _id: id, 'totp.sealed': from }, { $set: { 'totp.sealed': to } });
      return res.modifiedCount > 0;
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
