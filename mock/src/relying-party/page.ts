/*
 * The hotel's one page (vanilla JS, no build): the front desk starts a check-in, shows the consent QR and
 * link, waits for the guest's answer (polling the hotel's own server, which learns it by callback), shows
 * the guest's name and masked number, verifies a bright code a guest shows, and offers "sign in with e-ID"
 * (plain links to `/signin/start?level=n`; the server does the rest). Every value from the server
 * goes in with textContent; the QR is an <img> of an SVG data URL the server made.
 */

import { levelButtons } from './signin-page';

/** The HTML of `GET /`. */
export function hotelPage(hotelName: string): string {
  const name = hotelName.replace(/[<>&"]/g, '');
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${name} · 前台入住 Front desk</title>
<style>
  body { font-family: system-ui, "WenQuanYi Micro Hei", sans-serif; margin: 0; background: #f5f6f8; color: #1d2129; }
  header { background: #0b5fa5; color: #fff; padding: 12px 20px; }
  header h1 { font-size: 20px; margin: 0; }
  main { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; padding: 16px 20px; }
  section { background: #fff; border-radius: 8px; padding: 16px; box-shadow: 0 1px 3px rgba(0,0,0,.08); }
  h2 { font-size: 16px; margin: 0 0 12px; }
  button { font-size: 15px; padding: 8px 16px; border: 0; border-radius: 6px; background: #0b5fa5; color: #fff; cursor: pointer; }
  button.secondary { background: #e8edf3; color: #1d2129; }
  #qr img { width: 220px; height: 220px; image-rendering: pixelated; }
  .state { font-weight: 600; }
  .muted { color: #86909c; font-size: 13px; }
  .error { color: #c9302c; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; }
  table { width: 100%; border-collapse: collapse; font-size: 13px; }
  td, th { border-bottom: 1px solid #eee; padding: 4px; text-align: left; }
  textarea { width: 100%; box-sizing: border-box; min-height: 64px; }
  a.button { display: block; margin: 8px 0; padding: 8px 16px; border-radius: 6px; background: #0b5fa5; color: #fff; text-decoration: none; }
  [hidden] { display: none !important; }
</style>
</head>
<body>
<header><h1>${name} · 前台入住 Front desk</h1></header>
<main>
<section id="check-in">
  <h2>入住登记 Check-in</h2>
  <button id="new-check-in" type="button">新入住 New check-in</button>
  <p id="check-in-error" class="error" role="alert" hidden></p>
  <div id="current" hidden>
    <p id="instructions">请住客用电子身份证小程序扫码，或打开链接。<br><span class="muted">Ask the guest to scan the code with their e-ID, or open the link.</span></p>
    <div id="qr"></div>
    <p><a id="request-link" href="#" target="_blank" rel="noopener">在电子身份证中打开 Open in the e-ID</a></p>
    <p>状态 State: <span id="state" class="state" data-state=""></span></p>
    <dl id="guest" hidden>
      <dt>姓名 Name</dt><dd id="guest-name"></dd>
      <dt>证件号 ID number</dt><dd id="guest-id"></dd>
      <dt>编号 Reference</dt><dd id="guest-ref"></dd>
    </dl>
    <button id="refresh" class="secondary" type="button">查询 Check now</button>
  </div>
</section>
<section id="verify">
  <h2>核验亮证码 Verify a shown code</h2>
  <textarea id="code" placeholder="扫码枪输入或粘贴 Scan or paste the code"></textarea>
  <p><button id="verify-button" type="button">核验 Verify</button></p>
  <p id="verify-result" data-verdict="" aria-live="polite"></p>
</section>
<section id="signin" style="grid-column: 1 / -1">
  <h2>会员登录 Member sign-in</h2>
  ${levelButtons()}
</section>
<section style="grid-column: 1 / -1">
  <h2>今日登记 Today's check-ins</h2>
  <table><thead><tr><th>编号 Ref</th><th>状态 State</th><th>姓名 Name</th><th>证件号 ID</th></tr></thead>
  <tbody id="list"></tbody></table>
</section>
</main>
<script>
const STATES = {
  pending: '等待住客确认 Waiting for the guest',
  approved: '已同意 Approved',
  declined: '住客已拒绝 Declined by the guest',
  expired: '已过期 Expired',
  withdrawn: '住客已撤回 Withdrawn by the guest',
  deleted: '已删除并确认 Deleted and acknowledged',
};
const VERDICTS = {
  valid: '有效 Valid', expired: '已过期 Expired', not_yet_valid: '尚未生效 Not yet valid',
  bad_signature: '签名无效 Bad signature', tampered: '内容被篡改 Tampered', unknown_issuer: '签发者未知 Unknown issuer',
  revoked: '已吊销 Revoked', suspended: '已暂停 Suspended', status_unknown: '状态未知 Status unknown',
  replayed: '已使用过 Already used', malformed: '无法识别 Not a code',
};
const $ = (id) => document.getElementById(id);
let current = null;
let timer = null;

async function api(method, path, body) {
  const res = await fetch(path, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw Object.assign(new Error(data.message || res.status), { code: data.error });
  return data;
}

function show(c) {
  current = c;
  $('current').hidden = false;
  const box = $('current');
  box.dataset.checkInId = c.id;
  box.dataset.requestCode = c.requestCode || '';
  box.dataset.requestUrl = c.requestUrl || '';
  const qr = $('qr');
  qr.textContent = '';
  if (c.state === 'pending' && c.qr) {
    const img = document.createElement('img');
    img.src = c.qr;
    img.alt = '同意请求二维码 Consent request QR';
    qr.appendChild(img);
  }
  $('instructions').hidden = c.state !== 'pending';
  $('request-link').hidden = !(c.state === 'pending' && c.requestUrl);
  if (c.requestUrl) $('request-link').href = c.requestUrl;
  $('state').textContent = STATES[c.state] || c.state;
  $('state').dataset.state = c.state;
  $('guest').hidden = !c.guest;
  $('guest-name').textContent = c.guest ? c.guest.name : '';
  $('guest-id').textContent = c.guest ? c.guest.idNumberMasked : '';
  $('guest-ref').textContent = c.reference;
  if (c.state !== 'pending' && c.state !== 'approved' && timer) { clearInterval(timer); timer = null; }
}

async function list() {
  const { checkIns } = await api('GET', '/api/check-ins');
  const body = $('list');
  body.textContent = '';
  for (const c of checkIns) {
    const tr = document.createElement('tr');
    tr.dataset.checkInId = c.id;
    tr.dataset.state = c.state;
    for (const text of [c.reference, STATES[c.state] || c.state, c.guest ? c.guest.name : '', c.guest ? c.guest.idNumberMasked : '']) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.appendChild(td);
    }
    body.appendChild(tr);
  }
}

async function poll() {
  if (!current) return;
  try { show(await api('GET', '/api/check-ins/' + encodeURIComponent(current.id))); await list(); } catch (e) { /* next tick */ }
}

$('new-check-in').addEventListener('click', async () => {
  $('check-in-error').hidden = true;
  try {
    show(await api('POST', '/api/check-ins'));
    await list();
    if (timer) clearInterval(timer);
    timer = setInterval(poll, 1000);
  } catch (e) {
    $('check-in-error').textContent = '无法创建入住请求 Could not start the check-in: ' + (e.code || e.message);
    $('check-in-error').hidden = false;
  }
});
$('refresh').addEventListener('click', async () => {
  if (!current) return;
  try { show(await api('POST', '/api/check-ins/' + encodeURIComponent(current.id) + '/refresh')); await list(); } catch (e) { /* shown on the next poll */ }
});
$('verify-button').addEventListener('click', async () => {
  const out = $('verify-result');
  out.textContent = '核验中… Checking…';
  out.dataset.verdict = '';
  try {
    const r = await api('POST', '/api/verify', { code: $('code').value.trim() });
    out.dataset.verdict = r.verdict;
    out.textContent = (VERDICTS[r.verdict] || r.verdict) + (r.subject ? ' · 住客标识 Guest id ' + r.subject.slice(0, 12) + '…' : '');
  } catch (e) {
    out.dataset.verdict = 'error';
    out.textContent = '核验失败 Could not verify: ' + (e.code || e.message);
  }
});
list().catch(() => undefined);
</script>
</body>
</html>
`;
}
