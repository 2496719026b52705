export interface GroupOptions {
  /** Most inputs handed to one run. */
  maxBatch?: number;
  /** Runs allowed in flight at once; what arrives meanwhile waits for the next run. */
  concurrency?: number;
}

interface Entry<I, O> {
  input: I;
  resolve(value: O): void;
  reject(err: unknown): void;
}

/**
 * Turns a function over many inputs into a function over one: calls made in the same tick, or while
 * earlier runs are in flight, go out as one run. Each caller settles with its own result only once the
 * run that carried it has settled; an `Error` in a result's place fails that caller alone, a rejected
 * run fails every caller it carried.
 * @example const standingOf = groupCalls((ids: string[]) => card.standings(ids));
 */
export function groupCalls<I, O>(
  run: (inputs: I[]) => Promise<(O | Error)[]>,
  { maxBatch = 500, concurrency = 1 }: GroupOptions = {},
): (input: I) => Promise<O> {
  const queue: Entry<I, O>[] = [];
  let inFlight = 0;
  let scheduled = false;

  function schedule(): void {
    if (scheduled || inFlight >= concurrency || queue.length === 0) return;
    scheduled = true;
    // setImmediate rather than a microtask: requests whose bodies arrived in the same I/O phase join.
    setImmediate(flush);
  }

  function flush(): void {
    scheduled = false;
    const batch = queue.splice(0, maxBatch);
    if (batch.length === 0) return;
    inFlight += 1;
    let results: Promise<(O | Error)[]>;
    try {
      results = run(batch.map((e) => e.input));
    } catch (err) {
      results = Promise.reject(err);
    }
    results
      .then(
        (values) => {
          batch.forEach((entry, i) => {
            const value = values[i];
            if (value instanceof Error) entry.reject(value);
            else if (i >= values.length) entry.reject(new Error('grouped run returned too few results'));
            else entry.resolve(value as O);
          });
        },
        (err: unknown) => batch.forEach((entry) => entry.reject(err)),
      )
      .finally(() => {
        inFlight -= 1;
        schedule();
      });
    // More than one batch may be waiting when the queue outgrew maxBatch.
    schedule();
  }

  return (input) =>
    new Promise<O>((resolve, reject) => {
      queue.push({ input, resolve, reject });
      schedule();
    });
}
