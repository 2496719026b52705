import { Schema, type Connection, type Model } from 'mongoose';

/** One thing an auditor did (search, export, chain check, checkpoint): who, what filter, when. */
export interface AuditActionDoc {
  _id: string;
  at: number;
  staffId: string;
  action: 'search' | 'export' | 'verify' | 'checkpoint';
  /** The filter as given, an ID number replaced by the resident references it found (never kept). */
  filter: Record<string, unknown>;
  rows?: number;
  truncated?: boolean;
  requestId?: string;
}

/** One leaf of the log of chain heads: resident chain, seq and hash of its head when it was logged. */
export interface AuditLeafDoc {
  /** The leaf index, from 0. */
  _id: number;
  residentId: string;
  seq: number;
  hash: string;
}

/** The seq of the last leaf logged for each chain: what the next checkpoint compares heads with. */
export interface AuditLoggedHeadDoc {
  _id: string;
  seq: number;
}

/** A checkpoint this node published: its signed note and the cosignatures peers gave it, by province. */
export interface AuditCheckpointDoc {
  /** The tree size. */
  _id: number;
  /** base64 */
  rootHash: string;
  note: string;
  at: number;
  cosignatures?: Record<string, { line: string; at: number }>;
}

/** What this node, as cosigner, last cosigned for one province's log. */
export interface AuditCosignedDoc {
  _id: string;
  size: number;
  rootHash: string;
  note: string;
  cosignature: string;
  at: number;
}

const actionSchema = new Schema<AuditActionDoc>(
  {
    _id: { type: String, required: true },
    at: { type: Number, required: true },
    staffId: { type: String, required: true },
    action: { type: String, required: true },
    filter: { type: Schema.Types.Mixed, required: true },
    rows: { type: Number },
    truncated: { type: Boolean },
    requestId: { type: String },
  },
  { collection: 'audit_actions', versionKey: false, minimize: false },
);
actionSchema.index({ at: -1, _id: -1 });

const leafSchema = new Schema<AuditLeafDoc>(
  {
    _id: { type: Number, required: true },
    residentId: { type: String, required: true },
    seq: { type: Number, required: true },
    hash: { type: String, required: true },
  },
  { collection: 'audit_log_leaves', versionKey: false },
);
// A resident's latest leaf within a checkpoint's tree, for its inclusion proof.
leafSchema.index({ residentId: 1, _id: -1 });

const loggedSchema = new Schema<AuditLoggedHeadDoc>(
  { _id: { type: String, required: true }, seq: { type: Number, required: true } },
  { collection: 'audit_log_heads', versionKey: false },
);

const checkpointSchema = new Schema<AuditCheckpointDoc>(
  {
    _id: { type: Number, required: true },
    rootHash: { type: String, required: true },
    note: { type: String, required: true },
    at: { type: Number, required: true },
    cosignatures: { type: Schema.Types.Mixed },
  },
  { collection: 'audit_checkpoints', versionKey: false },
);

const cosignedSchema = new Schema<AuditCosignedDoc>(
  {
    _id: { type: String, required: true },
    size: { type: Number, required: true },
    rootHash: { type: String, required: true },
    note: { type: String, required: true },
    cosignature: { type: String, required: true },
    at: { type: Number, required: true },
  },
  { collection: 'audit_cosigned', versionKey: false },
);

export interface AuditModels {
  actions: Model<AuditActionDoc>;
  leaves: Model<AuditLeafDoc>;
  logged: Model<AuditLoggedHeadDoc>;
  checkpoints: Model<AuditCheckpointDoc>;
  cosigned: Model<AuditCosignedDoc>;
}

function model<T>(db: Connection, name: string, schema: Schema<T>): Model<T> {
  return (db.models[name] as Model<T>) ?? db.model<T>(name, schema);
}

/** Registers (once per connection) and returns the audit models. */
export function auditModels(db: Connection): AuditModels {
  return {
    actions: model(db, 'AuditAction', actionSchema),
    leaves: model(db, 'AuditLeaf', leafSchema),
    logged: model(db, 'AuditLoggedHead', loggedSchema),
    checkpoints: model(db, 'AuditCheckpoint', checkpointSchema),
    cosigned: model(db, 'AuditCosigned', cosignedSchema),
  };
}
