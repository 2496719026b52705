/**
 * Serialising replies. Cursor replies are assembled from documents serialised one by one, so a batch
 * can stop at MongoDB's 16 MB reply limit without serialising anything twice.
 */
import { BSON, type Document } from 'bson';
import { MAX_BSON_OBJECT_BYTES } from './wire';

// Room for the cursor envelope (ids, namespace, field names) around the documents of one batch.
const BATCH_BYTES = MAX_BSON_OBJECT_BYTES - 64 * 1024;

// The default internal buffer (17 MB) is too small for a 16 MB batch plus its envelope.
BSON.setInternalBufferSize(MAX_BSON_OBJECT_BYTES + 2 * 1024 * 1024);

/** Serialises one reply or stored document. */
export function serialize(doc: Document): Uint8Array {
  return BSON.serialize(doc, { ignoreUndefined: true });
}

/** A batch of documents serialised for a cursor reply. */
export interface Batch {
  buffers: Uint8Array[];
  /** How many of the offered documents the batch took. */
  count: number;
}

/**
 * Serialises up to `max` documents from `docs[from]` on, stopping before the batch would pass 16 MB
 * (always taking at least one document, as MongoDB does).
 */
export function takeBatch(docs: readonly Document[], from: number, max: number): Batch {
  const buffers: Uint8Array[] = [];
  let bytes = 0;
  const end = Math.min(docs.length, from + max);
  for (let i = from; i < end; i++) {
    const buf = serialize(docs[i]!);
    if (buffers.length > 0 && bytes + buf.length > BATCH_BYTES) break;
    buffers.push(buf);
    bytes += buf.length;
  }
  return { buffers, count: buffers.length };
}

/**
 * `{ cursor: { <firstBatch|nextBatch>: [...], id: NumberLong(id), ns }, ok: 1 }` built around
 * pre-serialised documents, written into one buffer.
 */
export function cursorReply(
  batchKey: 'firstBatch' | 'nextBatch',
  batch: Uint8Array[],
  id: number,
  ns: string,
): Buffer {
  // Array element names are the decimal indexes "0", "1", ...
  let arraySize = 4 + 1;
  for (let i = 0; i < batch.length; i++) arraySize += 1 + String(i).length + 1 + batch[i]!.length;
  const nsBytes = Buffer.byteLength(ns, 'utf8');
  const cursorSize =
    4 +
    (1 + batchKey.length + 1 + arraySize) +
    (1 + 'id'.length + 1 + 8) +
    (1 + 'ns'.length + 1 + 4 + nsBytes + 1) +
    1;
  const total = 4 + (1 + 'cursor'.length + 1 + cursorSize) + (1 + 'ok'.length + 1 + 8) + 1;
  const out = Buffer.allocUnsafe(total);
  let at = out.writeInt32LE(total, 0);
  const name = (type: number, key: string): void => {
    out[at++] = type;
    at += out.write(key, at, 'latin1');
    out[at++] = 0;
  };
  name(0x03, 'cursor');
  at = out.writeInt32LE(cursorSize, at);
  name(0x04, batchKey);
  at = out.writeInt32LE(arraySize, at);
  for (let i = 0; i < batch.length; i++) {
    name(0x03, String(i));
    out.set(batch[i]!, at);
    at += batch[i]!.length;
  }
  out[at++] = 0;
  name(0x12, 'id');
  at = out.writeBigInt64LE(BigInt(id), at);
  name(0x02, 'ns');
  at = out.writeInt32LE(nsBytes + 1, at);
  at += out.write(ns, at, 'utf8');
  out[at++] = 0;
  out[at++] = 0;
  name(0x01, 'ok');
  at = out.writeDoubleLE(1, at);
  out[at++] = 0;
  if (at !== total) throw new Error(`cursor reply size mismatch: ${at} != ${total}`);
  return out;
}
