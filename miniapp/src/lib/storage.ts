import Taro from '@tarojs/taro';

// One prefix for every key, so a sign-out can clear what is ours and nothing else.
const PREFIX = 'eid.';

/** Reads a JSON value stored on the device, or undefined when absent or unreadable. */
export function readStored<T>(key: string): T | undefined {
  try {
    const raw: unknown = Taro.getStorageSync(PREFIX + key);
    if (raw === '' || raw === undefined || raw === null) return undefined;
    return (typeof raw === 'string' ? JSON.parse(raw) : raw) as T;
  } catch {
    return undefined;
  }
}

/** Stores a JSON value on the device. */
export function writeStored(key: string, value: unknown): void {
  Taro.setStorageSync(PREFIX + key, JSON.stringify(value));
}

/** Removes a stored value. */
export function removeStored(key: string): void {
  Taro.removeStorageSync(PREFIX + key);
}
