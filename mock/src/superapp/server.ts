import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { MOCK_SUPERAPP_APP_ID, MOCK_SUPERAPP_APP_SECRET } from '../lib/credentials';
import {
  parseWith,
  sameSecret,
  startMockServer,
  systemClock,
  type MockClock,
  type MockServer,
} from '../lib/server';

/** How long a login code lives, as in WeChat's wx.login. */
export const LOGIN_CODE_TTL_MS = 5 * 60 * 1000;

/** The errcodes this stand-in answers with; the numbers are WeChat's. */
export const SUPERAPP_ERRCODES = {
  invalidCredential: 40001,
  invalidGrantType: 40002,
  invalidAppId: 40013,
  invalidCode: 40029,
  invalidAppSecret: 40125,
  codeBeenUsed: 40163,
} as const;

export interface SuperAppOptions {
  port?: number;
  host?: string;
  clock?: MockClock;
  appId?: string;
  appSecret?: string;
}

interface IssuedCode {
  openid: string;
  unionid: string;
  issuedAt: number;
  used: boolean;
}

const authorizeBody = z.object({ userKey: z.string().min(1).max(128).optional() }).strict();
const sessionQuery = z.object({
  appid: z.string().optional(),
  secret: z.string().optional(),
  js_code: z.string().optional(),
  grant_type: z.string().optional(),
});

// Open ids are stable per (app, user), union ids per user across apps, as on the real platform.
function stableId(prefix: string, ...parts: string[]): string {
  const hash = createHash('sha256').update(parts.join('\u0000')).digest('base64url');
  return prefix + hash.slice(0, 27);
}

/**
 * The super-app login stand-in, shaped like WeChat's: the page gets a one-time code
 * (`POST /v1/authorize`, the wx.login step) and the BFF exchanges it server-side
 * (`GET /sns/jscode2session`). Codes are single-use and live 5 minutes by the injected clock.
 */
export async function startSuperApp(options: SuperAppOptions = {}): Promise<MockServer> {
  const clock = options.clock ?? systemClock;
  const appId = options.appId ?? MOCK_SUPERAPP_APP_ID;
  const appSecret = options.appSecret ?? MOCK_SUPERAPP_APP_SECRET;
  const codes = new Map<string, IssuedCode>();

  const forgetOldCodes = (now: number) => {
    // Spent codes are kept for their lifetime so a second use says "been used", not "invalid".
    for (const [code, issued] of codes) if (now - issued.issuedAt > LOGIN_CODE_TTL_MS) codes.delete(code);
  };

  return startMockServer({
    name: 'superapp',
    port: options.port,
    host: options.host,
    build(router) {
      router.post('/v1/authorize', function authorize(ctx) {
        const { userKey } = parseWith(authorizeBody, ctx.request.body ?? {});
        const now = clock.now();
        forgetOldCodes(now);
        const user = userKey ?? randomBytes(16).toString('hex');
        const code = randomBytes(24).toString('base64url');
        codes.set(code, {
          openid: stableId('o', 'openid', appId, user),
          unionid: stableId('u', 'unionid', user),
          issuedAt: now,
          used: false,
        });
        ctx.body = { code };
      });

      router.get('/sns/jscode2session', function jscode2session(ctx) {
        const query = parseWith(sessionQuery, ctx.query);
        // WeChat answers 200 with an errcode for every refusal, and labels its JSON text/plain.
        ctx.type = 'text/plain';
        const refuse = (errcode: number, errmsg: string) => {
          ctx.body = JSON.stringify({ errcode, errmsg });
        };
        if (query.appid !== appId) return refuse(SUPERAPP_ERRCODES.invalidAppId, 'invalid appid');
        if (!query.secret || !sameSecret(query.secret, appSecret)) {
          return refuse(SUPERAPP_ERRCODES.invalidAppSecret, 'invalid appsecret');
        }
        if (query.grant_type !== 'authorization_code') {
          return refuse(SUPERAPP_ERRCODES.invalidGrantType, 'invalid grant_type');
        }
        const issued = query.js_code ? codes.get(query.js_code) : undefined;
        if (!issued || clock.now() - issued.issuedAt > LOGIN_CODE_TTL_MS) {
          return refuse(SUPERAPP_ERRCODES.invalidCode, 'invalid code');
        }
        if (issued.used) return refuse(SUPERAPP_ERRCODES.codeBeenUsed, 'code been used');
        issued.used = true;
        ctx.body = JSON.stringify({
          openid: issued.openid,
          session_key: randomBytes(16).toString('base64'),
          unionid: issued.unionid,
        });
      });
    },
  });
}
