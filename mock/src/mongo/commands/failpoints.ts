/**
 * MongoDB's test-only fault injection: `configureFailPoint` with the `failCommand` fail point, and
 * `waitForFailPoint`. A real mongod offers them under `--setParameter enableTestCommands=1`; the
 * stand-in always does (it is for development and tests only). Tests use them to make a chosen command
 * of a chosen client fail, close its connection or stall, against the stand-in and a real server alike.
 */
import { mongoError, MONGO_ERROR_CODES, MongoCommandError, type ErrorLabel } from '../errors';
import { isPlainObject, type Doc } from '../values';
import type { CommandContext, CommandHandler } from './context';

/** What the server does with a command the fail point caught, in this order. */
export interface FailAction {
  /** Hold the command (and so its connection) this long before going on. */
  blockTimeMS?: number;
  /** Close the connection without a reply. */
  closeConnection?: boolean;
  /** Answer this error instead of running the command. */
  error?: MongoCommandError;
  /**
   * Run the command, then answer its result with this `writeConcernError` (as mongod's failCommand does:
   * the write happens, the write concern is reported unsatisfied).
   */
  writeConcernError?: { code: number; codeName: string; errmsg: string } & Doc;
  /** The top-level labels of a reply with `writeConcernError`: failCommand's `errorLabels`, when given. */
  writeConcernLabels?: ErrorLabel[];
}

/** Thrown to make the server close the connection the command came on, sending nothing back. */
export class CloseConnection extends Error {
  constructor() {
    super("Failing command due to 'failCommand' failpoint");
    this.name = 'CloseConnection';
  }
}

type Mode = { kind: 'off' } | { kind: 'alwaysOn' } | { kind: 'times' | 'skip'; n: number };

const CODE_NAMES = new Map<number, string>(
  Object.entries(MONGO_ERROR_CODES).map(([name, code]) => [code, name] as const),
);
const FAIL_MESSAGE = "Failing command via 'failCommand' failpoint";

/**
 * An error with any numeric code a test asks for, named as MongoDB names it when this server knows it.
 * Labels the test gives are final; without them the server adds its own (error-labels.ts), as MongoDB does.
 */
/** The error failCommand answers for `code` (labels given: those and no others). */
export function failPointError(
  code: number,
  message = FAIL_MESSAGE,
  labels?: ErrorLabel[],
): MongoCommandError {
  const err = new MongoCommandError('InternalError', message, {
    labels: labels ?? [],
    labelsFixed: labels !== undefined,
  });
  Object.assign(err, { code, codeName: CODE_NAMES.get(code) ?? `Location${code}` });
  return err;
}

function countArg(mode: Doc, field: 'times' | 'skip'): number {
  const v = mode[field];
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isInteger(n))
    throw mongoError('TypeMismatch', `'${field}' option to 'mode' must be an integer`);
  if (n < 0) throw mongoError('BadValue', `'${field}' option to 'mode' must be positive`);
  return n;
}

function parseMode(value: unknown): Mode {
  if (value === undefined)
    throw mongoError('IllegalOperation', "When setting a failpoint, you must supply a 'mode'");
  if (value === 'off' || value === 'alwaysOn') return { kind: value };
  if (typeof value === 'string') throw mongoError('BadValue', `unknown mode: ${value}`);
  if (!isPlainObject(value)) throw mongoError('TypeMismatch', "'mode' must be a string or JSON object");
  if ('times' in value) return { kind: 'times', n: countArg(value, 'times') };
  if ('skip' in value) return { kind: 'skip', n: countArg(value, 'skip') };
  throw mongoError('BadValue', "'mode' must be one of 'off', 'alwaysOn', '{times:n}' or '{skip:n}'");
}

/** The fail points of one server. Only `failCommand` exists. */
export class FailPoints {
  private mode: Mode = { kind: 'off' };
  private data: Doc = {};
  /** Times the fail point fired since the server started (MongoDB never resets it). */
  private entered = 0;
  private readonly waiters = new Set<() => void>();

  /** Sets the mode and data; returns how often the fail point had fired before. */
  configure(mode: Mode, data: Doc): number {
    this.mode = mode;
    this.data = data;
    return this.entered;
  }

  /** Resolves once the fail point has fired `times` times in all; rejects when `signal` aborts first. */
  waitFor(times: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.entered < times) return;
        this.waiters.delete(check);
        signal.removeEventListener('abort', abort);
        resolve();
      };
      const abort = () => {
        this.waiters.delete(check);
        reject(signal.reason);
      };
      signal.addEventListener('abort', abort);
      this.waiters.add(check);
      check();
    });
  }

  /**
   * What to do with command `name` about to run, or undefined: the fail point fires (and counts) only
   * for a command it lists, from a client of its `appName` and on its `namespace` when it names them,
   * and only when it would do something; `configureFailPoint` itself is never caught.
   */
  evaluate(name: string, cmd: Doc, ctx: CommandContext): FailAction | undefined {
    if (this.mode.kind === 'off' || name === 'configureFailPoint') return undefined;
    const data = this.data;
    const commands = Array.isArray(data.failCommands) ? data.failCommands : [];
    if (!commands.includes(name)) return undefined;
    if (typeof data.appName === 'string' && data.appName !== ctx.client.appName) return undefined;
    if (typeof data.namespace === 'string' && data.namespace !== `${ctx.db}.${String(cmd[name])}`)
      return undefined;
    const blockTimeMS =
      data.blockConnection === true ? Math.max(0, Number(data.blockTimeMS) || 0) : undefined;
    const closeConnection = data.closeConnection === true;
    const errorCode = typeof data.errorCode === 'number' ? data.errorCode : undefined;
    const wce = isPlainObject(data.writeConcernError) ? data.writeConcernError : undefined;
    if (blockTimeMS === undefined && !closeConnection && errorCode === undefined && wce === undefined)
      return undefined;
    if (!this.fires()) return undefined;
    this.entered += 1;
    for (const waiter of [...this.waiters]) waiter();

    const action: FailAction = {};
    if (blockTimeMS !== undefined) action.blockTimeMS = blockTimeMS;
    if (closeConnection) action.closeConnection = true;
    const labels = Array.isArray(data.errorLabels)
      ? data.errorLabels.filter((l): l is ErrorLabel => typeof l === 'string')
      : undefined;
    if (errorCode !== undefined) {
      action.error = failPointError(errorCode, FAIL_MESSAGE, labels);
    } else if (wce !== undefined) {
      const code = typeof wce.code === 'number' ? wce.code : 64;
      action.writeConcernError = {
        ...wce,
        code,
        codeName:
          typeof wce.codeName === 'string' ? wce.codeName : (CODE_NAMES.get(code) ?? `Location${code}`),
        errmsg: typeof wce.errmsg === 'string' ? wce.errmsg : FAIL_MESSAGE,
      };
      if (labels !== undefined) action.writeConcernLabels = labels;
    }
    return action;
  }

  private fires(): boolean {
    const mode = this.mode;
    switch (mode.kind) {
      case 'alwaysOn':
        return true;
      case 'times':
        // As on MongoDB: each firing uses one pass, and the last pass turns the fail point off.
        mode.n -= 1;
        if (mode.n <= 0) this.mode = { kind: 'off' };
        return true;
      case 'skip':
        if (mode.n <= 0) return true;
        mode.n -= 1;
        return false;
      default:
        return false;
    }
  }
}

function adminOnly(name: string, ctx: CommandContext): void {
  if (ctx.db !== 'admin') {
    const err = new MongoCommandError(
      'IllegalOperation',
      `${name} may only be run against the admin database.`,
    );
    Object.assign(err, { code: 13, codeName: 'Unauthorized' });
    throw err;
  }
}

function failPointNamed(value: unknown): void {
  if (value !== 'failCommand') {
    const err = new MongoCommandError('IllegalOperation', `${String(value)} not found`);
    Object.assign(err, { code: 266, codeName: 'FailPointSetFailed' });
    throw err;
  }
}

const configureFailPoint: CommandHandler = (cmd, ctx) => {
  adminOnly('configureFailPoint', ctx);
  failPointNamed(cmd.configureFailPoint);
  const mode = parseMode(cmd.mode);
  if (cmd.data !== undefined && !isPlainObject(cmd.data))
    throw mongoError('TypeMismatch', "the 'data' option must be a JSON object");
  const data = (cmd.data as Doc | undefined) ?? {};
  // Fields this server would not act on are refused, never ignored: a test relying on one would pass
  // here for the wrong reason.
  if (data.errorExtraInfo !== undefined)
    throw mongoError('NotImplemented', "failCommand's errorExtraInfo is not supported by this local server");
  if (data.failInternalCommands === true)
    throw mongoError(
      'NotImplemented',
      "failCommand's failInternalCommands is not supported by this local server",
    );
  return { count: ctx.failPoints.configure(mode, data), ok: 1 };
};

const waitForFailPoint: CommandHandler = async (cmd, ctx) => {
  adminOnly('waitForFailPoint', ctx);
  if (typeof cmd.maxTimeMS !== 'number') throw mongoError('FailedToParse', 'Missing maxTimeMS');
  failPointNamed(cmd.waitForFailPoint);
  const times = Number(cmd.timesEntered);
  if (!Number.isFinite(times)) throw mongoError('TypeMismatch', "'timesEntered' must be a number");
  const deadline = AbortSignal.timeout(cmd.maxTimeMS);
  try {
    await ctx.failPoints.waitFor(times, AbortSignal.any([deadline, ctx.signal]));
  } catch {
    throw mongoError('MaxTimeMSExpired', 'operation exceeded time limit');
  }
  return { ok: 1 };
};

/** Carries out what the fail point decided for a command, before the command runs (as mongod does). */
export async function applyFailAction(action: FailAction): Promise<void> {
  if (action.closeConnection) throw new CloseConnection();
  if (action.blockTimeMS !== undefined)
    await new Promise((resolve) => setTimeout(resolve, action.blockTimeMS));
  if (action.error) throw action.error;
}

/** Handlers by command name. */
export const failPointCommands: Record<string, CommandHandler> = { configureFailPoint, waitForFailPoint };
