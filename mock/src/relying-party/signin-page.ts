import type { SignedIn, SignInReason } from './oidc-client';

/*
 * The hotel's sign-in pages, rendered on the server without script: the level buttons, the signed-in page
 * and the error page. Every value is escaped; the test ids are what the browser tests look for.
 */

const esc = (s: unknown): string =>
  String(s).replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** What each level asks of the resident, as the buttons say it. */
export const LEVEL_WORDS: Record<1 | 2 | 3, string> = {
  1: '一级：手机确认 Level 1: confirm on the phone',
  2: '二级：手机确认 + 电子身份证口令 Level 2: phone and e-ID passcode',
  3: '三级：口令 + 人脸核验 Level 3: passcode and face check',
};

/** The words the page shows for each way a sign-in can fail. */
export const SIGNIN_REASONS: Record<SignInReason, string> = {
  bff_unreachable: '无法连接电子身份证服务 The e-ID service cannot be reached',
  discovery_invalid: '电子身份证服务的配置无法识别 The e-ID service’s configuration was not understood',
  par_refused: '电子身份证服务拒绝了登录请求 The e-ID service refused the sign-in request',
  no_signin: '本浏览器没有进行中的登录，或已超时 No sign-in was started in this browser, or it timed out',
  state_mismatch:
    '登录回应与本浏览器发起的登录不符 The answer does not belong to a sign-in started in this browser',
  iss_mismatch: '回应来自另一个身份提供方 The answer names another identity provider',
  access_denied: '居民拒绝或取消了登录 The resident declined or cancelled the sign-in',
  authorization_error: '电子身份证服务未能完成登录 The e-ID service could not complete the sign-in',
  token_refused:
    '登录码无效、已使用或已过期 The sign-in code was refused (used, expired, or the card is suspended)',
  id_token_invalid: '身份令牌验证失败 The ID token did not verify',
  nonce_mismatch: '身份令牌不是为本次登录签发的 The ID token was not issued for this sign-in',
  level_too_low: '达到的认证等级低于要求 The level achieved is below the one asked',
  userinfo_refused: '无法读取身份信息 The identity claims could not be read',
};

const CLAIM_LABELS: Record<string, string> = {
  name: '姓名 Name',
  id_number_masked: '证件号 ID number',
  age_over_18: '年满18周岁 Over 18',
  residence_province: '居住省份 Province',
};

const STYLE = `
  body { font-family: system-ui, "WenQuanYi Micro Hei", sans-serif; margin: 0; background: #f5f6f8; color: #1d2129; }
  header { background: #0b5fa5; color: #fff; padding: 12px 20px; }
  header h1 { font-size: 20px; margin: 0; }
  main { max-width: 640px; margin: 16px auto; background: #fff; border-radius: 8px; padding: 16px 20px; box-shadow: 0 1px 3px rgba(0,0,0,.08); }
  a.button { display: block; margin: 8px 0; padding: 10px 16px; border-radius: 6px; background: #0b5fa5; color: #fff; text-decoration: none; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; }
  dd { margin: 0; word-break: break-all; }
  .error { color: #c9302c; }
  .muted { color: #86909c; font-size: 13px; }`;

function layout(hotelName: string, title: string, body: string): string {
  const name = esc(hotelName);
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${name} · ${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${name} · ${esc(title)}</h1></header>
<main>
${body}
<p><a href="/signin">重新登录 Sign in again</a> · <a href="/">前台 Front desk</a></p>
</main>
</body>
</html>
`;
}

/** The three level buttons (also on the front desk page). */
export function levelButtons(): string {
  return ([1, 2, 3] as const)
    .map(
      (n) =>
        `<a class="button" data-testid="signin-level-${n}" href="/signin/start?level=${n}">使用电子身份证登录 Sign in with e-ID · ${esc(LEVEL_WORDS[n])}</a>`,
    )
    .join('\n');
}

/** `GET /signin`. */
export function signInStartPage(hotelName: string): string {
  return layout(
    hotelName,
    '会员登录 Member sign-in',
    `<h2>使用电子身份证登录 Sign in with e-ID</h2>
<p class="muted">选择认证等级；您将在电子身份证服务的页面上扫码，并在手机上确认。<br>Choose a level; you scan a code on the e-ID service's page and confirm on your phone.</p>
${levelButtons()}`,
  );
}

/** The page after a verified sign-in. */
export function signedInPage(hotelName: string, s: SignedIn): string {
  const claims = Object.entries(s.claims)
    .map(
      ([k, v]) =>
        `<dt>${esc(CLAIM_LABELS[k] ?? k)}</dt><dd data-testid="signin-claim-${esc(k)}">${esc(typeof v === 'boolean' ? (v ? '是 yes' : '否 no') : v)}</dd>`,
    )
    .join('\n');
  return layout(
    hotelName,
    '已登录 Signed in',
    `<h2 data-testid="signin-done">已登录 Signed in</h2>
<dl>
<dt>会员标识 Member id (pairwise sub)</dt><dd data-testid="signin-sub">${esc(s.sub)}</dd>
<dt>认证等级 Level</dt><dd data-testid="signin-level">${s.level}</dd>
<dt>acr</dt><dd data-testid="signin-acr">${esc(s.acr)}</dd>
<dt>认证方式 Methods (amr)</dt><dd data-testid="signin-amr">${esc(s.amr.join(' '))}</dd>
${s.authTime !== undefined ? `<dt>认证时间 Authenticated at</dt><dd data-testid="signin-auth-time">${esc(new Date(s.authTime * 1000).toISOString())}</dd>` : ''}
${claims}
</dl>`,
  );
}

/** The page when a sign-in did not complete: the reason in words and the detail. */
export function signInErrorPage(hotelName: string, reason: SignInReason, detail: string): string {
  return layout(
    hotelName,
    '登录未完成 Sign-in not completed',
    `<h2>登录未完成 Sign-in not completed</h2>
<p class="error" role="alert" data-testid="signin-error" data-reason="${esc(reason)}">${esc(SIGNIN_REASONS[reason])}</p>
<p class="muted" data-testid="signin-error-detail">${esc(detail)}</p>`,
  );
}
