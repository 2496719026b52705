/**
 * Read and write concerns, held to what this server honours. It is the only member of its replica set
 * and every read sees the latest committed state, so:
 *
 * - read concern `local`, `available`, `majority` and `linearizable` are all met (every write is at
 *   once on a majority of one node); an `afterClusterTime` the server has reached is met at once, a
 *   later one is refused (cluster-time.ts). `snapshot` is honoured inside a transaction (its reads are a snapshot) and refused
 *   outside one, as is `atClusterTime`: plain reads here always see the latest data.
 * - write concern `w: 0`, `1` and `"majority"` are met; more members or a tag cannot be, and MongoDB
 *   answers that after doing the write, with a `writeConcernError` in an `ok: 1` reply.
 */
import { mongoError, type MongoCodeName } from '../errors';
import { isPlainObject, type Doc } from '../values';

const READ_LEVELS = new Set(['local', 'available', 'majority', 'linearizable', 'snapshot']);
const TXN_READ_LEVELS = new Set(['local', 'majority', 'snapshot']);
// Commands that take a read concern outside a transaction (MongoDB refuses one anywhere else).
const READ_COMMANDS = new Set(['find', 'aggregate', 'count', 'distinct', 'listCollections', 'listIndexes']);
// Commands that take a write concern (aggregate only when it writes through $out or $merge); MongoDB
// refuses an explicit one on any other command.
const WRITE_COMMANDS = new Set([
  'insert',
  'update',
  'delete',
  'findAndModify',
  'findandmodify',
  'create',
  'drop',
  'dropDatabase',
  'renameCollection',
  'createIndexes',
  'dropIndexes',
  'collMod',
  'commitTransaction',
  'abortTransaction',
  // The Node driver sends endSessions with { w: 0 }.
  'endSessions',
]);
const WRITE_CONCERN_FIELDS = new Set(['w', 'j', 'wtimeout', 'fsync', 'provenance']);

/** What the reply of a command with an unsatisfiable write concern carries next to its result. */
export interface WriteConcernFailure {
  code: number;
  codeName: MongoCodeName;
  errmsg: string;
  errInfo: Doc;
}

/** Refuses read concerns this server cannot honour for the command; see the module comment. */
export function checkReadConcern(name: string, cmd: Doc): void {
  const rc = cmd.readConcern;
  if (rc === undefined) return;
  if (!isPlainObject(rc))
    throw mongoError('TypeMismatch', "BSON field 'readConcern' is the wrong type, expected type 'object'");
  for (const field of Object.keys(rc)) {
    if (field === 'level' || field === 'afterClusterTime' || field === 'provenance') continue;
    if (field === 'atClusterTime')
      throw mongoError(
        'NotImplemented',
        'readConcern atClusterTime is not supported by this local server: its reads always see the latest data',
      );
    throw mongoError('Location40415', `BSON field 'readConcern.${field}' is an unknown field.`);
  }
  const level = rc.level ?? 'local';
  if (typeof level !== 'string' || !READ_LEVELS.has(level))
    throw mongoError(
      'FailedToParse',
      `readConcern level '${String(level)}' is not one of the levels MongoDB knows`,
    );
  const inTxn = cmd.autocommit === false;
  if (inTxn) {
    if (cmd.startTransaction !== true)
      throw mongoError('InvalidOptions', 'Only the first command in a transaction may specify a readConcern');
    if (!TXN_READ_LEVELS.has(level))
      throw mongoError(
        'InvalidOptions',
        "The readConcern level must be either 'local' (default), 'majority' or 'snapshot' in order to run in a transaction",
      );
    return;
  }
  // Outside a transaction the other commands take no read concern but the default, `local`.
  if (
    !READ_COMMANDS.has(name) &&
    Object.keys(rc).length > 0 &&
    (level !== 'local' || Object.keys(rc).length > 1)
  )
    throw mongoError(
      'InvalidOptions',
      `Command ${name} does not support { readConcern: ${JSON.stringify(rc)} }`,
    );
  if (level === 'snapshot')
    throw mongoError(
      'NotImplemented',
      'readConcern level snapshot outside a transaction is not supported by this local server: its reads always see the latest data',
    );
  if (level === 'linearizable' && name === 'aggregate' && writesOut(cmd))
    throw mongoError(
      'InvalidOptions',
      "cannot use readConcern level 'linearizable' with an aggregation that writes through $out or $merge",
    );
  if (level === 'linearizable' && (name === 'listCollections' || name === 'listIndexes'))
    throw mongoError('InvalidOptions', `${name} does not support readConcern level linearizable`);
}

function writesOut(cmd: Doc): boolean {
  const pipeline = Array.isArray(cmd.pipeline) ? cmd.pipeline : [];
  const last: unknown = pipeline.at(-1);
  return isPlainObject(last) && ('$out' in last || '$merge' in last);
}

/**
 * Checks a command's write concern: malformed ones and ones inside a transaction are refused before
 * anything runs; a well-formed one this single node cannot satisfy is returned, for the reply.
 */
export function checkWriteConcern(name: string, cmd: Doc): WriteConcernFailure | null {
  const wc = cmd.writeConcern;
  if (wc === undefined) return null;
  if (!isPlainObject(wc))
    throw mongoError('TypeMismatch', "BSON field 'writeConcern' is the wrong type, expected type 'object'");
  if (cmd.autocommit === false && name !== 'commitTransaction' && name !== 'abortTransaction')
    throw mongoError('InvalidOptions', 'Cannot set write concern after starting a transaction.');
  if (!WRITE_COMMANDS.has(name) && !(name === 'aggregate' && writesOut(cmd)))
    throw mongoError('InvalidOptions', `Command ${name} does not support writeConcern`);
  for (const field of Object.keys(wc))
    if (!WRITE_CONCERN_FIELDS.has(field))
      throw mongoError('Location40415', `BSON field 'writeConcern.${field}' is an unknown field.`);
  const w: unknown = wc.w;
  if (w === undefined || w === 'majority') return null;
  const n =
    typeof w === 'number' ? w : typeof w === 'object' && w !== null && 'toNumber' in w ? Number(w) : NaN;
  if (typeof w === 'number' || Number.isFinite(n)) {
    if (!Number.isInteger(n) || n < 0 || n > 50)
      throw mongoError('FailedToParse', 'w has to be a non-negative number and not greater than 50');
    if (n <= 1) return null;
    return {
      code: 100,
      codeName: 'UnsatisfiableWriteConcern',
      errmsg: 'Not enough data-bearing nodes',
      errInfo: { writeConcern: { ...wc, provenance: 'clientSupplied' } },
    };
  }
  if (typeof w === 'string' || isPlainObject(w)) {
    return {
      code: 79,
      codeName: 'UnknownReplWriteConcern',
      errmsg: `No write concern mode named '${typeof w === 'string' ? w : JSON.stringify(w)}' found in replica set configuration`,
      errInfo: { writeConcern: { ...wc, provenance: 'clientSupplied' } },
    };
  }
  throw mongoError('FailedToParse', 'w has to be a number, a string or an object');
}
