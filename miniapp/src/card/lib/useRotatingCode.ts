import { useEffect, useRef, useState } from 'react';
import { clock } from '../../lib/clock';

export interface RotatingCode {
  code: string | null;
  /** Whole seconds until the next code. */
  secondsLeft: number;
  error: unknown;
}

export interface RotatingOptions {
  periodMs: number;
  now?: () => number;
}

/**
 * A code rebuilt every `periodMs` with a countdown to the next one. The countdown is computed from
 * the clock at each tick rather than counted, so a throttled timer in a background tab cannot let
 * an old code linger.
 */
export function useRotatingCode(
  build: (now: number) => string,
  { periodMs, now = clock.now }: RotatingOptions,
) {
  const buildRef = useRef(build);
  buildRef.current = build;
  const clock = useRef(now);
  clock.current = now;

  const make = (at: number): RotatingCode & { madeAt: number } => {
    try {
      return {
        code: buildRef.current(at),
        secondsLeft: Math.ceil(periodMs / 1000),
        error: undefined,
        madeAt: at,
      };
    } catch (error) {
      return { code: null, secondsLeft: 0, error, madeAt: at };
    }
  };

  const [state, setState] = useState(() => make(clock.current()));
  const madeAt = useRef(state.madeAt);

  useEffect(() => {
    const tick = () => {
      const at = clock.current();
      if (at - madeAt.current >= periodMs) {
        const next = make(at);
        madeAt.current = at;
        setState(next);
        return;
      }
      const secondsLeft = Math.max(1, Math.ceil((madeAt.current + periodMs - at) / 1000));
      setState((s) => (s.secondsLeft === secondsLeft ? s : { ...s, secondsLeft }));
    };
    const id = setInterval(tick, 1000);
    return () => clearInterval(id);
    // The period is fixed for the life of the page; build and clock are read through refs.
  }, [periodMs]);

  return { code: state.code, secondsLeft: state.secondsLeft, error: state.error };
}
