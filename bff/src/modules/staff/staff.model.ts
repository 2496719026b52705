import { Schema, type Connection, type Model } from 'mongoose';

export type StaffRole = 'verifier' | 'supervisor';

/** A service window: a desk of an organisation where residents are served. */
export interface StaffWindow {
  id: string;
  name: string;
}

/** A staff account of a service window. The password is kept only as an scrypt hash. */
export interface StaffDoc {
  _id: string;
  username: string;
  passwordHash: string;
  role: StaffRole;
  /** What residents see in their usage trace: a window or desk name, not a person's full name. */
  displayName: string;
  org: string;
  /**
   * The service window the account works at (document call, docs/api.md): its id and name; the window's
   * organisation is `org`. An account without one cannot open document calls.
   */
  window?: StaffWindow;
  createdAt: Date;
  disabled?: boolean;
  /** The development account created at boot outside production. */
  dev?: boolean;
}

const staffSchema = new Schema<StaffDoc>(
  {
    _id: { type: String, required: true },
    username: { type: String, required: true },
    passwordHash: { type: String, required: true },
    role: { type: String, required: true },
    displayName: { type: String, required: true },
    org: { type: String, required: true },
    window: { _id: false, id: { type: String }, name: { type: String } },
    createdAt: { type: Date, required: true },
    disabled: { type: Boolean },
    dev: { type: Boolean },
  },
  { collection: 'staff', versionKey: false },
);
staffSchema.index({ username: 1 }, { unique: true });

/** Registers (once per connection) and returns the staff model. */
export function staffModel(db: Connection): Model<StaffDoc> {
  return (db.models.Staff as Model<StaffDoc>) ?? db.model<StaffDoc>('Staff', staffSchema);
}
