import {
  BrokenCircuitError,
  ExponentialBackoff,
  TaskCancelledError,
  TimeoutStrategy,
  handleWhen,
  retry,
  timeout,
  wrap,
  type IPolicy,
} from 'cockatiel';
import { AppError } from '@eid/shared';
import { createCircuits } from '../../infra/circuit';

/** Consecutive failures after which a peer's circuit opens: calls then fail at once instead of waiting. */
export const CIRCUIT_FAILURES = 5;
/** How long an open circuit stays open before one trial call is let through (FEDERATION_CIRCUIT_HALF_OPEN_MS). */
export const CIRCUIT_HALF_OPEN_AFTER_MS = 30_000;
/** Attempts of an idempotent call (the first and its retries), with exponential backoff between them. */
export const IDEMPOTENT_ATTEMPTS = 3;
const BACKOFF = { initialDelay: 100, maxDelay: 1_000 };

/** Why a call to another node did not get an answer (UPSTREAM_UNAVAILABLE `details.reason`). */
export type UnreachableReason = 'timeout' | 'unreachable' | 'server_error' | 'circuit_open';

/** A failure worth retrying and counting against the peer's circuit: the peer did not answer properly. */
export class PeerFailure extends Error {
  constructor(
    readonly reason: Exclude<UnreachableReason, 'circuit_open'>,
    message: string,
  ) {
    super(message);
    this.name = 'PeerFailure';
  }
}

export interface PeerPolicies {
  /**
   * Runs `attempt` for `target` (a province code, or `national`) under the per-attempt timeout, the target's
   * circuit breaker and, when `idempotent`, retries with exponential backoff. `attempt` throws PeerFailure for
   * what counts as the peer failing; anything else (a refused signature, a 4xx) passes through untouched and
   * does not count. Throws AppError UPSTREAM_UNAVAILABLE with `details.reason` when the peer did not answer.
   */
  run<T>(target: string, idempotent: boolean, attempt: (signal: AbortSignal) => Promise<T>): Promise<T>;
  circuitOf(target: string): 'closed' | 'open' | 'half-open' | 'isolated';
}

const isPeerFailure = (err: Error) => err instanceof PeerFailure || err instanceof TaskCancelledError;

/**
 * cockatiel policies, one circuit breaker per target so that one dead node never slows the calls to the
 * others.
 */
export function createPeerPolicies(
  timeoutMs: number,
  halfOpenAfterMs = CIRCUIT_HALF_OPEN_AFTER_MS,
): PeerPolicies {
  const circuits = createCircuits({
    failures: CIRCUIT_FAILURES,
    halfOpenAfterMs,
    isFailure: isPeerFailure,
  });
  // Aggressive: the attempt's promise loses the race at the deadline and its signal aborts the fetch.
  const perAttempt = () => timeout(timeoutMs, TimeoutStrategy.Aggressive);
  // Only the peer's own failures are retried: an open circuit, a refused signature or a 4xx are final.
  const retries = retry(handleWhen(isPeerFailure), {
    maxAttempts: IDEMPOTENT_ATTEMPTS - 1,
    backoff: new ExponentialBackoff(BACKOFF),
  });

  return {
    async run(target, idempotent, attempt) {
      const once: IPolicy = wrap(circuits.of(target), perAttempt());
      const policy: IPolicy = idempotent ? wrap(retries, once) : once;
      try {
        return await policy.execute(({ signal }) => attempt(signal));
      } catch (err) {
        throw unreachable(target, err);
      }
    },
    circuitOf: (target) => circuits.stateOf(target),
  };
}

/** The one error an unanswered call becomes; other errors are returned as they are. */
function unreachable(target: string, err: unknown): unknown {
  const reason: UnreachableReason | undefined =
    err instanceof BrokenCircuitError
      ? 'circuit_open'
      : err instanceof TaskCancelledError
        ? 'timeout'
        : err instanceof PeerFailure
          ? err.reason
          : undefined;
  if (!reason) return err;
  return new AppError('UPSTREAM_UNAVAILABLE', `The node ${target} did not answer (${reason})`, {
    target,
    reason,
  });
}
