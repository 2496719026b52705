import { AppError } from '@eid/shared';
import { z } from 'zod';
import { callUpstream, joinUrl, parseAnswer, unavailable } from './http';
import type { SuperAppClient, UpstreamOptions } from './types';

export interface SuperAppClientOptions extends UpstreamOptions {
  appId: string;
  appSecret: string;
}

// The platform's JSON (labelled text/plain by WeChat): errcode absent or 0 on success.
const sessionAnswer = z.object({
  errcode: z.number().int().optional(),
  errmsg: z.string().optional(),
  openid: z.string().min(1).max(128).optional(),
  unionid: z.string().min(1).max(128).optional(),
});

const CODE_REFUSED = new Set([40029, 40163]);
// -1 "system busy" and 45011 "rate limited" pass; anything else means our appid/secret is wrong.
const TRANSIENT = new Set([-1, 45011]);

/** Adapter for the super-app's server-side login (WeChat `jscode2session` shape). */
export function createSuperAppClient(options: SuperAppClientOptions): SuperAppClient {
  const { baseUrl, appId, appSecret, timeoutMs, deadline } = options;
  return {
    async exchangeCode(code) {
      if (typeof code !== 'string' || code.length === 0 || code.length > 256) {
        throw new AppError('LOGIN_CODE_INVALID', 'login code is invalid');
      }
      const query = new URLSearchParams({
        appid: appId,
        secret: appSecret,
        js_code: code,
        grant_type: 'authorization_code',
      });
      const response = await callUpstream({
        system: 'superapp',
        url: `${joinUrl(baseUrl, '/sns/jscode2session')}?${query}`,
        timeoutMs,
        deadline,
      });
      if (response.status !== 200) throw unavailable('superapp', `answered ${response.status}`, false);
      const answer = parseAnswer('superapp', response, sessionAnswer);
      if (answer.errcode !== undefined && answer.errcode !== 0) {
        if (CODE_REFUSED.has(answer.errcode)) {
          throw new AppError('LOGIN_CODE_INVALID', 'login code is invalid, expired or already used');
        }
        const transient = TRANSIENT.has(answer.errcode);
        throw unavailable('superapp', `refused the exchange (errcode ${answer.errcode})`, transient);
      }
      if (!answer.openid) throw unavailable('superapp', 'sent a malformed answer', false);
      return answer.unionid ? { openId: answer.openid, unionId: answer.unionid } : { openId: answer.openid };
    },
  };
}
