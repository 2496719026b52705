import { useEffect, useState, type ReactNode } from 'react';
import { errorWords, type Words } from './words';

/** Chinese first, English after, in one line. */
export function T({ w }: { w: Words }) {
  return (
    <>
      {w.zh} <span className="en">{w.en}</span>
    </>
  );
}

/** An error said in words, announced to screen readers. */
export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p className="error" role="alert">
      <T w={errorWords(error)} />
    </p>
  );
}

export function Field({ label, children }: { label: Words; children: ReactNode }) {
  return (
    <label className="field">
      <span className="field__label">
        <T w={label} />
      </span>
      {children}
    </label>
  );
}

/** Runs `load` on mount and when `deps` change; `reload` runs it again. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[] = []) {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setError(undefined);
    load().then(
      (d) => live && setData(d),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return { data, error, reload: () => setTick((t) => t + 1) };
}

export const fmtTime = (ms: number) =>
  new Date(ms).toLocaleString('zh-CN', { hour12: false, timeZone: 'Asia/Shanghai' });
