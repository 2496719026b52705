/**
 * The fields each command accepts. MongoDB parses commands with its IDL and refuses a field it does not
 * know (code 40415, "BSON field 'update.updates.sort' is an unknown field."); a server that accepted
 * and ignored one would answer differently without saying so. So every command here lists:
 *
 * - the fields it honours (plus the generic ones every command may carry), and
 * - the fields MongoDB documents but this server does not honour: those are refused with NotImplemented
 *   (238) naming the field, unless the value asks for MongoDB's default behaviour (`tailable: false`).
 *
 * Anything else is refused as MongoDB refuses an unknown field. Nested statements (`updates`,
 * `deletes`) are checked the same way. `hint` is honoured when it names an index whose use cannot change
 * the result (not sparse, partial or hidden), and refused as MongoDB does when it names none.
 */
import { mongoError } from '../errors';
import type { Engine } from '../storage/engine';
import { isPlainObject, keyOf, type Doc } from '../values';

// Fields any command may carry: routing, sessions, transactions, concerns (checked in concerns.ts) and
// the Stable API. `comment` only shows in logs; `maxTimeMS` bounds commands that finish far sooner here.
const GENERIC = [
  '$db',
  'lsid',
  'txnNumber',
  'autocommit',
  'startTransaction',
  '$clusterTime',
  '$readPreference',
  'readConcern',
  'writeConcern',
  'comment',
  'maxTimeMS',
  'apiVersion',
  'apiStrict',
  'apiDeprecationErrors',
];

/** A field MongoDB documents that this server does not honour; `harmless` tells a value that asks for nothing. */
interface Unsupported {
  harmless?: (value: unknown) => boolean;
}

const isFalse = (v: unknown) => v === false;

interface CommandFields {
  /** Fields honoured besides the generic ones (the command's own name included). */
  known: string[];
  /**
   * False for commands MongoDB does not parse strictly either: the handshake (drivers add fields to it
   * that older servers must ignore, e.g. driver 7's `backpressure`), `ping` and `buildInfo`. The
   * unsupported fields are still refused.
   */
  strict?: boolean;
  unsupported?: Record<string, Unsupported>;
  /** Array fields whose elements are statements with fields of their own. */
  statements?: Record<string, { known: string[]; unsupported?: Record<string, Unsupported> }>;
}

const FIND: CommandFields = {
  known: [
    'find',
    'filter',
    'sort',
    'projection',
    'skip',
    'limit',
    'batchSize',
    'singleBatch',
    'collation',
    'let',
    'hint',
    // No memory limit applies here, so allowing disk use changes nothing; a single node has no shards.
    'allowDiskUse',
    'allowPartialResults',
    // A no-op since MongoDB 4.4.
    'oplogReplay',
  ],
  unsupported: {
    min: {},
    max: {},
    returnKey: { harmless: isFalse },
    showRecordId: { harmless: isFalse },
    tailable: { harmless: isFalse },
    awaitData: { harmless: isFalse },
    noCursorTimeout: { harmless: isFalse },
    readOnce: { harmless: isFalse },
  },
};

const UPDATE_STATEMENT = {
  known: ['q', 'u', 'upsert', 'multi', 'arrayFilters', 'collation', 'hint'],
  // `sort` is an update-statement field only from MongoDB 8.0; 7.0, which this server reports, refuses it.
  unsupported: { c: {} },
};

const DELETE_STATEMENT = { known: ['q', 'limit', 'collation', 'hint'] };

// Documented `create` options this server does not honour (views are handled by `viewOn`/`pipeline`).
const CREATE_UNSUPPORTED: Record<string, Unsupported> = {
  capped: { harmless: isFalse },
  size: {},
  max: {},
  autoIndexId: {},
  idIndex: {},
  validator: {},
  validationLevel: {},
  validationAction: {},
  timeseries: {},
  clusteredIndex: {},
  expireAfterSeconds: {},
  changeStreamPreAndPostImages: {},
  storageEngine: {},
  indexOptionDefaults: {},
  encryptedFields: {},
  flags: {},
};

const COLLMOD_UNSUPPORTED: Record<string, Unsupported> = Object.fromEntries(
  [
    'validator',
    'validationLevel',
    'validationAction',
    'viewOn',
    'pipeline',
    'expireAfterSeconds',
    'changeStreamPreAndPostImages',
    'timeseries',
    'clusteredIndex',
    'cappedSize',
    'cappedMax',
    'dryRun',
    'recordPreImages',
  ].map((f) => [f, {}]),
);

const HELLO: CommandFields = {
  // What drivers send in the handshake and the monitor's awaitable hello. No compression, auth or load
  // balancer is offered, and the reply says so by leaving the corresponding answers out.
  strict: false,
  known: [
    'helloOk',
    'client',
    'compression',
    'saslSupportedMechs',
    'speculativeAuthenticate',
    'topologyVersion',
    'maxAwaitTimeMS',
  ],
  unsupported: { loadBalanced: { harmless: isFalse } },
};

const withName = (name: string, spec: CommandFields): CommandFields => ({
  ...spec,
  known: [name, ...spec.known],
});

/** Fields by command name, for every command of the command table. */
export const COMMAND_FIELDS: Record<string, CommandFields> = {
  hello: withName('hello', HELLO),
  isMaster: withName('isMaster', HELLO),
  ismaster: withName('ismaster', HELLO),
  ping: { known: ['ping'], strict: false },
  buildInfo: { known: ['buildInfo'], strict: false },
  buildinfo: { known: ['buildinfo'], strict: false },
  listDatabases: { known: ['listDatabases', 'nameOnly', 'authorizedDatabases', 'filter'] },
  endSessions: { known: ['endSessions'] },
  killSessions: { known: ['killSessions'] },
  refreshSessions: { known: ['refreshSessions'] },
  startSession: { known: ['startSession'] },
  connectionStatus: { known: ['connectionStatus'], unsupported: { showPrivileges: { harmless: isFalse } } },
  whatsmyuri: { known: ['whatsmyuri'], strict: false },
  commitTransaction: { known: ['commitTransaction', 'recoveryToken'] },
  abortTransaction: { known: ['abortTransaction', 'recoveryToken'] },
  insert: { known: ['insert', 'documents', 'ordered', 'bypassDocumentValidation'] },
  update: {
    known: ['update', 'updates', 'ordered', 'bypassDocumentValidation', 'let'],
    statements: { updates: UPDATE_STATEMENT },
  },
  delete: { known: ['delete', 'deletes', 'ordered', 'let'], statements: { deletes: DELETE_STATEMENT } },
  find: FIND,
  getMore: { known: ['getMore', 'collection', 'batchSize'] },
  killCursors: { known: ['killCursors', 'cursors'] },
  findAndModify: findAndModifyFields('findAndModify'),
  findandmodify: findAndModifyFields('findandmodify'),
  count: { known: ['count', 'query', 'limit', 'skip', 'hint', 'collation'] },
  distinct: { known: ['distinct', 'key', 'query', 'collation', 'hint'] },
  aggregate: {
    known: [
      'aggregate',
      'pipeline',
      'cursor',
      'explain',
      'allowDiskUse',
      'bypassDocumentValidation',
      'collation',
      'hint',
      'let',
    ],
  },
  create: { known: ['create', 'viewOn', 'pipeline', 'collation'], unsupported: CREATE_UNSUPPORTED },
  drop: { known: ['drop'] },
  dropDatabase: { known: ['dropDatabase'] },
  listCollections: { known: ['listCollections', 'filter', 'nameOnly', 'cursor', 'authorizedCollections'] },
  renameCollection: { known: ['renameCollection', 'to', 'dropTarget'] },
  // A single node is every voting member, so any commit quorum it can meet is met at once.
  createIndexes: { known: ['createIndexes', 'indexes', 'commitQuorum'] },
  listIndexes: { known: ['listIndexes', 'cursor'] },
  dropIndexes: { known: ['dropIndexes', 'index'] },
  collMod: { known: ['collMod', 'index'], unsupported: COLLMOD_UNSUPPORTED },
  configureFailPoint: { known: ['configureFailPoint', 'mode', 'data'] },
  waitForFailPoint: { known: ['waitForFailPoint', 'timesEntered'] },
};

function findAndModifyFields(name: string): CommandFields {
  return {
    known: [
      name,
      'query',
      'sort',
      'remove',
      'update',
      'new',
      'fields',
      'upsert',
      'bypassDocumentValidation',
      'arrayFilters',
      'collation',
      'hint',
      'let',
    ],
  };
}

const GENERIC_SET = new Set(GENERIC);

function unknownField(path: string) {
  return mongoError('Location40415', `BSON field '${path}' is an unknown field.`);
}

function notHonoured(path: string) {
  return mongoError(
    'NotImplemented',
    `BSON field '${path}' is not supported by this local MongoDB-compatible server`,
  );
}

function checkDoc(
  doc: Doc,
  path: string,
  known: ReadonlySet<string>,
  unsupported: Record<string, Unsupported> | undefined,
  generic: boolean,
  strict = true,
): void {
  for (const [field, value] of Object.entries(doc)) {
    if (known.has(field) || (generic && GENERIC_SET.has(field))) continue;
    const rule = unsupported?.[field];
    if (rule) {
      if (rule.harmless?.(value)) continue;
      throw notHonoured(`${path}.${field}`);
    }
    if (strict) throw unknownField(`${path}.${field}`);
  }
}

const knownSets = new Map<CommandFields | object, Set<string>>();
function knownSet(spec: { known: string[] }): Set<string> {
  let set = knownSets.get(spec);
  if (!set) knownSets.set(spec, (set = new Set(spec.known)));
  return set;
}

/** Refuses fields the command does not know or does not honour, and hints it cannot honour. */
export function checkFields(name: string, cmd: Doc, engine: Engine, db: string): void {
  const spec = COMMAND_FIELDS[name];
  // Every command of the table has a list (a test holds it to that); an unlisted one is not checked.
  if (!spec) return;
  checkDoc(cmd, name, knownSet(spec), spec.unsupported, true, spec.strict !== false);
  for (const [field, stmtSpec] of Object.entries(spec.statements ?? {})) {
    const list = cmd[field];
    if (!Array.isArray(list)) continue;
    for (const stmt of list) {
      if (!isPlainObject(stmt)) continue;
      checkDoc(stmt, `${name}.${field}`, knownSet(stmtSpec), stmtSpec.unsupported, false);
      if (stmt.hint !== undefined) checkHint(stmt.hint, engine, db, cmd[name]);
    }
  }
  if (cmd.hint !== undefined) checkHint(cmd.hint, engine, db, cmd[name]);
}

/**
 * A hint picks the index a query runs on. Here results never depend on the plan, except where MongoDB's
 * would: an index that leaves documents out (sparse, partial) returns fewer, and a hidden one is refused.
 */
function checkHint(hint: unknown, engine: Engine, db: string, collName: unknown): void {
  if (isPlainObject(hint) && Object.keys(hint).length === 0) return;
  if (typeof collName !== 'string') return;
  if (isPlainObject(hint) && '$natural' in hint) {
    if (hint.$natural === 1 && Object.keys(hint).length === 1) return;
    throw notHonoured('hint.$natural (other than 1)');
  }
  if (typeof hint !== 'string' && !isPlainObject(hint))
    throw mongoError('FailedToParse', 'hint must be a string or an object');
  const coll = engine.collection(db, collName);
  // MongoDB accepts any hint on a collection that does not exist (there is nothing to plan).
  if (!coll) return;
  const index = [...coll.indexes.values()].find((i) =>
    typeof hint === 'string' ? i.name === hint : keyOf(i.spec.key) === keyOf(hint),
  );
  if (!index || index.spec.hidden === true)
    throw mongoError('BadValue', 'hint provided does not correspond to an existing index');
  if (index.spec.sparse === true || index.spec.partialFilterExpression !== undefined)
    throw notHonoured(`hint (of the sparse or partial index '${index.name}')`);
}

// The commands of Stable API version 1 (MongoDB 7.0); `apiStrict: true` refuses every other one.
const API_V1 = new Set([
  'abortTransaction',
  'aggregate',
  'collMod',
  'commitTransaction',
  'count',
  'create',
  'createIndexes',
  'delete',
  'drop',
  'dropDatabase',
  'dropIndexes',
  'endSessions',
  'find',
  'findAndModify',
  'getMore',
  'hello',
  'insert',
  'killCursors',
  'listCollections',
  'listDatabases',
  'listIndexes',
  'ping',
  'refreshSessions',
  'update',
]);

/** Holds a command to the Stable API parameters it carries. */
export function checkApi(name: string, cmd: Doc): void {
  const version = cmd.apiVersion;
  if (version === undefined) {
    if (cmd.apiStrict !== undefined || cmd.apiDeprecationErrors !== undefined)
      throw mongoError(
        'InvalidOptions',
        "Parameter apiStrict or apiDeprecationErrors was provided without the required field 'apiVersion'",
      );
    return;
  }
  if (version !== '1') throw mongoError('APIVersionError', 'API version must be "1"');
  if (cmd.apiStrict === true && !API_V1.has(name))
    throw mongoError(
      'APIStrictError',
      `Provided apiStrict:true, but the command ${name} is not in API Version 1`,
    );
  if (cmd.apiStrict === true && name === 'aggregate' && Array.isArray(cmd.pipeline)) {
    const first: unknown = cmd.pipeline[0];
    if (isPlainObject(first) && '$listLocalSessions' in first)
      throw mongoError(
        'APIStrictError',
        'Provided apiStrict:true, but $listLocalSessions is not in API Version 1',
      );
  }
}
