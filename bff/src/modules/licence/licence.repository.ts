import type { Connection } from 'mongoose';
import type { LicenceLink } from '@eid/shared';
import { licenceModels, type LicenceLinkDoc } from './licence.model';

/** A resident's links as the use cases see them: plain values, times in epoch ms. */
export interface LinkRecord {
  residentId: string;
  links: LicenceLink[];
  holderIndex: string;
  etag?: string;
  etagTypes?: string;
  pulledAt?: number;
}

/** A stored document row: the sealed content and what is needed to find it. */
export interface DocumentRow {
  walletId: string;
  residentId: string;
  type: string;
  sealed: string;
  updatedAt: number;
}

const FEED_ID = 'changes';

const toLink = (doc: LicenceLinkDoc): LinkRecord => ({
  residentId: doc._id,
  links: doc.links.map((l) => ({
    type: l.type,
    noticeVersion: l.noticeVersion,
    linkedAt: l.linkedAt.getTime(),
  })),
  holderIndex: doc.holderIndex,
  ...(doc.etag !== undefined && { etag: doc.etag }),
  ...(doc.etagTypes !== undefined && { etagTypes: doc.etagTypes }),
  ...(doc.pulledAt && { pulledAt: doc.pulledAt.getTime() }),
});

/** The licence module's persistence: links, sealed documents and the change-feed cursor. */
export function createLicenceRepository(db: Connection) {
  const { links, documents, feed } = licenceModels(db);

  return {
    async linkOf(residentId: string): Promise<LinkRecord | null> {
      const doc = await links.findById(residentId).lean<LicenceLinkDoc>();
      return doc ? toLink(doc) : null;
    },

    /**
     * Links `entries` (replacing an earlier link of the same type, so it names the notice accepted last).
     * The stored ETag is dropped: the next pull is for another set of types.
     */
    async addLinks(
      residentId: string,
      holderIndex: string,
      entries: LicenceLink[],
      now: number,
    ): Promise<LinkRecord> {
      const types = entries.map((e) => e.type);
      // Two steps on one document: the pull of the old entries cannot be combined with the push of the
      // new ones on the same array path. A crash in between leaves fewer links, never a duplicate.
      await links.updateOne(
        { _id: residentId },
        {
          $pull: { links: { type: { $in: types } } },
          $set: { holderIndex, updatedAt: new Date(now) },
          $unset: { etag: 1, etagTypes: 1 },
        },
        { upsert: true },
      );
      const doc = await links
        .findOneAndUpdate(
          { _id: residentId },
          {
            $push: {
              links: {
                $each: entries.map((e) => ({ ...e, linkedAt: new Date(e.linkedAt) })),
              },
            },
          },
          { returnDocument: 'after' },
        )
        .lean<LicenceLinkDoc>();
      return toLink(doc!);
    },

    /** Removes the link of `type`; false when it was not linked. */
    async removeLink(residentId: string, type: string, now: number): Promise<boolean> {
      const res = await links.updateOne(
        { _id: residentId, 'links.type': type },
        { $pull: { links: { type } }, $set: { updatedAt: new Date(now) }, $unset: { etag: 1, etagTypes: 1 } },
      );
      return res.modifiedCount > 0;
    },

    async setPulled(
      residentId: string,
      etag: string | undefined,
      etagTypes: string,
      now: number,
    ): Promise<void> {
      await links.updateOne(
        { _id: residentId },
        etag
          ? { $set: { etag, etagTypes, pulledAt: new Date(now), updatedAt: new Date(now) } }
          : {
              $set: { pulledAt: new Date(now), updatedAt: new Date(now) },
              $unset: { etag: 1, etagTypes: 1 },
            },
      );
    },

    /** The residents whose holder index is one of `indexes`. */
    async residentsByHolder(indexes: string[]): Promise<string[]> {
      if (indexes.length === 0) return [];
      const found = await links.find({ holderIndex: { $in: indexes } }, { _id: 1 }).lean<{ _id: string }[]>();
      return found.map((d) => d._id);
    },

    async documentsOf(residentId: string): Promise<DocumentRow[]> {
      const docs = await documents.find({ residentId }).sort({ _id: 1 }).lean();
      return docs.map((d) => ({
        walletId: d._id,
        residentId: d.residentId,
        type: d.type,
        sealed: d.sealed,
        updatedAt: d.updatedAt.getTime(),
      }));
    },

    async documentOf(residentId: string, walletId: string): Promise<DocumentRow | null> {
      const d = await documents.findOne({ _id: walletId, residentId }).lean();
      return d
        ? {
            walletId: d._id,
            residentId: d.residentId,
            type: d.type,
            sealed: d.sealed,
            updatedAt: d.updatedAt.getTime(),
          }
        : null;
    },

    /**
     * Makes the stored documents of `types` exactly `rows`: each row written, and any other stored document of
     * those types (gone at the issuer, or of a type just unlinked elsewhere) deleted.
     */
    async replaceDocuments(residentId: string, types: readonly string[], rows: DocumentRow[]): Promise<void> {
      if (rows.length > 0) {
        await documents.bulkWrite(
          rows.map((r) => ({
            replaceOne: {
              filter: { _id: r.walletId },
              replacement: {
                _id: r.walletId,
                residentId,
                type: r.type,
                sealed: r.sealed,
                updatedAt: new Date(r.updatedAt),
              },
              upsert: true,
            },
          })),
          { ordered: false },
        );
      }
      await documents.deleteMany({
        residentId,
        type: { $in: [...types] },
        _id: { $nin: rows.map((r) => r.walletId) },
      });
    },

    /** Deletes the resident's stored documents of `type`, or all of them; the number deleted. */
    async deleteDocuments(residentId: string, type?: string): Promise<number> {
      const res = await documents.deleteMany(type === undefined ? { residentId } : { residentId, type });
      return res.deletedCount;
    },

    /** Up to `limit` stored documents' sealed values with a wallet id after `afterId`, in id order. */
    async sealedPage(afterId: string, limit: number): Promise<{ id: string; sealed: string }[]> {
      const docs = await documents
        .find({ _id: { $gt: afterId } }, { _id: 1, sealed: 1 })
        .sort({ _id: 1 })
        .limit(limit)
        .lean();
      return docs.map((d) => ({ id: d._id, sealed: d.sealed }));
    },

    /** Replaces a document's sealed value only if nobody changed (or deleted) it meanwhile. */
    async replaceSealed(walletId: string, from: string, to: string): Promise<boolean> {
      const res = await documents.updateOne({ _id: walletId, sealed: from }, { $set: { sealed: to } });
      return res.modifiedCount > 0;
    },

    async deleteLinks(residentId: string): Promise<void> {
      await links.deleteOne({ _id: residentId });
    },

    async feedCursor(): Promise<string | undefined> {
      const doc = await feed.findById(FEED_ID).lean();
      return doc?.cursor;
    },

    /** Stores where the change feed was read up to (undefined: from its start again). */
    async setFeedCursor(cursor: string | undefined, now: number): Promise<void> {
      await feed.updateOne(
        { _id: FEED_ID },
        cursor === undefined
          ? { $unset: { cursor: 1 }, $set: { updatedAt: new Date(now) } }
          : { $set: { cursor, updatedAt: new Date(now) } },
        { upsert: true },
      );
    },
  };
}

export type LicenceRepository = ReturnType<typeof createLicenceRepository>;
