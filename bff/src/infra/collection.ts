import type { Collection as MongooseCollection, mongo } from 'mongoose';

/**
 * The raw driver collection behind a mongoose model, typed by its documents. Writes that build complete
 * documents go through the driver (no per-document casting or validation: the hot paths need that);
 * mongoose types `model.collection` as its own wrapper, which forwards every driver method (buffering
 * until connected) but is declared without the document type, so this is the one place that says so.
 *
 * @example
 * const events = driverCollection<UsageEventDoc>(usageModels(db).events);
 * await events.insertMany(docs, { ordered: true });
 */
export function driverCollection<T extends mongo.Document>(model: {
  readonly collection: MongooseCollection;
}): mongo.Collection<T> {
  return model.collection as unknown as mongo.Collection<T>;
}
