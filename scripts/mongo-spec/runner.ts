/**
 * Runs one unified-format test file (§Executing a Test File, §Executing a Test): initial data through
 * the internal client with "majority", entities, operations with their expected results and errors, fail
 * points disabled afterwards, expected command events, the collections' final contents.
 */
import { MongoServerError, type Document, type MongoClient } from 'mongodb';
import { EntityMap } from './entities';
import { match, matchExactly, type Mismatch } from './matcher';
import { AssertionFailure, errorResult, runOperation, type RunState } from './operations';
import { whyNotRunnable, type ServerFacts } from './requirements';
import { Unsupported } from './skip';

export type Outcome = 'pass' | 'fail' | 'skip';

export interface TestResult {
  description: string;
  outcome: Outcome;
  /** Why it failed or was skipped (one line). */
  reason?: string;
}

export interface FileResult {
  file: string;
  results: TestResult[];
  /** Set when the whole file was skipped or could not be read. */
  fileReason?: string;
}

/** The highest schema version this runner knows (features past it are skipped per test). */
const SUPPORTED_MAJOR = 1;

const TEST_TIMEOUT_MS = 30_000;

/** A failed expectation (the test fails with this one-line reason). */
class Failure extends Error {
  override name = 'Failure';
}

function check(m: Mismatch, what: string): void {
  if (m) throw new Failure(`${what}: ${m}`);
}

function oneLine(s: string, max = 300): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}

/** True when the error did not come from a server reply (§expectedError isClientError). */
function isClientError(err: unknown): boolean {
  return !(err instanceof MongoServerError);
}

function errorLabels(err: unknown): string[] {
  const e = err as { errorLabels?: string[]; hasErrorLabel?: (l: string) => boolean };
  return e.errorLabels ?? [];
}

function checkError(expected: Document, err: unknown, entities: EntityMap): void {
  const e = err as Document & Error;
  const describe = `${e.name}: ${oneLine(e.message ?? '', 160)}`;
  if (expected.isClientError !== undefined && isClientError(err) !== expected.isClientError)
    throw new Failure(`expected a ${expected.isClientError ? 'client' : 'server'} error, got ${describe}`);
  if (expected.isTimeoutError === true) throw new Unsupported('isTimeoutError (timeoutMS)');
  if (expected.errorContains !== undefined) {
    const want = String(expected.errorContains).toLowerCase();
    if (
      !String(e.message ?? '')
        .toLowerCase()
        .includes(want)
    )
      throw new Failure(`expected an error containing "${expected.errorContains}", got ${describe}`);
  }
  if (expected.errorCode !== undefined && Number(e.code) !== Number(expected.errorCode))
    throw new Failure(
      `expected error code ${String(expected.errorCode)}, got ${String(e.code)} (${describe})`,
    );
  if (expected.errorCodeName !== undefined) {
    const got = String(e.codeName ?? e.errorResponse?.codeName ?? '');
    if (got.toLowerCase() !== String(expected.errorCodeName).toLowerCase())
      throw new Failure(
        `expected error ${expected.errorCodeName}, got ${got || '(no codeName)'} (${describe})`,
      );
  }
  const labels = errorLabels(err);
  for (const l of (expected.errorLabelsContain ?? []) as string[])
    if (!labels.includes(l))
      throw new Failure(`expected error label ${l}, got [${labels.join(', ')}] (${describe})`);
  for (const l of (expected.errorLabelsOmit ?? []) as string[])
    if (labels.includes(l))
      throw new Failure(`expected no error label ${l}, got [${labels.join(', ')}] (${describe})`);
  if (expected.errorResponse !== undefined)
    check(match(expected.errorResponse, e.errorResponse ?? e, { root: true, entities }), 'errorResponse');
  if (expected.writeErrors !== undefined || expected.writeConcernErrors !== undefined)
    throw new Unsupported('writeErrors/writeConcernErrors of clientBulkWrite');
  if (expected.expectResult !== undefined)
    check(match(expected.expectResult, errorResult(err), { root: true, entities }), 'error result');
}

/** Operations whose array results are cursors of root-level documents (§Allowing Extra Fields). */
const CURSOR_RESULTS = new Set(['find', 'aggregate', 'listCollections', 'listDatabases', 'listIndexes']);

/**
 * Runs one operation and checks its result or error. In a withTransaction callback (`propagate`), an
 * error goes on to withTransaction after its checks, as §withTransaction requires.
 */
async function executeOperation(state: RunState, op: Document, propagate = false): Promise<void> {
  let result: unknown;
  let error: unknown;
  let failed = false;
  try {
    result = await runOperation(state, op);
  } catch (err) {
    if (err instanceof Unsupported || err instanceof AssertionFailure || err instanceof Failure) throw err;
    failed = true;
    error = err;
  }
  const what = `${op.name} on ${op.object}`;
  if (op.ignoreResultAndError) {
    if (failed && propagate) throw error;
    return;
  }
  if (op.expectError) {
    if (!failed) throw new Failure(`${what}: expected an error, got success`);
    checkError(op.expectError as Document, error, state.entities);
    if (propagate) throw error;
    return;
  }
  if (failed) {
    const e = error as Error & { code?: unknown; codeName?: unknown };
    throw new Failure(
      `${what}: unexpected ${e.name}${e.codeName ? ` ${String(e.codeName)}` : ''}: ${oneLine(e.message ?? '', 200)}`,
    );
  }
  if (op.expectResult !== undefined)
    check(
      match(op.expectResult, result, {
        root: true,
        rootElements: CURSOR_RESULTS.has(op.name),
        entities: state.entities,
      }),
      `${what} result`,
    );
  if (op.saveResultAsEntity) {
    if (op.name === 'createFindCursor')
      state.entities.set(op.saveResultAsEntity, {
        kind: 'cursor',
        cursor: (result as { cursor: never }).cursor,
      });
    else state.entities.set(op.saveResultAsEntity, { kind: 'value', value: result });
  }
}

function checkEvents(expected: Document[], entities: EntityMap): void {
  for (const group of expected) {
    if (group.eventType && group.eventType !== 'command')
      throw new Unsupported(`${group.eventType} event expectations`);
    const actual = entities.getAs(group.client, 'client').events;
    const want = group.events as Document[];
    const extraOk = group.ignoreExtraEvents === true;
    const names = actual.map((a) => a.commandName).join(', ');
    if (actual.length < want.length || (!extraOk && actual.length !== want.length))
      throw new Failure(
        `expected ${want.length} event(s) on ${group.client}, got ${actual.length} [${names}]`,
      );
    want.forEach((w, i) => {
      const [type, spec] = Object.entries(w)[0] as [string, Document];
      const a = actual[i];
      if (a.type !== type)
        throw new Failure(`event ${i}: expected ${type}, got ${a.type} ${a.commandName} [${names}]`);
      if (spec.commandName !== undefined && spec.commandName !== a.commandName)
        throw new Failure(
          `event ${i}: expected ${type} ${spec.commandName}, got ${a.commandName} [${names}]`,
        );
      if (spec.databaseName !== undefined && spec.databaseName !== a.databaseName)
        throw new Failure(
          `event ${i} (${a.commandName}): expected database ${spec.databaseName}, got ${a.databaseName}`,
        );
      if (spec.command !== undefined)
        check(
          match(spec.command, a.command, { root: true, entities }),
          `event ${i} (${a.commandName}) command`,
        );
      if (spec.reply !== undefined)
        check(match(spec.reply, a.reply, { root: true, entities }), `event ${i} (${a.commandName}) reply`);
      if (spec.hasServiceId === true || spec.hasServerConnectionId !== undefined)
        throw new Unsupported('hasServiceId/hasServerConnectionId');
    });
  }
}

async function setUpData(internal: MongoClient, data: Document[]): Promise<void> {
  for (const c of data) {
    const db = internal.db(c.databaseName);
    const wc = { writeConcern: { w: 'majority' as const } };
    await db.dropCollection(c.collectionName, wc).catch(() => undefined);
    if (c.createOptions)
      await db.command({ create: c.collectionName, ...c.createOptions, writeConcern: { w: 'majority' } });
    const docs = c.documents as Document[];
    if (docs.length > 0) await db.collection(c.collectionName).insertMany(docs, wc);
    else if (!c.createOptions) await db.createCollection(c.collectionName, wc);
  }
}

async function checkOutcome(internal: MongoClient, outcome: Document[]): Promise<void> {
  for (const c of outcome) {
    const docs = await internal
      .db(c.databaseName)
      .collection(c.collectionName)
      .find({}, { sort: { _id: 1 }, readPreference: 'primary', readConcern: { level: 'local' } })
      .toArray();
    check(matchExactly(c.documents, docs), `outcome ${c.collectionName}`);
  }
}

/** Ends every open transaction on the server (§Terminating Open Transactions). */
export async function killAllSessions(internal: MongoClient): Promise<void> {
  await internal
    .db('admin')
    .command({ killAllSessions: [] })
    .catch(() => undefined);
}

async function runTest(file: Document, test: Document, internal: MongoClient, uri: string): Promise<void> {
  if (file.initialData) await setUpData(internal, file.initialData as Document[]);
  const entities = new EntityMap(uri);
  const state: RunState = {
    entities,
    internal,
    failPoints: [],
    startedTransaction: false,
    runOperations: async (ops, propagate) => {
      for (const op of ops) await executeOperation(state, op, propagate);
    },
  };
  try {
    await entities.create((file.createEntities ?? []) as Document[]);
    await state.runOperations(test.operations as Document[]);
    for (const fp of state.failPoints)
      await fp.client.db('admin').command({ configureFailPoint: fp.name, mode: 'off' });
    state.failPoints = [];
    if (test.expectEvents) checkEvents(test.expectEvents as Document[], entities);
    if (test.outcome) await checkOutcome(internal, test.outcome as Document[]);
  } finally {
    for (const fp of state.failPoints)
      await fp.client
        .db('admin')
        .command({ configureFailPoint: fp.name, mode: 'off' })
        .catch(() => internal.db('admin').command({ configureFailPoint: fp.name, mode: 'off' }))
        .catch(() => undefined);
    await entities.close();
    if (state.startedTransaction) await killAllSessions(internal);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Failure(`timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Runs every test of one parsed file and says how each went. */
export async function runFile(
  name: string,
  file: Document,
  ctx: { internal: MongoClient; uri: string; facts: ServerFacts },
): Promise<FileResult> {
  const tests = (file.tests ?? []) as Document[];
  const skipAll = (reason: string): FileResult => ({
    file: name,
    fileReason: reason,
    results: tests.map((t) => ({ description: t.description, outcome: 'skip', reason })),
  });
  const major = Number(String(file.schemaVersion).split('.')[0]);
  if (major !== SUPPORTED_MAJOR) return skipAll(`schema version ${file.schemaVersion} not supported`);
  const fileWhy = await whyNotRunnable(file.runOnRequirements, ctx.facts);
  if (fileWhy) return skipAll(fileWhy);
  const results: TestResult[] = [];
  for (const test of tests) {
    const description = test.description as string;
    if (test.skipReason) {
      results.push({ description, outcome: 'skip', reason: `skipReason: ${test.skipReason}` });
      continue;
    }
    const why = await whyNotRunnable(test.runOnRequirements, ctx.facts);
    if (why) {
      results.push({ description, outcome: 'skip', reason: why });
      continue;
    }
    try {
      await withTimeout(runTest(file, test, ctx.internal, ctx.uri), TEST_TIMEOUT_MS);
      results.push({ description, outcome: 'pass' });
    } catch (err) {
      if (err instanceof Unsupported) results.push({ description, outcome: 'skip', reason: err.message });
      else {
        const e = err as Error;
        const reason =
          err instanceof Failure || err instanceof AssertionFailure ? e.message : `${e.name}: ${e.message}`;
        results.push({ description, outcome: 'fail', reason: oneLine(reason) });
        await killAllSessions(ctx.internal);
      }
    }
  }
  return { file: name, results };
}
