import type { Connection } from 'mongoose';
import { AppError } from '@eid/shared';
import { driverCollection } from '../../infra/collection';
import { isDuplicateKey } from '../../infra/mongo-errors';
import {
  cardModels,
  type CardDoc,
  type CardStatus,
  type RevocationReason,
  type StatusCounterDoc,
} from './card.model';
import type { CardCounts } from './card.types';
import { STATUS_BLOCK } from './status-index';

/** A card as the service sees it: plain values, times in epoch ms. */
export interface CardRecord {
  cardId: string;
  residentId: string;
  status: CardStatus;
  kid: string;
  province: string;
  statusIndex: number;
  devicePublicKey: string;
  createdAt: number;
  credentialIssuedAt: number;
  credentialExpiresAt: number;
  /** 1 for a card whose last credential predates v2 (card.model.ts). */
  credentialFormat: 1 | 2;
  suspendedAt?: number;
  /** Who suspended a suspended card (card.model.ts); absent on a card suspended before this was recorded. */
  suspendedBy?: 'resident' | 'staff';
  revokedAt?: number;
  revokedReason?: RevocationReason;
}

export type NewCard = Omit<
  CardRecord,
  'status' | 'suspendedAt' | 'suspendedBy' | 'revokedAt' | 'revokedReason' | 'credentialFormat'
>;

/** A revocation: the card leaves the live index, so the resident may be issued a new one. */
const revokedUpdate = (reason: RevocationReason, now: number) => ({
  $set: { status: 'revoked', revokedAt: new Date(now), revokedReason: reason, updatedAt: new Date(now) },
  $unset: { liveResidentId: 1 },
});

const toRecord = (doc: CardDoc): CardRecord => ({
  cardId: doc._id,
  residentId: doc.residentId,
  status: doc.status,
  kid: doc.kid,
  province: doc.province,
  statusIndex: doc.statusIndex,
  devicePublicKey: doc.devicePublicKey,
  createdAt: doc.createdAt.getTime(),
  credentialIssuedAt: doc.credentialIssuedAt.getTime(),
  credentialExpiresAt: doc.credentialExpiresAt.getTime(),
  credentialFormat: doc.credentialFormat ?? 1,
  ...(doc.suspendedAt && { suspendedAt: doc.suspendedAt.getTime() }),
  ...(doc.status === 'suspended' && doc.suspendedBy && { suspendedBy: doc.suspendedBy }),
  ...(doc.revokedAt && { revokedAt: doc.revokedAt.getTime() }),
  ...(doc.revokedReason && { revokedReason: doc.revokedReason }),
});

/**
 * Cards and status-list counters. Every status change is one conditional
 * update on the status it starts from, so concurrent requests and several processes agree.
 */
export function createCardRepository(db: Connection) {
  const { cards, counters } = cardModels(db);
  const cardDocs = driverCollection<CardDoc>(cards);
  let ready: Promise<unknown> | undefined;
  const indexes = () => (ready ??= Promise.all([cards.init(), counters.init()]));
  const one = (doc: CardDoc | null) => (doc ? toRecord(doc) : null);

  return {
    async byId(cardId: string): Promise<CardRecord | null> {
      return one(await cards.findById(cardId).setOptions({ sanitizeFilter: true }).lean<CardDoc>());
    },

    /** Status fields of several cards in one read, by card id; cards never issued are absent. */
    async standingsOf(
      cardIds: string[],
    ): Promise<Map<string, Pick<CardRecord, 'residentId' | 'status' | 'kid' | 'statusIndex'>>> {
      const docs = await cardDocs
        .find(
          { _id: { $in: [...new Set(cardIds)] } },
          { projection: { residentId: 1, status: 1, kid: 1, statusIndex: 1 } },
        )
        .toArray();
      return new Map(
        docs.map((d) => [
          d._id,
          { residentId: d.residentId, status: d.status, kid: d.kid, statusIndex: d.statusIndex },
        ]),
      );
    },

    /** The resident's active or suspended card. */
    async liveOf(residentId: string): Promise<CardRecord | null> {
      return one(
        await cards
          .findOne({ liveResidentId: residentId })
          .setOptions({ sanitizeFilter: true })
          .lean<CardDoc>(),
      );
    },

    /** The resident's most recent card, whatever its status. */
    async latestOf(residentId: string): Promise<CardRecord | null> {
      const doc = await cards
        .findOne({ residentId })
        .sort({ createdAt: -1 })
        .setOptions({ sanitizeFilter: true })
        .lean<CardDoc>();
      return one(doc);
    },

    /** Inserts an active card; CONFLICT when the resident already has a live card (a concurrent issue). */
    async insert(card: NewCard): Promise<CardRecord> {
      await indexes();
      const now = new Date(card.createdAt);
      const doc: CardDoc = {
        _id: card.cardId,
        residentId: card.residentId,
        liveResidentId: card.residentId,
        status: 'active',
        kid: card.kid,
        province: card.province,
        statusIndex: card.statusIndex,
        devicePublicKey: card.devicePublicKey,
        createdAt: now,
        credentialIssuedAt: new Date(card.credentialIssuedAt),
        credentialExpiresAt: new Date(card.credentialExpiresAt),
        credentialFormat: 2,
        updatedAt: now,
      };
      try {
        await cards.create(doc);
      } catch (err) {
        if (isDuplicateKey(err)) {
          throw new AppError('CONFLICT', 'A card is being issued for you already; try again', {
            retryable: true,
          });
        }
        throw err;
      }
      return toRecord(doc);
    },

    /** Records a renewed (always v2) credential of an active card; null when the card is no longer active. */
    async renew(cardId: string, issuedAt: number, expiresAt: number): Promise<CardRecord | null> {
      const doc = await cards
        .findOneAndUpdate(
          { _id: cardId, status: 'active' },
          {
            $set: {
              credentialIssuedAt: new Date(issuedAt),
              credentialExpiresAt: new Date(expiresAt),
              credentialFormat: 2,
              updatedAt: new Date(issuedAt),
            },
          },
          { returnDocument: 'after' },
        )
        .lean<CardDoc>();
      return one(doc);
    },

    /**
     * The holder's own move of a live card from `from` to `to`; null when it was not in `from`. A card a
     * supervisor suspended is never resumed here: only `restore` lifts a staff hold.
     */
    async transition(cardId: string, from: 'active' | 'suspended', to: 'active' | 'suspended', now: number) {
      const update =
        to === 'suspended'
          ? {
              $set: {
                status: to,
                suspendedAt: new Date(now),
                suspendedBy: 'resident',
                updatedAt: new Date(now),
              },
            }
          : { $set: { status: to, updatedAt: new Date(now) }, $unset: { suspendedAt: 1, suspendedBy: 1 } };
      return one(
        await cards
          .findOneAndUpdate({ _id: cardId, status: from, suspendedBy: { $ne: 'staff' } }, update, {
            returnDocument: 'after',
          })
          .lean<CardDoc>(),
      );
    },

    /**
     * A supervisor's suspension of a live card not already held by staff (an active card, or one its
     * holder suspended: the hold replaces theirs); null when there was no such card.
     */
    async staffSuspend(
      cardId: string,
      hold: { staffId: string; reason: string; caseNumber?: string },
      now: number,
    ): Promise<CardRecord | null> {
      const doc = await cards
        .findOneAndUpdate(
          { _id: cardId, status: { $in: ['active', 'suspended'] }, suspendedBy: { $ne: 'staff' } },
          {
            $set: {
              status: 'suspended',
              suspendedAt: new Date(now),
              suspendedBy: 'staff',
              staffHold: { ...hold, at: new Date(now) },
              updatedAt: new Date(now),
            },
          },
          { returnDocument: 'after' },
        )
        .lean<CardDoc>();
      return one(doc);
    },

    /** A supervisor's restore of a suspended card, whoever suspended it; null when it was not suspended. */
    async restore(cardId: string, now: number): Promise<CardRecord | null> {
      const doc = await cards
        .findOneAndUpdate(
          { _id: cardId, status: 'suspended' },
          {
            $set: { status: 'active', updatedAt: new Date(now) },
            $unset: { suspendedAt: 1, suspendedBy: 1, staffHold: 1 },
          },
          { returnDocument: 'after' },
        )
        .lean<CardDoc>();
      return one(doc);
    },

    /** Revokes the resident's live card, if any; returns it as revoked, or null when there was none. */
    async revokeLiveOf(
      residentId: string,
      reason: RevocationReason,
      now: number,
    ): Promise<CardRecord | null> {
      const doc = await cards
        .findOneAndUpdate({ liveResidentId: residentId }, revokedUpdate(reason, now), {
          returnDocument: 'after',
          sanitizeFilter: true,
        })
        .lean<CardDoc>();
      return one(doc);
    },

    /** Revokes one card if it is still live. */
    async revoke(cardId: string, reason: RevocationReason, now: number): Promise<CardRecord | null> {
      const doc = await cards
        .findOneAndUpdate(
          { _id: cardId, status: { $in: ['active', 'suspended'] } },
          revokedUpdate(reason, now),
          { returnDocument: 'after' },
        )
        .lean<CardDoc>();
      return one(doc);
    },

    /** A page of live cards in card-id order, for the revocation check. */
    async livePage(afterCardId: string, limit: number): Promise<CardRecord[]> {
      const docs = await cards
        .find({ _id: { $gt: afterCardId }, status: { $in: ['active', 'suspended'] } })
        .sort({ _id: 1 })
        .limit(limit)
        .lean<CardDoc[]>();
      return docs.map(toRecord);
    },

    /** Status-list entries that are not valid, for one issuer key. */
    async flaggedEntries(kid: string): Promise<{ statusIndex: number; status: CardStatus }[]> {
      return cards
        .find({ kid, status: { $in: ['revoked', 'suspended'] } }, { _id: 0, statusIndex: 1, status: 1 })
        .lean<{ statusIndex: number; status: CardStatus }[]>();
    },

    /**
     * Takes the next slot of `kid`'s status list atomically, whatever other processes do. The service turns
     * the slot into an index with a permutation of its block, which needs every slot from `permutedFrom` on
     * to be new: a counter begun before indexes were permuted (no `permutedFrom`) first moves on, once, to
     * the start of a fresh block, so a permuted index never lands on an index given out in order.
     */
    async allocateSequence(kid: string, now: number): Promise<number> {
      await indexes();
      const _id = `status:${kid}`;
      for (;;) {
        const doc = await counters
          .findOneAndUpdate(
            { _id },
            { $inc: { next: 1 }, $setOnInsert: { changedAt: now, version: 0, permutedFrom: 0 } },
            { upsert: true, returnDocument: 'after' },
          )
          .lean<StatusCounterDoc>();
        if (doc!.permutedFrom !== undefined) return doc!.next - 1;
        // Slots taken meanwhile by this loop or another process are below the new start and never used.
        const start = Math.ceil(doc!.next / STATUS_BLOCK) * STATUS_BLOCK;
        await counters.updateOne(
          { _id, permutedFrom: { $exists: false } },
          { $set: { permutedFrom: start, next: start } },
        );
      }
    },

    /** Notes that a status of `kid` changed at `now`, so every process rebuilds its list. */
    async markChanged(kid: string, now: number): Promise<void> {
      await counters.updateOne(
        { _id: `status:${kid}` },
        { $max: { changedAt: now }, $inc: { version: 1 } },
        { upsert: true },
      );
    },

    async counter(kid: string): Promise<{ next: number; changedAt: number; version: number } | null> {
      const doc = await counters.findById(`status:${kid}`).lean<StatusCounterDoc>();
      return doc ? { next: doc.next ?? 0, changedAt: doc.changedAt ?? 0, version: doc.version ?? 0 } : null;
    },

    /** Cards created since `from` and cards in each status now: index counts, no documents read. */
    async countCards(from: number): Promise<CardCounts> {
      const [issued, active, suspended, revoked] = await Promise.all([
        cards.countDocuments({ createdAt: { $gte: new Date(from) } }),
        ...(['active', 'suspended', 'revoked'] as const).map((status) => cards.countDocuments({ status })),
      ]);
      return { issued: issued!, active: active!, suspended: suspended!, revoked: revoked! };
    },
  };
}

export type CardRepository = ReturnType<typeof createCardRepository>;
