import { useUnload } from '@tarojs/taro';
import { useRef, useState } from 'react';

// The full number stays on screen only briefly; it was shown for one look, not to be left open.
const REVEAL_MS = 60_000;

/** The full ID number after a face check: hidden again after a minute, on request, or when the page goes. */
export function useReveal() {
  const [revealed, setRevealed] = useState<string | null>(null);
  const hideTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const hide = () => {
    setRevealed(null);
    if (hideTimer.current) clearTimeout(hideTimer.current);
  };
  useUnload(hide);

  const show = (idNumber: string) => {
    setRevealed(idNumber);
    hideTimer.current = setTimeout(() => setRevealed(null), REVEAL_MS);
  };

  return { revealed, show, hide };
}
