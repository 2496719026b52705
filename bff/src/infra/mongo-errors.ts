/** MongoDB's code for a write that a unique index refused. */
export const DUPLICATE_KEY = 11000;

interface WriteErrorLike {
  code?: unknown;
}

/**
 * The write errors of a failed bulk write (`insertMany`, `bulkWrite`), always as an array: the driver
 * reports one write error as an object and several as an array. Empty for any other error.
 */
export function writeErrorsOf(err: unknown): WriteErrorLike[] {
  if (typeof err !== 'object' || err === null) return [];
  const writeErrors = (err as { writeErrors?: WriteErrorLike | WriteErrorLike[] }).writeErrors;
  if (writeErrors === undefined || writeErrors === null) return [];
  return Array.isArray(writeErrors) ? writeErrors : [writeErrors];
}

const codeOf = (err: unknown): unknown =>
  typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;

/**
 * True when a unique index refused the write and nothing else went wrong: code 11000 on a single write,
 * or a bulk write whose every write error is 11000. The usual "someone else created it first" test.
 *
 * @example
 * try {
 *   await residents.create([{ _id: newId, openIdIndex }]);
 * } catch (err) {
 *   if (!isDuplicateKey(err)) throw err;
 *   // another request created the resident first: read theirs
 * }
 */
export function isDuplicateKey(err: unknown): boolean {
  const writeErrors = writeErrorsOf(err);
  if (writeErrors.length === 0) return codeOf(err) === DUPLICATE_KEY;
  return writeErrors.every((w) => w.code === DUPLICATE_KEY);
}

/**
 * True when a unique index refused at least one of the writes (the error's own code, or any of its
 * write errors), whatever else failed. For ordered bulk inserts, which stop at the first collision, so
 * the caller counts what landed instead of trusting the error.
 */
export function hasDuplicateKey(err: unknown): boolean {
  return codeOf(err) === DUPLICATE_KEY || writeErrorsOf(err).some((w) => w.code === DUPLICATE_KEY);
}
