import { Schema, type Connection, type Model } from 'mongoose';

/**
 * A resident's linked document types and the state of the last pull. Nothing here is personal data in
 * clear: the holder is found from the change feed by a keyed index of the licence system's holder key.
 */
export interface LicenceLinkDoc {
  /** The resident id. */
  _id: string;
  links: { type: string; noticeVersion: string; linkedAt: Date }[];
  /** `keys.blindIndex('licence.holder', licenceHolderKey(idNumber))`: how a change-feed entry finds its wallet. */
  holderIndex: string;
  /** ETag of the last `/documents` answer, for the types in `etagTypes` (sorted, comma-separated). */
  etag?: string;
  etagTypes?: string;
  pulledAt?: Date;
  updatedAt: Date;
}

/** One stored document: everything about it sealed under the resident and the wallet id. */
export interface LicenceDocumentDoc {
  /** The wallet id: a keyed digest of the resident and the licence system's document id. */
  _id: string;
  residentId: string;
  type: string;
  /** `keys.seal(JSON of StoredDocument, 'licence.document:<residentId>:<_id>')`. */
  sealed: string;
  updatedAt: Date;
}

/** Where this node is in the licence system's change feed. */
export interface LicenceFeedDoc {
  _id: string;
  /** The `next` of the last page fully handled; absent before the first read. */
  cursor?: string;
  updatedAt: Date;
}

const linkEntrySchema = new Schema(
  {
    type: { type: String, required: true },
    noticeVersion: { type: String, required: true },
    linkedAt: { type: Date, required: true },
  },
  { _id: false },
);

const linkSchema = new Schema<LicenceLinkDoc>(
  {
    _id: { type: String, required: true },
    links: { type: [linkEntrySchema], required: true },
    holderIndex: { type: String, required: true },
    etag: { type: String },
    etagTypes: { type: String },
    pulledAt: { type: Date },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'licence_links', versionKey: false },
);
linkSchema.index({ holderIndex: 1 });

const documentSchema = new Schema<LicenceDocumentDoc>(
  {
    _id: { type: String, required: true },
    residentId: { type: String, required: true },
    type: { type: String, required: true },
    sealed: { type: String, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'licence_documents', versionKey: false },
);
documentSchema.index({ residentId: 1, type: 1 });

const feedSchema = new Schema<LicenceFeedDoc>(
  {
    _id: { type: String, required: true },
    cursor: { type: String },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'licence_feed', versionKey: false },
);

/** Registers (once per connection) and returns the licence module's models. */
export function licenceModels(db: Connection): {
  links: Model<LicenceLinkDoc>;
  documents: Model<LicenceDocumentDoc>;
  feed: Model<LicenceFeedDoc>;
} {
  return {
    links:
      (db.models.LicenceLink as Model<LicenceLinkDoc>) ?? db.model<LicenceLinkDoc>('LicenceLink', linkSchema),
    documents:
      (db.models.LicenceDocument as Model<LicenceDocumentDoc>) ??
      db.model<LicenceDocumentDoc>('LicenceDocument', documentSchema),
    feed:
      (db.models.LicenceFeed as Model<LicenceFeedDoc>) ?? db.model<LicenceFeedDoc>('LicenceFeed', feedSchema),
  };
}
