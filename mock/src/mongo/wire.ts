/**
 * MongoDB wire protocol framing: the 16-byte header, OP_MSG (with kind 1 document sequences) for every
 * command of a current driver, and the legacy OP_QUERY / OP_REPLY pair that old clients use for their
 * first `isMaster`. Anything that does not parse is a `WireError`, on which the connection is closed.
 */
import { BSON, type Document } from 'bson';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_COMPRESSED = 2012;
export const OP_MSG = 2013;

/** The largest message this server accepts, as advertised in `hello`. */
export const MAX_MESSAGE_BYTES = 48_000_000;
export const MAX_BSON_OBJECT_BYTES = 16 * 1024 * 1024;
export const MAX_WRITE_BATCH = 100_000;

const CHECKSUM_PRESENT = 1 << 0;
const MORE_TO_COME = 1 << 1;
const EXHAUST_ALLOWED = 1 << 16;
// Bits 0-15 are "required": a receiver that does not know one must fail the message.
const KNOWN_REQUIRED_BITS = CHECKSUM_PRESENT | MORE_TO_COME;

// Decoding as the driver does by default: numbers become JS numbers, binary stays `Binary`.
const DESERIALIZE_OPTIONS = { promoteBuffers: false, promoteLongs: true, promoteValues: true } as const;

/** A message that cannot be parsed; the connection that sent it is closed. */
export class WireError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireError';
  }
}

/** A decoded client request: the command document with document sequences folded in. */
export interface Request {
  requestId: number;
  opCode: typeof OP_MSG | typeof OP_QUERY;
  command: Document;
  /** OP_MSG moreToCome: the client expects no reply (unacknowledged writes). */
  moreToCome: boolean;
  exhaustAllowed: boolean;
  /** OP_QUERY only: the collection name the query was sent to, e.g. `admin.$cmd`. */
  fullCollectionName?: string;
}

/** Accumulates socket chunks and yields complete messages, so reads of any size work. */
export class MessageFramer {
  private chunks: Buffer[] = [];
  private buffered = 0;

  /** Appends a chunk and returns every complete message now available. */
  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const messages: Buffer[] = [];
    while (this.buffered >= 4) {
      const head = this.peek(4);
      const length = head.readInt32LE(0);
      if (length < 16 || length > MAX_MESSAGE_BYTES) throw new WireError(`invalid message length ${length}`);
      if (this.buffered < length) break;
      messages.push(this.take(length));
    }
    return messages;
  }

  private peek(n: number): Buffer {
    if (this.chunks[0]!.length >= n) return this.chunks[0]!;
    this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0]!;
  }

  private take(n: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    const message = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return message;
  }
}

function readCString(buf: Buffer, offset: number, end: number): [string, number] {
  const zero = buf.indexOf(0, offset);
  if (zero < 0 || zero >= end) throw new WireError('unterminated C string');
  return [buf.toString('utf8', offset, zero), zero + 1];
}

function readDocument(buf: Buffer, offset: number, end: number): [Document, number] {
  if (offset + 5 > end) throw new WireError('truncated BSON document');
  const size = buf.readInt32LE(offset);
  if (size < 5 || offset + size > end) throw new WireError('BSON document overruns its section');
  try {
    return [BSON.deserialize(buf.subarray(offset, offset + size), DESERIALIZE_OPTIONS), offset + size];
  } catch (err) {
    throw new WireError(`invalid BSON: ${(err as Error).message}`);
  }
}

/** Parses one complete message (header included). */
export function parseMessage(msg: Buffer): Request {
  const requestId = msg.readInt32LE(4);
  const opCode = msg.readInt32LE(12);
  if (opCode === OP_MSG) return parseOpMsg(msg, requestId);
  if (opCode === OP_QUERY) return parseOpQuery(msg, requestId);
  throw new WireError(`unsupported opCode ${opCode}`);
}

function parseOpMsg(msg: Buffer, requestId: number): Request {
  if (msg.length < 21) throw new WireError('OP_MSG too short');
  const flags = msg.readUInt32LE(16);
  if ((flags & 0xffff & ~KNOWN_REQUIRED_BITS) !== 0)
    throw new WireError(`unknown required OP_MSG flags ${flags}`);
  const end = flags & CHECKSUM_PRESENT ? msg.length - 4 : msg.length;
  let offset = 20;
  let body: Document | undefined;
  const sequences: [string, Document[]][] = [];
  while (offset < end) {
    const kind = msg[offset]!;
    offset += 1;
    if (kind === 0) {
      if (body) throw new WireError('OP_MSG with two body sections');
      [body, offset] = readDocument(msg, offset, end);
    } else if (kind === 1) {
      if (offset + 4 > end) throw new WireError('truncated document sequence');
      const size = msg.readInt32LE(offset);
      const seqEnd = offset + size;
      if (size < 5 || seqEnd > end) throw new WireError('document sequence overruns the message');
      const [identifier, start] = readCString(msg, offset + 4, seqEnd);
      let at = start;
      const docs: Document[] = [];
      while (at < seqEnd) {
        let doc: Document;
        [doc, at] = readDocument(msg, at, seqEnd);
        docs.push(doc);
      }
      sequences.push([identifier, docs]);
      offset = seqEnd;
    } else {
      throw new WireError(`unknown OP_MSG section kind ${kind}`);
    }
  }
  if (!body) throw new WireError('OP_MSG without a body section');
  for (const [identifier, docs] of sequences) {
    const existing = body[identifier];
    body[identifier] = Array.isArray(existing) ? [...existing, ...docs] : docs;
  }
  return {
    requestId,
    opCode: OP_MSG,
    command: body,
    moreToCome: (flags & MORE_TO_COME) !== 0,
    exhaustAllowed: (flags & EXHAUST_ALLOWED) !== 0,
  };
}

function parseOpQuery(msg: Buffer, requestId: number): Request {
  let offset = 20;
  const [fullCollectionName, afterName] = readCString(msg, offset, msg.length);
  offset = afterName + 8; // numberToSkip, numberToReturn
  let [query] = readDocument(msg, offset, msg.length);
  // Old drivers wrap commands as { $query: {...}, $readPreference: ... }.
  if (query.$query && typeof query.$query === 'object') query = query.$query as Document;
  return {
    requestId,
    opCode: OP_QUERY,
    command: query,
    moreToCome: false,
    exhaustAllowed: false,
    fullCollectionName,
  };
}

function header(length: number, requestId: number, responseTo: number, opCode: number): Buffer {
  const h = Buffer.allocUnsafe(16);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(requestId, 4);
  h.writeInt32LE(responseTo, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

/** An OP_MSG reply around an already serialized body document. */
export function encodeOpMsgReply(
  body: Uint8Array,
  requestId: number,
  responseTo: number,
  moreToCome = false,
): Buffer[] {
  const prefix = Buffer.allocUnsafe(5);
  prefix.writeUInt32LE(moreToCome ? MORE_TO_COME : 0, 0);
  prefix[4] = 0;
  return [
    header(16 + 5 + body.length, requestId, responseTo, OP_MSG),
    prefix,
    Buffer.from(body.buffer, body.byteOffset, body.byteLength),
  ];
}

/** An OP_REPLY (the answer to a legacy OP_QUERY) carrying one document. */
export function encodeOpReply(body: Uint8Array, requestId: number, responseTo: number): Buffer[] {
  const fields = Buffer.alloc(20);
  // responseFlags = 0, cursorID = 0, startingFrom = 0, numberReturned = 1
  fields.writeInt32LE(1, 16);
  return [
    header(16 + 20 + body.length, requestId, responseTo, OP_REPLY),
    fields,
    Buffer.from(body.buffer, body.byteOffset, body.byteLength),
  ];
}
