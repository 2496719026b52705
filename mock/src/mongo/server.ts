/**
 * The TCP side: accepts connections, frames and parses messages, runs each connection's commands in
 * order, and writes replies. A message that does not parse closes its own connection only.
 */
import net from 'node:net';
import { BSON, ObjectId } from 'bson';
import { COMMANDS } from './commands';
import { topologyVersionOf } from './commands/admin';
import type { ClientInfo, Clock, CommandContext, ServerInfo } from './commands/context';
import { checkReadConcern, checkWriteConcern, type WriteConcernFailure } from './commands/concerns';
import { applyFailAction, CloseConnection, failPointError, FailPoints } from './commands/failpoints';
import { checkApi, checkFields } from './commands/fields';
import { ClusterTime } from './cluster-time';
import { CursorRegistry } from './cursors';
import { carriesTopologyVersion, errorLabelsFor } from './error-labels';
import { errorReply, mongoError, toMongoError } from './errors';
import { serialize } from './reply';
import { SessionRegistry } from './sessions';
import type { Engine } from './storage/engine';
import { transactionEngine } from './storage/txn-catalogue';
import { sweepExpired } from './ttl';
import type { Doc } from './values';
import { encodeOpMsgReply, encodeOpReply, MessageFramer, OP_MSG, parseMessage, type Request } from './wire';

/** How the server is set up. */
export interface ServerOptions {
  engine: Engine;
  clock: Clock;
  host: string;
  port: number;
  ttlIntervalMs: number;
  setName?: string;
}

// Cursor and session housekeeping; not user-visible timing, so it runs on the real clock.
const HOUSEKEEPING_MS = 5_000;

/** A listening MongoDB-compatible server over an engine. */
export class MongoWireServer {
  private readonly server = net.createServer((socket) => this.accept(socket));
  private readonly sockets = new Set<net.Socket>();
  private readonly cursors = new CursorRegistry();
  private readonly sessions: SessionRegistry;
  private readonly stopping = new AbortController();
  private readonly connections = new Set<AbortController>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly failPoints = new FailPoints();
  private readonly clients = new Map<number, ClientInfo>();
  private readonly time: ClusterTime;
  private nextConnectionId = 1;
  private nextRequestId = 1;
  private info!: ServerInfo;

  constructor(private readonly options: ServerOptions) {
    this.sessions = new SessionRegistry(options.engine);
    this.time = new ClusterTime(options.clock, () => options.engine.seq);
  }

  /** Starts listening; resolves with the bound port. */
  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const port = (this.server.address() as net.AddressInfo).port;
    const advertised =
      this.options.host === '0.0.0.0' || this.options.host === '::' ? '127.0.0.1' : this.options.host;
    this.info = {
      host: advertised,
      port,
      setName: this.options.setName ?? 'rs0',
      processId: new ObjectId(),
      startedAt: new Date(),
    };
    const ttl = setInterval(() => {
      try {
        this.sweepTtl();
      } catch (err) {
        console.error(`local mongo: TTL pass failed: ${(err as Error).message}`);
      }
    }, this.options.ttlIntervalMs);
    const housekeeping = setInterval(() => {
      this.cursors.sweep();
      this.sessions.sweep();
    }, HOUSEKEEPING_MS);
    ttl.unref();
    housekeeping.unref();
    this.timers.push(ttl, housekeeping);
    return port;
  }

  /** Runs one TTL pass now (also what the interval timer does). */
  sweepTtl(): number {
    const removed = sweepExpired(this.options.engine, this.options.clock.now());
    // Nobody waits on these deletes, but a failing journal must not go unnoticed.
    if (removed > 0)
      this.options.engine
        .durable()
        .catch((err: Error) => console.error(`local mongo: TTL journal write failed: ${err.message}`));
    return removed;
  }

  /** Closes every connection and stops listening; open transactions are aborted. */
  async stop(): Promise<void> {
    this.stopping.abort();
    for (const connection of this.connections) connection.abort();
    for (const t of this.timers) clearInterval(t);
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
    this.sessions.clear();
    this.cursors.clear();
  }

  private accept(socket: net.Socket): void {
    if (this.stopping.signal.aborted) {
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    socket.setNoDelay(true);
    const connectionId = this.nextConnectionId++;
    const closed = new AbortController();
    const framer = new MessageFramer();
    const queue: Buffer[] = [];
    let running = false;

    this.connections.add(closed);
    this.clients.set(connectionId, {});
    socket.on('close', () => {
      this.clients.delete(connectionId);
      this.sockets.delete(socket);
      this.connections.delete(closed);
      closed.abort();
    });
    socket.on('error', () => socket.destroy());

    const drain = async () => {
      running = true;
      try {
        while (queue.length > 0 && !socket.destroyed) {
          const message = queue.shift()!;
          let request: Request;
          try {
            request = parseMessage(message);
          } catch {
            socket.destroy();
            return;
          }
          const streaming = isAwaitableHello(request);
          const reply = await this.handle(request, connectionId, closed.signal, streaming);
          if (reply && !socket.destroyed) socket.write(Buffer.concat(reply.frames));
          if (reply && streaming)
            this.streamHello(request, reply.requestId, connectionId, closed.signal, socket).catch(() =>
              socket.destroy(),
            );
        }
      } finally {
        running = false;
      }
    };

    socket.on('data', (chunk: Buffer) => {
      let messages: Buffer[];
      try {
        messages = framer.push(chunk);
      } catch {
        socket.destroy();
        return;
      }
      if (messages.length === 0) return;
      queue.push(...messages);
      // A failure here is a bug of this server: drop the connection rather than the process.
      if (!running) drain().catch(() => socket.destroy());
    });
  }

  /**
   * The driver's monitor streams `hello`: after a reply sent with moreToCome it sends nothing more and
   * expects the next reply when the topology changes or maxAwaitTimeMS passes (the handler waits that
   * long), each answering the previous reply, until it closes the connection. A reply without
   * moreToCome there makes the driver drop the server and clear its pool (a stall of ~500 ms each
   * heartbeat, seen in the verify bench before this).
   */
  private async streamHello(
    request: Request,
    firstReplyId: number,
    connectionId: number,
    signal: AbortSignal,
    socket: net.Socket,
  ): Promise<void> {
    let responseTo = firstReplyId;
    while (!signal.aborted && !socket.destroyed && !this.stopping.signal.aborted) {
      const reply = await this.handle({ ...request, requestId: responseTo }, connectionId, signal, true);
      if (!reply || signal.aborted || socket.destroyed) return;
      socket.write(Buffer.concat(reply.frames));
      responseTo = reply.requestId;
    }
  }

  /** `$clusterTime` and `operationTime`, which a replica-set member puts in every reply (cluster-time.ts). */
  private clusterTime(): Doc {
    return this.time.fields();
  }

  /** Runs one request; returns the reply frames and their request id, or null when the client asked for none. */
  private async handle(
    request: Request,
    connectionId: number,
    signal: AbortSignal,
    moreToCome = false,
  ): Promise<{ frames: Buffer[]; requestId: number } | null> {
    let body: Uint8Array;
    try {
      const result = await this.run(request, connectionId, signal);
      body = Buffer.isBuffer(result)
        ? withClusterTimeBytes(result, this.clusterTime())
        : serialize({ ...withOk(result), ...this.clusterTime() });
    } catch (err) {
      // A fail point's closeConnection: the caller drops the connection, nothing is sent.
      if (err instanceof CloseConnection) throw err;
      // MongoDB labels the error from its code and the command's session fields (error-labels.ts).
      const e = toMongoError(err);
      const reply = errorReply(e, errorLabelsFor(e, request.command));
      if (carriesTopologyVersion(e.code)) reply.topologyVersion = topologyVersionOf(this.info);
      body = serialize({ ...reply, ...this.clusterTime() });
    }
    if (request.moreToCome) return null;
    const requestId = this.nextRequestId++;
    const frames =
      request.opCode === OP_MSG
        ? encodeOpMsgReply(body, requestId, request.requestId, moreToCome)
        : encodeOpReply(body, requestId, request.requestId);
    return { frames, requestId };
  }

  private async run(request: Request, connectionId: number, signal: AbortSignal): Promise<Doc | Buffer> {
    const cmd = request.command;
    const name = Object.keys(cmd)[0];
    let db: unknown = cmd.$db;
    if (request.opCode !== OP_MSG) {
      const full = request.fullCollectionName ?? '';
      if (!full.endsWith('.$cmd'))
        throw mongoError('CommandNotSupported', 'OP_QUERY is only supported for commands');
      db = full.slice(0, -'.$cmd'.length);
    }
    if (typeof db !== 'string' || db === '')
      throw mongoError('InvalidNamespace', 'OP_MSG requests require a $db argument');
    const handler = name === undefined ? undefined : COMMANDS.get(name);
    if (!handler) throw mongoError('CommandNotFound', `no such command: '${name ?? ''}'`);
    // Refused before anything runs: fields, API parameters and concerns this server does not honour.
    checkFields(name!, cmd, this.options.engine, db);
    checkApi(name!, cmd);
    checkReadConcern(name!, cmd);
    this.time.gossip(cmd.$clusterTime);
    this.time.checkAfter(cmd.readConcern);
    const unsatisfiable = checkWriteConcern(name!, cmd);

    const ctx: CommandContext = {
      engine: this.options.engine,
      cursors: this.cursors,
      sessions: this.sessions,
      clock: this.options.clock,
      info: this.info,
      db,
      txn: null,
      connectionId,
      client: this.clients.get(connectionId) ?? {},
      failPoints: this.failPoints,
      signal,
    };
    // The fail point fails a command before it touches its session, as on MongoDB: the transaction stays
    // open (a first statement does not even start it), so the driver's retry of an injected error succeeds.
    const fail = this.failPoints.evaluate(name!, cmd, ctx);
    if (fail) await applyFailAction(fail);
    const txn = this.sessions.transactionFor(name!, cmd);
    if (txn) {
      ctx.txn = txn;
      // Inside a transaction, collections and indexes it creates exist for it alone until it commits.
      ctx.engine = transactionEngine(this.options.engine, txn);
    }
    try {
      const result = await handler(cmd, ctx);
      // As on MongoDB, a failed write inside a transaction aborts the transaction.
      if (txn && !Buffer.isBuffer(result) && Array.isArray(result.writeErrors)) {
        this.options.engine.abort(txn, 'a write in the transaction failed');
      }
      if (fail?.writeConcernError) {
        // Labels as for an error of the write concern's code, unless failCommand named them; never
        // TransientTransactionError: the statement ran, so the transaction is not to be retried for it.
        const labels =
          fail.writeConcernLabels ??
          errorLabelsFor(
            failPointError(fail.writeConcernError.code, fail.writeConcernError.errmsg),
            cmd,
          ).filter((l) => l !== 'TransientTransactionError');
        const reply = withWriteConcernError(result, fail.writeConcernError);
        return labels.length > 0 ? { ...reply, errorLabels: labels } : reply;
      }
      return unsatisfiable ? withWriteConcernError(result, unsatisfiable) : result;
    } catch (err) {
      if (txn && name !== 'commitTransaction' && name !== 'abortTransaction') {
        this.options.engine.abort(txn, 'an operation in the transaction failed');
      }
      throw err;
    }
  }
}

/** A serialised reply with the fields of `extra` appended (cursor replies come serialised). */
function withClusterTimeBytes(body: Buffer, extra: Doc): Buffer {
  const fields = serialize(extra);
  // Both are BSON documents: int32 length, elements, a final 0 byte.
  const out = Buffer.concat([body.subarray(0, body.length - 1), fields.subarray(4)]);
  out.writeInt32LE(out.length, 0);
  return out;
}

/** MongoDB does the write, then reports the write concern it could not satisfy next to the result. */
function withWriteConcernError(result: Doc | Buffer, failure: WriteConcernFailure | Doc): Doc {
  const doc = Buffer.isBuffer(result) ? BSON.deserialize(result) : result;
  return { ...withOk(doc), writeConcernError: failure };
}

function withOk(doc: Doc): Doc {
  return 'ok' in doc ? doc : { ...doc, ok: 1 };
}

/** A monitor's `hello` that asks to be streamed (exhaustAllowed, with a topologyVersion and maxAwaitTimeMS). */
function isAwaitableHello(request: Request): boolean {
  if (request.opCode !== OP_MSG || !request.exhaustAllowed || request.moreToCome) return false;
  const cmd = request.command;
  const name = Object.keys(cmd)[0];
  return (
    (name === 'hello' || name === 'isMaster' || name === 'ismaster') &&
    typeof cmd.maxAwaitTimeMS === 'number' &&
    cmd.maxAwaitTimeMS > 0 &&
    typeof cmd.topologyVersion === 'object' &&
    cmd.topologyVersion !== null
  );
}
