import { useEffect, useState } from 'react';
import { clock } from './clock';

// Imported only by subpackages (consent/, signin/), so Taro keeps it out of the main package.

/** The whole seconds left until `until` (0 once past or when there is none), re-read every second from the one clock. */
export function useSecondsLeft(until: number | undefined): number {
  const left = () => (until === undefined ? 0 : Math.max(0, Math.ceil((until - clock.now()) / 1000)));
  const [value, setValue] = useState(left);
  useEffect(() => {
    setValue(left());
    if (until === undefined) return undefined;
    const timer = setInterval(() => setValue(left()), 1000);
    return () => clearInterval(timer);
  }, [until]);
  return value;
}
