import { useCallback, useEffect, useRef, useState } from 'react';

export interface AsyncState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** Runs `load` on mount (and on `reload`), tracking loading and error; ignores answers after unmount. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[] = []): AsyncState<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error: unknown) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
    // The caller lists what `load` depends on, as with useEffect.
  }, [round, ...deps]);
  return {
    data: state.data,
    error: state.error,
    loading: state.loading,
    reload: () => setRound((r) => r + 1),
  };
}

export interface Action<A extends unknown[]> {
  run: (...args: A) => Promise<void>;
  busy: boolean;
  error: unknown;
  clearError: () => void;
}

/** A user-triggered request: one at a time, with a busy flag for the button and the last error. */
export function useAction<A extends unknown[]>(act: (...args: A) => Promise<void>): Action<A> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const inFlight = useRef(false);
  const live = useRef(true);
  useEffect(
    () => () => {
      live.current = false;
    },
    [],
  );
  const run = useCallback(
    async (...args: A) => {
      if (inFlight.current) return;
      inFlight.current = true;
      setBusy(true);
      setError(undefined);
      try {
        await act(...args);
      } catch (err) {
        if (live.current) setError(err);
      } finally {
        inFlight.current = false;
        if (live.current) setBusy(false);
      }
    },
    [act],
  );
  return { run, busy, error, clearError: () => setError(undefined) };
}
