import Taro from '@tarojs/taro';

interface WakeLockSentinelLike {
  release(): Promise<void>;
}

/**
 * Raises the screen brightness (WeChat) or keeps the screen awake (browsers that allow it) while the
 * code is shown, so a scanner reads it first time. Returns the function that puts things back.
 */
export async function raiseBrightness(): Promise<() => void> {
  if (process.env.TARO_ENV === 'weapp') {
    let previous: number | undefined;
    try {
      previous = (await Taro.getScreenBrightness()).value;
      await Taro.setScreenBrightness({ value: 1 });
      await Taro.setKeepScreenOn({ keepScreenOn: true });
    } catch {
      // Not every device allows it; the code still works at normal brightness.
    }
    return () => {
      if (previous !== undefined) Taro.setScreenBrightness({ value: previous }).catch(() => undefined);
      Taro.setKeepScreenOn({ keepScreenOn: false }).catch(() => undefined);
    };
  }
  const nav =
    typeof navigator === 'undefined'
      ? undefined
      : (navigator as Navigator & {
          wakeLock?: { request(type: 'screen'): Promise<WakeLockSentinelLike> };
        });
  let lock: WakeLockSentinelLike | undefined;
  try {
    lock = await nav?.wakeLock?.request('screen');
  } catch {
    // The browser refused (no user gesture or not supported): nothing to undo.
  }
  return () => {
    lock?.release().catch(() => undefined);
  };
}
