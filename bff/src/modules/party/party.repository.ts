import type { Connection } from 'mongoose';
import { AppError } from '@eid/shared';
import { isDuplicateKey } from '../../infra/mongo-errors';
import { partyModels, type PartyDoc, type PartyKeyDoc, type WebhookSecretDoc } from './party.model';

/** A party as the use cases see it: plain values, times in epoch ms. */
export type PartyRecord = Omit<PartyDoc, '_id'> & { id: string };
export type PartyKeyRecord = Omit<PartyKeyDoc, '_id'> & { kid: string };
export type { WebhookSecretDoc };

const toParty = ({ _id, ...rest }: PartyDoc): PartyRecord => ({ id: _id, ...rest });
const toKey = ({ _id, ...rest }: PartyKeyDoc): PartyKeyRecord => ({ kid: _id, ...rest });

const keyConflict = (kid: string) =>
  new AppError('PARTY_KEY_CONFLICT', 'This key id is already registered', { kid });

/**
 * Parties and their request-signing keys. A key id is the `_id` of its `party_keys` document, so the database
 * decides that no two parties share one. A party changes by compare-and-set on `rev`: two admins editing at
 * once both see their change applied to the other's, never lost.
 */
export function createPartyRepository(db: Connection) {
  const { parties, keys } = partyModels(db);
  let ready: Promise<unknown> | undefined;
  const indexes = () => (ready ??= Promise.all([parties.init(), keys.init()]));
  // Ids and kids reach these filters validated by the routes' schemas, never as objects.

  return {
    /** Inserts the party's keys, then the party; a key id in use anywhere refuses the whole registration. */
    async insert(party: PartyRecord, newKeys: PartyKeyRecord[]): Promise<void> {
      await indexes();
      const inserted: string[] = [];
      try {
        for (const k of newKeys) {
          const { kid, ...rest } = k;
          await keys.create([{ _id: kid, ...rest }]);
          inserted.push(kid);
        }
      } catch (err) {
        if (inserted.length > 0) await keys.deleteMany({ _id: { $in: inserted }, partyId: party.id });
        if (isDuplicateKey(err)) throw keyConflict(newKeys[inserted.length]!.kid);
        throw err;
      }
      const { id, ...rest } = party;
      await parties.create([{ _id: id, ...rest }]);
    },

    async byId(id: string): Promise<PartyRecord | null> {
      const doc = await parties.findById(id).setOptions({ sanitizeFilter: true }).lean<PartyDoc>();
      return doc ? toParty(doc) : null;
    },

    async list(): Promise<PartyRecord[]> {
      const docs = await parties.find({}).sort({ createdAt: 1 }).lean<PartyDoc[]>();
      return docs.map(toParty);
    },

    /**
     * Writes `set` over the party as it was at `rev`; false when someone else wrote in between (the caller
     * reads again and retries).
     */
    async replace(id: string, rev: number, set: Partial<Omit<PartyRecord, 'id' | 'rev'>>): Promise<boolean> {
      // A field set to undefined is removed (callbackDisabledAt when callbacks are enabled again).
      const $set: Record<string, unknown> = { rev: rev + 1 };
      const $unset: Record<string, ''> = {};
      for (const [k, v] of Object.entries(set)) {
        if (v === undefined) $unset[k] = '';
        else $set[k] = v;
      }
      const res = await parties.updateOne(
        { _id: id, rev },
        Object.keys($unset).length > 0 ? { $set, $unset } : { $set },
      );
      return res.matchedCount === 1;
    },

    async keyById(kid: string): Promise<PartyKeyRecord | null> {
      const doc = await keys.findById(kid).setOptions({ sanitizeFilter: true }).lean<PartyKeyDoc>();
      return doc ? toKey(doc) : null;
    },

    async keysOf(partyId: string): Promise<PartyKeyRecord[]> {
      const docs = await keys
        .find({ partyId })
        .setOptions({ sanitizeFilter: true })
        .sort({ addedAt: 1, _id: 1 })
        .lean<PartyKeyDoc[]>();
      return docs.map(toKey);
    },

    async addKey(key: PartyKeyRecord): Promise<void> {
      await indexes();
      const { kid, ...rest } = key;
      try {
        await keys.create([{ _id: kid, ...rest }]);
      } catch (err) {
        if (isDuplicateKey(err)) throw keyConflict(kid);
        throw err;
      }
    },

    /** Sets when the party's key stops; false when the party has no such key. */
    async retireKey(partyId: string, kid: string, at: number): Promise<boolean> {
      const res = await keys.updateOne({ _id: kid, partyId }, { $set: { retiresAt: at } });
      return res.matchedCount === 1;
    },
  };
}

export type PartyRepository = ReturnType<typeof createPartyRepository>;
