import Taro from '@tarojs/taro';

/** `length` bytes from the platform's cryptographically secure generator. */
export async function secureRandom(length: number): Promise<Uint8Array> {
  if (process.env.TARO_ENV === 'weapp') {
    const { randomValues } = await Taro.getRandomValues({ length });
    return new Uint8Array(randomValues);
  }
  const out = new Uint8Array(length);
  crypto.getRandomValues(out);
  return out;
}
