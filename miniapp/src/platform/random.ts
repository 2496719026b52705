import Taro from '@tarojs/taro';

/** `length` bytes from the platform's cryptographically secure generator. */
export async function secureRandom(length: number): Promise<Uint8Array> {
  if (process.env.TARO_ENV === 'weapp') {
    // Callbacks rather than the promise: Taro does not promisify this API on every version.
    return new Promise((resolve, reject) => {
      Taro.getRandomValues({
        length,
        success: ({ randomValues }) => resolve(new Uint8Array(randomValues)),
        fail: reject,
      });
    });
  }
  const out = new Uint8Array(length);
  crypto.getRandomValues(out);
  return out;
}
