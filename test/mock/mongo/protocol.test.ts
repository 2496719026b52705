import net from 'node:net';
import { BSON, type Document } from 'bson';
import { rawClient, rawClientSuite } from './target';

const OP_REPLY = 1;
const OP_QUERY = 2004;
const OP_MSG = 2013;
const MORE_TO_COME = 2;

const suite = rawClientSuite('protocol');

function hostPort(uri: string): { host: string; port: number } {
  const first = uri
    .replace(/^mongodb:\/\//, '')
    .split(/[/?]/)[0]!
    .split(',')[0]!;
  const at = first.lastIndexOf('@');
  const hostAndPort = at >= 0 ? first.slice(at + 1) : first;
  const colon = hostAndPort.lastIndexOf(':');
  return { host: hostAndPort.slice(0, colon), port: Number(hostAndPort.slice(colon + 1)) };
}

function header(length: number, requestId: number, opCode: number): Buffer {
  const h = Buffer.alloc(16);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(requestId, 4);
  h.writeInt32LE(0, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

function opMsg(
  requestId: number,
  body: Document,
  options: { flags?: number; sequence?: [string, Document[]] } = {},
): Buffer {
  const parts: Buffer[] = [];
  const flags = Buffer.alloc(4);
  flags.writeUInt32LE(options.flags ?? 0, 0);
  parts.push(flags, Buffer.from([0]), Buffer.from(BSON.serialize(body)));
  if (options.sequence) {
    const [identifier, docs] = options.sequence;
    const payload = Buffer.concat([
      Buffer.from(`${identifier}\0`),
      ...docs.map((d) => Buffer.from(BSON.serialize(d))),
    ]);
    const size = Buffer.alloc(4);
    size.writeInt32LE(4 + payload.length, 0);
    parts.push(Buffer.from([1]), size, payload);
  }
  const rest = Buffer.concat(parts);
  return Buffer.concat([header(16 + rest.length, requestId, OP_MSG), rest]);
}

function opQuery(requestId: number, collection: string, query: Document): Buffer {
  const flags = Buffer.alloc(4);
  const name = Buffer.from(`${collection}\0`);
  const skipReturn = Buffer.alloc(8);
  skipReturn.writeInt32LE(-1, 4);
  const rest = Buffer.concat([flags, name, skipReturn, Buffer.from(BSON.serialize(query))]);
  return Buffer.concat([header(16 + rest.length, requestId, OP_QUERY), rest]);
}

interface Reply {
  responseTo: number;
  opCode: number;
  doc: Document;
}

/** A raw TCP connection that collects whole replies. */
class RawConnection {
  readonly socket: net.Socket;
  private buffer = Buffer.alloc(0);
  private readonly replies: Reply[] = [];
  private waiter: (() => void) | null = null;
  closed = false;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('data', (chunk) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      while (this.buffer.length >= 4 && this.buffer.length >= this.buffer.readInt32LE(0)) {
        const length = this.buffer.readInt32LE(0);
        const msg = this.buffer.subarray(0, length);
        this.buffer = this.buffer.subarray(length);
        const opCode = msg.readInt32LE(12);
        const docStart = opCode === OP_REPLY ? 36 : 21;
        this.replies.push({
          responseTo: msg.readInt32LE(8),
          opCode,
          doc: BSON.deserialize(msg.subarray(docStart)),
        });
      }
      this.waiter?.();
    });
    socket.on('close', () => {
      this.closed = true;
      this.waiter?.();
    });
    socket.on('error', () => undefined);
  }

  static open(uri: string): Promise<RawConnection> {
    const { host, port } = hostPort(uri);
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, host, () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  /** The next reply, or null if the server closed the connection first. */
  async next(timeoutMs = 5000): Promise<Reply | null> {
    const deadline = setTimeout(() => this.waiter?.(), timeoutMs);
    try {
      while (this.replies.length === 0 && !this.closed) {
        await new Promise<void>((resolve) => (this.waiter = resolve));
      }
      return this.replies.shift() ?? null;
    } finally {
      clearTimeout(deadline);
      this.waiter = null;
    }
  }

  write(buf: Buffer): void {
    this.socket.write(buf);
  }

  close(): void {
    this.socket.destroy();
  }
}

describe('handshake', () => {
  it('when a driver says hello, then the server presents itself as a writable replica-set primary', async () => {
    const hello = await suite.client.db('admin').command({ hello: 1 });
    expect(hello.isWritablePrimary).toBe(true);
    expect(typeof hello.setName).toBe('string');
    expect(hello.hosts.length).toBeGreaterThan(0);
    expect(hello.maxWireVersion).toBeGreaterThanOrEqual(21);
    expect(hello.logicalSessionTimeoutMinutes).toBeGreaterThan(0);
    expect(hello.topologyVersion.processId).toBeDefined();
    expect(hello.maxBsonObjectSize).toBe(16 * 1024 * 1024);
    if (suite.target.local) {
      const { host, port } = hostPort(suite.target.uri);
      expect(hello.hosts).toEqual([`${host}:${port}`]);
      expect(hello.me).toBe(`${host}:${port}`);
    }
  });

  it('when a legacy client sends OP_QUERY isMaster, then it gets an OP_REPLY', async () => {
    const raw = await RawConnection.open(suite.target.uri);
    try {
      raw.write(opQuery(7, 'admin.$cmd', { isMaster: 1 }));
      const reply = await raw.next();
      expect(reply).toMatchObject({ opCode: OP_REPLY, responseTo: 7 });
      expect(reply!.doc).toMatchObject({ ismaster: true, ok: 1 });
      expect(reply!.doc.maxWireVersion).toBeGreaterThanOrEqual(21);
    } finally {
      raw.close();
    }
  });
});

describe('commands', () => {
  it('when a command is unknown, then the reply is CommandNotFound naming it', async () => {
    await expect(suite.db.command({ frobnicate: 1 })).rejects.toMatchObject({
      code: 59,
      codeName: 'CommandNotFound',
      message: "no such command: 'frobnicate'",
    });
  });

  it('when an OP_MSG carries documents in a kind 1 sequence, then they are part of the command', async () => {
    const raw = await RawConnection.open(suite.target.uri);
    try {
      raw.write(
        opMsg(1, { insert: 'seq', $db: suite.dbName }, { sequence: ['documents', [{ _id: 1 }, { _id: 2 }]] }),
      );
      expect((await raw.next())!.doc).toMatchObject({ n: 2, ok: 1 });
    } finally {
      raw.close();
    }
    expect(await suite.db.collection('seq').countDocuments()).toBe(2);
  });

  it('when a message asks for no reply (moreToCome), then none comes and the write still happens', async () => {
    const raw = await RawConnection.open(suite.target.uri);
    try {
      raw.write(
        opMsg(
          1,
          { insert: 'quiet', documents: [{ _id: 'q' }], writeConcern: { w: 0 }, $db: suite.dbName },
          { flags: MORE_TO_COME },
        ),
      );
      raw.write(opMsg(2, { find: 'quiet', filter: {}, $db: suite.dbName }));
      const reply = await raw.next();
      expect(reply!.responseTo).toBe(2);
      expect(reply!.doc.cursor.firstBatch).toEqual([{ _id: 'q' }]);
    } finally {
      raw.close();
    }
  });

  it('when a message arrives in pieces or two arrive together, then each gets its reply', async () => {
    const raw = await RawConnection.open(suite.target.uri);
    try {
      const ping = opMsg(11, { ping: 1, $db: 'admin' });
      for (let i = 0; i < ping.length; i += 7) {
        raw.write(ping.subarray(i, i + 7));
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(await raw.next()).toMatchObject({ responseTo: 11, doc: { ok: 1 } });
      raw.write(Buffer.concat([opMsg(12, { ping: 1, $db: 'admin' }), opMsg(13, { ping: 1, $db: 'admin' })]));
      expect((await raw.next())!.responseTo).toBe(12);
      expect((await raw.next())!.responseTo).toBe(13);
    } finally {
      raw.close();
    }
  });
});

describe('malformed messages', () => {
  async function expectClosedAlone(garbage: Buffer): Promise<void> {
    const bystander = await RawConnection.open(suite.target.uri);
    const victim = await RawConnection.open(suite.target.uri);
    try {
      victim.write(garbage);
      expect(await victim.next()).toBeNull();
      expect(victim.closed).toBe(true);
      bystander.write(opMsg(5, { ping: 1, $db: 'admin' }));
      expect(await bystander.next()).toMatchObject({ responseTo: 5, doc: { ok: 1 } });
      expect(await suite.client.db('admin').command({ ping: 1 })).toMatchObject({ ok: 1 });
    } finally {
      victim.close();
      bystander.close();
    }
  }

  it('when a message declares an impossible length, then only that connection is closed', async () => {
    const bad = header(16, 1, OP_MSG);
    bad.writeInt32LE(3, 0);
    await expectClosedAlone(bad);
  });

  it('when an OP_MSG body is not valid BSON, then only that connection is closed', async () => {
    const body = Buffer.from([0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f, 1, 2, 3]);
    await expectClosedAlone(Buffer.concat([header(16 + body.length, 1, OP_MSG), body]));
  });

  it('when the opCode is unknown, then only that connection is closed', async () => {
    const body = Buffer.from(BSON.serialize({ ping: 1 }));
    await expectClosedAlone(Buffer.concat([header(16 + body.length, 1, 9999), body]));
  });
});

describe('the driver monitor streaming hello', () => {
  it('when the monitor streams hello across several heartbeats, then no heartbeat fails and the pool is never cleared', async () => {
    // The streaming protocol: each awaited reply comes with moreToCome and the next follows after
    // maxAwaitTimeMS. Before the server did this, each heartbeat failed and the driver cleared its pool.
    const watched = await rawClient(suite.target, {
      heartbeatFrequencyMS: 500,
      serverMonitoringMode: 'stream',
    });
    const seen = { succeeded: 0, awaited: 0, failed: 0, cleared: 0 };
    watched.on('serverHeartbeatSucceeded', (e) => {
      seen.succeeded += 1;
      if (e.awaited) seen.awaited += 1;
    });
    watched.on('serverHeartbeatFailed', () => (seen.failed += 1));
    watched.on('connectionPoolCleared', () => (seen.cleared += 1));
    try {
      const coll = watched.db(suite.dbName).collection('heartbeats');
      // Work goes on while the monitor streams: bounded by count, each round waits for a heartbeat.
      for (let round = 0; round < 40 && seen.awaited < 3; round += 1) {
        await coll.insertOne({ round });
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(seen.awaited).toBeGreaterThanOrEqual(3);
      expect(seen.failed).toBe(0);
      expect(seen.cleared).toBe(0);
    } finally {
      await watched.close();
    }
  });
});
