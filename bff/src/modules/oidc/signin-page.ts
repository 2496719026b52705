import QRCode from 'qrcode';
import type { SignInLevel, SignInState } from '@eid/shared';
import { escapeHtml, PAGE_STYLE } from './html';

/** What the desktop sign-in page shows (docs/remote-signin.md, step 3). */
export interface SignInPageInput {
  uid: string;
  /** The party's verified name: from its signed registration. */
  partyName: string;
  /** The redirect URI's origin, in full: where the browser goes back to. */
  returnOrigin: string;
  level: SignInLevel;
  requestCode: string;
  requestUrl: string;
  controlCode: string;
  state: SignInState;
  expiresAt: number;
  nonce: string;
}

const LEVELS: Record<SignInLevel, { zh: string; en: string }> = {
  1: { zh: '在已登记的手机上确认', en: 'approval on your registered phone' },
  2: { zh: '手机确认并输入电子身份证口令', en: 'phone approval and your e-ID passcode' },
  3: { zh: '手机确认、电子身份证口令和人脸核验', en: 'phone approval, your e-ID passcode and a face check' },
};

/**
 * The page's script: polls the status every second; on `approved` it goes to finish, which hands the sign-in
 * to the provider; on an ending state it says why and offers the way back (finish, which tells the party).
 * Cancel posts `{}` without following the redirect (a fetch cannot follow it to the party's origin) and then
 * goes to finish as well. No inline handlers: the CSP allows only this nonce'd script.
 */
const SCRIPT = `(function () {
  var main = document.querySelector('main');
  var base = main.getAttribute('data-base');
  var status = document.getElementById('status');
  var back = document.getElementById('back');
  var waiting = document.getElementById('waiting');
  var cancel = document.getElementById('cancel');
  var texts = {
    declined: '您已在手机上拒绝此次登录。 You declined this sign-in on your phone.',
    cancelled: '此次登录已取消。 This sign-in was cancelled.',
    expired: '此次登录已过期，请重新发起。 This sign-in has expired; start again.',
    completed: '此次登录已完成。 This sign-in was completed.'
  };
  var over = false;
  function finish() { window.location.assign(base + '/finish'); }
  function end(state) {
    over = true;
    waiting.hidden = true;
    cancel.hidden = true;
    status.textContent = texts[state] || texts.expired;
    back.hidden = false;
  }
  function poll() {
    if (over) return;
    fetch(base + '/status', { cache: 'no-store', credentials: 'same-origin' })
      .then(function (r) {
        if (r.status === 410 || r.status === 404) return { state: 'expired' };
        if (!r.ok) throw new Error('status ' + r.status);
        return r.json();
      })
      .then(function (s) {
        if (s.state === 'approved') { over = true; status.textContent = '已确认，正在返回… Approved, going back…'; finish(); return; }
        if (texts[s.state]) { end(s.state); return; }
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  cancel.addEventListener('click', function () {
    over = true;
    fetch(base + '/cancel', {
      method: 'POST', credentials: 'same-origin', redirect: 'manual',
      headers: { 'content-type': 'application/json' }, body: '{}'
    }).then(finish, finish);
  });
  back.addEventListener('click', finish);
  var initial = main.getAttribute('data-state');
  if (texts[initial]) end(initial); else setTimeout(poll, 1000);
})();`;

/** The desktop sign-in page: Chinese first, English second. */
export async function renderSignInPage(input: SignInPageInput): Promise<string> {
  const qr = await QRCode.toString(input.requestCode, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  const level = LEVELS[input.level];
  const base = `/signin/${encodeURIComponent(input.uid)}`;
  const name = escapeHtml(input.partyName);
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>电子身份证登录 · Sign in with e-ID</title>
<style nonce="${input.nonce}">${PAGE_STYLE}</style>
</head>
<body>
<main data-base="${escapeHtml(base)}" data-state="${escapeHtml(input.state)}" data-expires-at="${input.expiresAt}">
<h1>使用电子身份证登录 <span class="en">Sign in with your e-ID</span></h1>
<dl>
<dt>登录到 <span class="en">Signing in to</span></dt><dd id="party-name">${name}</dd>
<dt>返回网址 <span class="en">Returns to</span></dt><dd id="return-origin">${escapeHtml(input.returnOrigin)}</dd>
<dt>认证等级 <span class="en">Level</span></dt><dd id="level" data-level="${input.level}">${input.level} 级：${escapeHtml(level.zh)} <span class="en">level ${input.level}: ${escapeHtml(level.en)}</span></dd>
</dl>
<div id="waiting">
<p>请用手机上的电子身份证扫描二维码，核对手机上显示的网站与返回网址，并选择与下方相同的确认码。
<span class="en">Scan the QR code with the e-ID on your phone, check the website and return address it shows, and pick the code shown below.</span></p>
<div class="qr" id="qr" data-request-code="${escapeHtml(input.requestCode)}">${qr}</div>
<p>确认码 <span class="en">Control code</span></p>
<div class="control" id="control-code">${escapeHtml(input.controlCode)}</div>
<div class="actions">
<a class="button primary" id="same-device" href="${escapeHtml(input.requestUrl)}">在本机打开电子身份证 <span class="en">Open e-ID on this device</span></a>
</div>
</div>
<p id="status" role="status" aria-live="polite"></p>
<div class="actions">
<button type="button" class="button" id="cancel">取消登录 <span class="en">Cancel</span></button>
<button type="button" class="button primary" id="back" hidden>返回 ${name} <span class="en">Back to ${name}</span></button>
</div>
</main>
<script nonce="${input.nonce}">${SCRIPT}</script>
</body>
</html>`;
}
