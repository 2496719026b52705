import type { Configuration, ErrorOut } from 'oidc-provider';
import { escapeHtml, newNonce, PAGE_STYLE, pageHeaders } from './html';

/** What the resident reads for the OAuth errors a browser can meet, Chinese first. */
const MEANINGS: Record<string, string> = {
  invalid_request: '登录请求无效',
  invalid_client: '发起登录的网站或应用未登记或已停用',
  invalid_scope: '请求的信息超出该网站登记的范围',
  invalid_redirect_uri: '返回地址未登记',
  unauthorized_client: '该网站无权以此方式登录',
  unsupported_response_type: '不支持的登录方式',
  access_denied: '登录已取消或被拒绝',
  login_required: '需要在手机上确认登录',
  interaction_required: '需要在手机上确认登录',
  invalid_request_uri: '登录请求已过期，请回到原网站重新发起',
  request_uri_not_supported: '不支持的登录请求',
  session_not_found: '登录会话已过期，请回到原网站重新发起',
  server_error: '服务暂时出现问题，请稍后再试',
  temporarily_unavailable: '服务暂时不可用，请稍后再试',
};

/**
 * The provider's error page (renderError): shown when an authorization request cannot be sent back to the
 * party (an unknown client or redirect URI, a lapsed request). Chinese first, then the provider's English;
 * nothing but the OAuth error code and its description, which never carry personal data.
 */
export const renderError: NonNullable<Configuration['renderError']> = async (ctx, out: ErrorOut) => {
  const nonce = newNonce();
  ctx.set(pageHeaders(nonce));
  ctx.type = 'html';
  const code = String(out.error ?? 'server_error');
  const zh = MEANINGS[code] ?? '登录未能完成';
  const said = out.error_description ? String(out.error_description) : 'The sign-in could not be completed';
  const description = /[.!?]$/.test(said) ? said : `${said}.`;
  ctx.body = `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>登录未完成 · Sign-in not completed</title>
<style nonce="${nonce}">${PAGE_STYLE}</style>
</head>
<body>
<main>
<h1>登录未完成 <span class="en">Sign-in not completed</span></h1>
<p>${escapeHtml(zh)}。请回到原网站重新发起登录。</p>
<p class="en">${escapeHtml(description)} Go back to the website and start the sign-in again.</p>
<p class="en">错误代码 Error code: <code>${escapeHtml(code)}</code></p>
</main>
</body>
</html>`;
};
