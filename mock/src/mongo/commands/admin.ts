/**
 * Handshake, monitoring and session commands. The server presents itself as the primary of a
 * single-member replica set running MongoDB 7.0 (wire version 21), which is what lets drivers use
 * sessions, retryable writes and transactions against it.
 */
import { Long, ObjectId, Timestamp, UUID } from 'bson';
import { mongoError } from '../errors';
import { SESSION_TIMEOUT_MINUTES } from '../sessions';
import { MAX_BSON_OBJECT_BYTES, MAX_MESSAGE_BYTES, MAX_WRITE_BATCH } from '../wire';
import { isPlainObject, type Doc } from '../values';
import type { CommandContext, CommandHandler } from './context';

/** The MongoDB release this server imitates. */
export const SERVER_VERSION = '7.0.0';
export const MAX_WIRE_VERSION = 21;
/** Marks `buildInfo` replies of this server, so tests can tell it from a real MongoDB. */
export const LOCAL_SERVER_MARKER = 'eid-local-mongo';

function hostOf(ctx: CommandContext): string {
  return `${ctx.info.host}:${ctx.info.port}`;
}

function helloReply(cmd: Doc, ctx: CommandContext, legacy: boolean): Doc {
  const now = new Date();
  const opTime = {
    ts: new Timestamp({ t: Math.floor(now.getTime() / 1000), i: ctx.engine.seq % 0x1_0000_0000 }),
    t: Long.fromNumber(1),
  };
  const reply: Doc = {
    topologyVersion: { processId: ctx.info.processId, counter: Long.fromNumber(0) },
    hosts: [hostOf(ctx)],
    setName: ctx.info.setName,
    setVersion: 1,
    [legacy ? 'ismaster' : 'isWritablePrimary']: true,
    secondary: false,
    primary: hostOf(ctx),
    me: hostOf(ctx),
    electionId: new ObjectId('7fffffff0000000000000001'),
    lastWrite: { opTime, lastWriteDate: now, majorityOpTime: opTime, majorityWriteDate: now },
    maxBsonObjectSize: MAX_BSON_OBJECT_BYTES,
    maxMessageSizeBytes: MAX_MESSAGE_BYTES,
    maxWriteBatchSize: MAX_WRITE_BATCH,
    localTime: now,
    logicalSessionTimeoutMinutes: SESSION_TIMEOUT_MINUTES,
    connectionId: ctx.connectionId,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
  };
  if (cmd.helloOk === true) reply.helloOk = true;
  reply.ok = 1;
  return reply;
}

function makeHello(legacy: boolean): CommandHandler {
  return async function hello(cmd, ctx) {
    // The handshake names the client application; fail points can be aimed at it (failpoints.ts).
    const app = isPlainObject(cmd.client) ? cmd.client.application : undefined;
    if (ctx.client.appName === undefined && isPlainObject(app) && typeof app.name === 'string')
      ctx.client.appName = app.name;
    // The driver's monitor asks with the topologyVersion it knows and expects the server to hold the
    // reply for maxAwaitTimeMS while nothing changes; answering at once would make it spin.
    const tv = cmd.topologyVersion;
    const wait = typeof cmd.maxAwaitTimeMS === 'number' ? cmd.maxAwaitTimeMS : 0;
    if (isPlainObject(tv) && wait > 0 && String(tv.processId) === ctx.info.processId.toHexString()) {
      await new Promise<void>((resolve) => {
        if (ctx.signal.aborted) return resolve();
        const timer = setTimeout(done, wait);
        function done() {
          clearTimeout(timer);
          ctx.signal.removeEventListener('abort', done);
          resolve();
        }
        ctx.signal.addEventListener('abort', done);
      });
    }
    return helloReply(cmd, ctx, legacy);
  };
}

const buildInfo: CommandHandler = () => ({
  version: SERVER_VERSION,
  gitVersion: LOCAL_SERVER_MARKER,
  versionArray: [7, 0, 0, 0],
  bits: 64,
  debug: false,
  maxBsonObjectSize: MAX_BSON_OBJECT_BYTES,
  storageEngines: ['local'],
  javascriptEngine: 'none',
  localServer: LOCAL_SERVER_MARKER,
  ok: 1,
});

const listDatabases: CommandHandler = (cmd, ctx) => {
  const names = ctx.engine.databases().sort();
  if (cmd.nameOnly === true) return { databases: names.map((name) => ({ name })), ok: 1 };
  const databases = names.map((name) => ({
    name,
    sizeOnDisk: 0,
    empty: ctx.engine.collections(name).every((c) => c.docs.size === 0),
  }));
  return { databases, totalSize: 0, totalSizeMb: 0, ok: 1 };
};

const endSessions: CommandHandler = (cmd, ctx) => {
  const lsids = Array.isArray(cmd.endSessions) ? cmd.endSessions : [];
  ctx.sessions.end(lsids);
  return { ok: 1 };
};

const killSessions: CommandHandler = (cmd, ctx) => {
  const lsids = Array.isArray(cmd.killSessions) ? cmd.killSessions : [];
  ctx.sessions.end(lsids);
  return { ok: 1 };
};

const startSession: CommandHandler = () => ({
  id: { id: new UUID() },
  timeoutMinutes: SESSION_TIMEOUT_MINUTES,
  ok: 1,
});

const connectionStatus: CommandHandler = () => ({
  authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] },
  ok: 1,
});

const whatsmyuri: CommandHandler = (_cmd, ctx) => ({ you: hostOf(ctx), ok: 1 });

const commitTransaction: CommandHandler = async (_cmd, ctx) => {
  if (!ctx.txn) throw mongoError('InvalidOptions', 'commitTransaction must be run within a transaction');
  if (ctx.txn.state === 'active') {
    try {
      ctx.engine.commit(ctx.txn);
    } catch (err) {
      ctx.engine.abort(ctx.txn, 'commit failed');
      throw err;
    }
  }
  await ctx.engine.durable();
  return { ok: 1 };
};

const abortTransaction: CommandHandler = (_cmd, ctx) => {
  if (!ctx.txn) throw mongoError('InvalidOptions', 'abortTransaction must be run within a transaction');
  ctx.engine.abort(ctx.txn, 'aborted by the client');
  return { ok: 1 };
};

/** Handlers by command name. */
export const adminCommands: Record<string, CommandHandler> = {
  hello: makeHello(false),
  isMaster: makeHello(true),
  ismaster: makeHello(true),
  ping: () => ({ ok: 1 }),
  buildInfo,
  buildinfo: buildInfo,
  listDatabases,
  endSessions,
  killSessions,
  refreshSessions: () => ({ ok: 1 }),
  startSession,
  connectionStatus,
  whatsmyuri,
  commitTransaction,
  abortTransaction,
};
