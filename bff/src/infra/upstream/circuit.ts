import { BrokenCircuitError } from 'cockatiel';
import { AppError } from '@eid/shared';
import { createCircuits, type Circuits } from '../circuit';
import type { UpstreamSystem } from './http';

export interface UpstreamCircuitOptions {
  /** Consecutive retryable failures (timeouts, unreachable, 5xx) after which a system's circuit opens. */
  failures: number;
  /** How long it stays open before one trial call is let through. */
  halfOpenAfterMs: number;
}

/**
 * The system failed to answer, as callUpstream reports it: a timeout, or UPSTREAM_UNAVAILABLE marked
 * retryable (unreachable, 5xx). A refused key or a malformed answer is not a passing condition and an
 * answer about the resident (mismatch, not found) is no failure at all: neither counts.
 */
const isOutage = (err: Error): boolean =>
  err instanceof AppError &&
  (err.code === 'UPSTREAM_TIMEOUT' ||
    (err.code === 'UPSTREAM_UNAVAILABLE' && err.details?.retryable === true));

/** One circuit per upstream system; `guard` wraps a client so that each of its calls goes through it. */
export function createUpstreamCircuits(options: UpstreamCircuitOptions) {
  const circuits: Circuits = createCircuits({ ...options, isFailure: isOutage });
  const retryAfterS = Math.max(1, Math.ceil(options.halfOpenAfterMs / 1000));
  return {
    stateOf: (system: UpstreamSystem) => circuits.stateOf(system),
    /**
     * `client` with every method run under `system`'s circuit. While it is open a call fails at once
     * with UPSTREAM_UNAVAILABLE `{ upstream, retryable: true, reason: 'circuit_open', retryAfterS }`
     * instead of waiting out another timeout: a dead system costs the resident no time.
     */
    guard<T extends object>(system: UpstreamSystem, client: T): T {
      const breaker = circuits.of(system);
      const guarded = {} as Record<string, unknown>;
      for (const [name, method] of Object.entries(client)) {
        guarded[name] =
          typeof method !== 'function'
            ? method
            : async (...args: unknown[]) => {
                try {
                  return await breaker.execute(() => method.apply(client, args));
                } catch (err) {
                  if (!(err instanceof BrokenCircuitError)) throw err;
                  throw new AppError('UPSTREAM_UNAVAILABLE', `${system} is failing; not called for now`, {
                    upstream: system,
                    retryable: true,
                    reason: 'circuit_open',
                    retryAfterS,
                  });
                }
              };
      }
      return guarded as T;
    },
  };
}
