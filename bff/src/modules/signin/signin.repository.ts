import type { Connection } from 'mongoose';
import type { SignInLevel, SignInState } from '@eid/shared';
import { isDuplicateKey } from '../../infra/mongo-errors';
import { signInModel, type SignInDoc } from './signin.model';

/** A sign-in as the use cases see it: plain values, times in epoch ms. */
export type SignInRecord = Omit<SignInDoc, '_id' | 'expiresAt'> & { id: string; expiresAt: number };

export type NewSignIn = Pick<
  SignInRecord,
  | 'id'
  | 'interactionUid'
  | 'partyId'
  | 'purpose'
  | 'scopes'
  | 'fields'
  | 'level'
  | 'returnUri'
  | 'secretHash'
  | 'choices'
  | 'createdAt'
  | 'expiresAt'
>;

/** The states in which a sign-in has not been answered yet, or is approved but not yet handed over. */
export const LIVE_STATES: readonly SignInState[] = ['pending', 'opened', 'approved'];

const toRecord = ({ _id, expiresAt, ...rest }: SignInDoc): SignInRecord => ({
  id: _id,
  ...rest,
  expiresAt: expiresAt.getTime(),
});
const one = (doc: SignInDoc | null) => (doc ? toRecord(doc) : null);

/**
 * Sign-ins. Every change of state is one conditional update on the state it starts from (and the
 * resident, and the time bound), so racing requests and several BFF processes agree on one outcome: the
 * winner gets the record back, the loser null.
 */
export function createSignInRepository(db: Connection) {
  const signins = signInModel(db);
  let ready: Promise<unknown> | undefined;
  // The unique index on interactionUid is what makes start idempotent across processes: it must exist
  // before the first insert.
  const indexes = () => (ready ??= signins.init());
  // Ids and resident ids reach these filters validated (routes, parsed codes) or from a verified token,
  // never as objects; sanitizeFilter would turn the filters' own $gt/$lte into equality.
  const update = async (filter: object, set: object) =>
    one(await signins.findOneAndUpdate(filter, { $set: set }, { returnDocument: 'after' }).lean<SignInDoc>());
  const live = (now: number) => ({ expiresAt: { $gt: new Date(now) } });

  return {
    /** Inserts a new pending sign-in; false when one for the same interaction exists already. */
    async insert(s: NewSignIn, now: number): Promise<boolean> {
      await indexes();
      const { id, expiresAt, ...rest } = s;
      try {
        await signins.create([
          { _id: id, ...rest, expiresAt: new Date(expiresAt), state: 'pending', updatedAt: now },
        ]);
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },

    async byId(id: string): Promise<SignInRecord | null> {
      return one(await signins.findById(id).setOptions({ sanitizeFilter: true }).lean<SignInDoc>());
    },

    async byInteraction(interactionUid: string): Promise<SignInRecord | null> {
      return one(
        await signins.findOne({ interactionUid }).setOptions({ sanitizeFilter: true }).lean<SignInDoc>(),
      );
    },

    /** pending -> opened by the first resident to open it, while still answerable. */
    open(id: string, residentId: string, now: number) {
      return update(
        { _id: id, state: 'pending', residentId: { $exists: false }, ...live(now) },
        { state: 'opened', residentId, openedAt: now, updatedAt: now },
      );
    },

    /** opened -> approved by its resident while still answerable, with what the approval achieved. */
    approve(
      id: string,
      residentId: string,
      a: { level: SignInLevel; acr: string; amr: string[] },
      now: number,
    ) {
      return update(
        { _id: id, residentId, state: 'opened', ...live(now) },
        {
          state: 'approved',
          approvedLevel: a.level,
          acr: a.acr,
          amr: a.amr,
          approvedAt: now,
          answeredAt: now,
          updatedAt: now,
        },
      );
    },

    /** opened -> declined or cancelled (a wrong control code) by its resident while still answerable. */
    refuse(id: string, residentId: string, state: 'declined' | 'cancelled', now: number) {
      return update(
        { _id: id, residentId, state: 'opened', ...live(now) },
        { state, answeredAt: now, updatedAt: now },
      );
    },

    /** pending or opened -> cancelled by the browser, while still answerable. */
    cancel(id: string, now: number) {
      return update(
        { _id: id, state: { $in: ['pending', 'opened'] }, ...live(now) },
        { state: 'cancelled', answeredAt: now, updatedAt: now },
      );
    },

    /** approved -> completed, once, before it lapses: the provider hands the approval over. */
    complete(id: string, now: number) {
      return update(
        { _id: id, state: 'approved', ...live(now) },
        { state: 'completed', completedAt: now, updatedAt: now },
      );
    },

    /** A live sign-in past expiresAt -> expired. */
    expire(id: string, now: number) {
      return update(
        { _id: id, state: { $in: [...LIVE_STATES] }, expiresAt: { $lte: new Date(now) } },
        { state: 'expired', updatedAt: now },
      );
    },
  };
}

export type SignInRepository = ReturnType<typeof createSignInRepository>;
