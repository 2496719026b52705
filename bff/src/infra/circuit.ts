import {
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
  type CircuitBreakerPolicy,
} from 'cockatiel';

/** A circuit as callers and /readyz-style reports name it. */
export type CircuitName = 'closed' | 'open' | 'half-open' | 'isolated';

export interface CircuitOptions {
  /** Consecutive failures after which a target's circuit opens: calls then fail at once instead of waiting. */
  failures: number;
  /** How long an open circuit stays open before one trial call is let through. */
  halfOpenAfterMs: number;
  /** What counts as the target failing; anything else passes through and does not count. */
  isFailure: (err: Error) => boolean;
}

export interface Circuits {
  /** The cockatiel breaker of `target`, created closed on first use. */
  of(target: string): CircuitBreakerPolicy;
  stateOf(target: string): CircuitName;
}

/**
 * One consecutive-failure circuit breaker per target (a province node, an upstream system), so that one
 * dead target never slows the calls to the others. Shared by federation and the upstream adapters.
 */
export function createCircuits(options: CircuitOptions): Circuits {
  const breakers = new Map<string, CircuitBreakerPolicy>();
  return {
    of(target) {
      let breaker = breakers.get(target);
      if (!breaker) {
        breaker = circuitBreaker(handleWhen(options.isFailure), {
          halfOpenAfter: options.halfOpenAfterMs,
          breaker: new ConsecutiveBreaker(options.failures),
        });
        breakers.set(target, breaker);
      }
      return breaker;
    },
    stateOf(target) {
      const state = breakers.get(target)?.state ?? CircuitState.Closed;
      return state === CircuitState.Open
        ? 'open'
        : state === CircuitState.HalfOpen
          ? 'half-open'
          : state === CircuitState.Isolated
            ? 'isolated'
            : 'closed';
    },
  };
}
