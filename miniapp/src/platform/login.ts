import Taro from '@tarojs/taro';
import { request } from '../services/request';
import { readStored, writeStored } from '../lib/storage';
import { secureRandom } from './random';
import { SUPERAPP_BASE } from './endpoints';

async function deviceUserKey(): Promise<string> {
  const stored = readStored<string>('userKey');
  if (stored) return stored;
  const bytes = await secureRandom(16);
  const key = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  writeStored('userKey', key);
  return key;
}

/**
 * A one-time login code from the super-app. In WeChat that is `wx.login`; on the web the stand-in
 * super-app issues it for a key kept on this device, so the same browser is the same user.
 */
export async function getLoginCode(): Promise<string> {
  if (process.env.TARO_ENV === 'weapp') {
    const { code } = await Taro.login();
    return code;
  }
  const { code } = await request<{ code: string }>({
    method: 'POST',
    path: `${SUPERAPP_BASE}/v1/authorize`,
    data: { userKey: await deviceUserKey() },
    auth: 'none',
  });
  return code;
}
