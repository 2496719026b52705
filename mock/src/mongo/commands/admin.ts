/**
 * Handshake, monitoring and session commands. The server presents itself as the primary of a
 * single-member replica set running MongoDB 7.0 (wire version 21), which is what lets drivers use
 * sessions, retryable writes and transactions against it.
 */
import { createHash } from 'node:crypto';
import { Binary, Long, ObjectId, Timestamp, UUID } from 'bson';
import { Query } from 'mingo';
import { mongoError } from '../errors';
import { SESSION_TIMEOUT_MINUTES } from '../sessions';
import { commitWithCatalogue } from '../storage/txn-catalogue';
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
    topologyVersion: topologyVersionOf(ctx.info),
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

/** This process's topology version: a restart is a new process id; the counter never moves (one member). */
export function topologyVersionOf(info: Pick<CommandContext['info'], 'processId'>): Doc {
  return { processId: info.processId, counter: Long.fromNumber(0) };
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
  const all = names.map((name) => ({
    name,
    sizeOnDisk: 0,
    empty: ctx.engine.collections(name).every((c) => c.docs.size === 0),
  }));
  // As on MongoDB, the filter sees the fields of the full entry even when only names are returned.
  const filter = cmd.filter;
  if (filter !== undefined && filter !== null && !isPlainObject(filter))
    throw mongoError(
      'TypeMismatch',
      "BSON field 'listDatabases.filter' is the wrong type, expected type 'object'",
    );
  const query =
    isPlainObject(filter) && Object.keys(filter).length > 0
      ? new Query(filter, { scriptEnabled: false })
      : null;
  const databases = query ? all.filter((d) => query.test(d)) : all;
  if (cmd.nameOnly === true) return { databases: databases.map(({ name }) => ({ name })), ok: 1 };
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

const startSession: CommandHandler = (_cmd, ctx) => {
  const id = { id: new UUID() };
  ctx.sessions.touch(id);
  return { id, timeoutMinutes: SESSION_TIMEOUT_MINUTES, ok: 1 };
};

const refreshSessions: CommandHandler = (cmd, ctx) => {
  const lsids = Array.isArray(cmd.refreshSessions) ? cmd.refreshSessions : [];
  for (const lsid of lsids) if (isPlainObject(lsid)) ctx.sessions.touch(lsid);
  return { ok: 1 };
};

// MongoDB names a session's owner by the SHA-256 of "user@db"; without authentication every session
// belongs to the empty user, SHA-256 of "".
function userDigest(user: string): Binary {
  return new Binary(createHash('sha256').update(user).digest());
}

/** The `$listLocalSessions` stage's documents: `{ _id: { id, uid }, lastUse }` per session the server knows. */
function localSessions(ctx: CommandContext, spec: unknown): Doc[] {
  if (!isPlainObject(spec))
    throw mongoError('TypeMismatch', '$listLocalSessions options must be specified in an object');
  let wanted: Set<string> | null = new Set([userDigest('').toString('hex')]);
  for (const [field, value] of Object.entries(spec)) {
    if (field === 'allUsers') {
      if (value === true) wanted = null;
    } else if (field === 'users') {
      if (!Array.isArray(value))
        throw mongoError(
          'TypeMismatch',
          "BSON field '$listLocalSessions.users' is the wrong type, expected type 'array'",
        );
      wanted = new Set(
        value.map((u) => {
          if (!isPlainObject(u) || typeof u.user !== 'string' || typeof u.db !== 'string')
            throw mongoError('FailedToParse', '$listLocalSessions users must be { user, db } documents');
          return userDigest(`${u.user}@${u.db}`).toString('hex');
        }),
      );
    } else throw mongoError('Location40415', `BSON field '$listLocalSessions.${field}' is an unknown field.`);
  }
  const anonymous = userDigest('');
  return ctx.sessions
    .list()
    .filter(() => wanted === null || wanted.has(anonymous.toString('hex')))
    .map((s) => ({ _id: { id: s.lsid.id, uid: anonymous }, lastUse: s.lastUse }));
}

/**
 * The aggregation sources that read the server's own state rather than a collection: a pipeline that
 * opens with `$listLocalSessions` (run as `{ aggregate: 1 }`) reads the sessions the server
 * knows. Returns the input and the remaining stages; a pipeline without such a stage is left as it is.
 */
export function serverStateSource(
  ctx: CommandContext,
  source: unknown,
  input: Doc[],
  stages: Doc[],
): { input: Doc[]; stages: Doc[] } {
  const at = stages.findIndex((s) => '$listLocalSessions' in s);
  if (at < 0) return { input, stages };
  if (at > 0)
    throw mongoError('Location40602', '$listLocalSessions is only valid as the first stage in a pipeline.');
  // MongoDB runs it on any database, as long as the aggregate names no collection.
  if (source !== 1)
    throw mongoError('InvalidNamespace', '$listLocalSessions must be run with {aggregate: 1}');
  return { input: localSessions(ctx, stages[0]!.$listLocalSessions), stages: stages.slice(1) };
}

const connectionStatus: CommandHandler = () => ({
  authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] },
  ok: 1,
});

const whatsmyuri: CommandHandler = (_cmd, ctx) => ({ you: hostOf(ctx), ok: 1 });

const commitTransaction: CommandHandler = async (_cmd, ctx) => {
  if (!ctx.txn) throw mongoError('InvalidOptions', 'commitTransaction must be run within a transaction');
  if (ctx.txn.state === 'active') {
    try {
      commitWithCatalogue(ctx.engine, ctx.txn);
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
  refreshSessions,
  startSession,
  connectionStatus,
  whatsmyuri,
  commitTransaction,
  abortTransaction,
};
