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

function cstring(s: string): Buffer {
  return Buffer.from(`${s}\0`, 'utf8');
}

function element(type: number, name: string, value: Buffer | Uint8Array): Buffer[] {
  return [Buffer.from([type]), cstring(name), Buffer.from(value.buffer, value.byteOffset, value.byteLength)];
}

function documentOf(parts: Buffer[]): Buffer {
  const size = 4 + parts.reduce((n, p) => n + p.length, 0) + 1;
  const head = Buffer.allocUnsafe(4);
  head.writeInt32LE(size, 0);
  return Buffer.concat([head, ...parts, Buffer.from([0])]);
}

/**
 * `{ cursor: { <firstBatch|nextBatch>: [...], id: NumberLong(id), ns }, ok: 1 }` built around
 * pre-serialised documents.
 */
export function cursorReply(
  batchKey: 'firstBatch' | 'nextBatch',
  batch: Uint8Array[],
  id: number,
  ns: string,
): Buffer {
  const arrayParts: Buffer[] = [];
  batch.forEach((buf, i) => arrayParts.push(...element(0x03, String(i), buf)));
  const idBytes = Buffer.allocUnsafe(8);
  idBytes.writeBigInt64LE(BigInt(id), 0);
  const nsBytes = Buffer.from(ns, 'utf8');
  const nsValue = Buffer.allocUnsafe(4 + nsBytes.length + 1);
  nsValue.writeInt32LE(nsBytes.length + 1, 0);
  nsBytes.copy(nsValue, 4);
  nsValue[4 + nsBytes.length] = 0;
  const cursor = documentOf([
    ...element(0x04, batchKey, documentOf(arrayParts)),
    ...element(0x12, 'id', idBytes),
    ...element(0x02, 'ns', nsValue),
  ]);
  const ok = Buffer.allocUnsafe(8);
  ok.writeDoubleLE(1, 0);
  return documentOf([...element(0x03, 'cursor', cursor), ...element(0x01, 'ok', ok)]);
}
