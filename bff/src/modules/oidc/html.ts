import { randomBytes } from 'node:crypto';

/** Text made safe for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A fresh CSP nonce for one page. */
export function newNonce(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * The headers of every HTML page this module serves: never cached (it shows a live sign-in), scripts and
 * styles only with the page's nonce, nothing fetched from elsewhere, never framed (a framed sign-in page
 * could be overlaid to make the resident approve someone else's sign-in).
 */
export function pageHeaders(nonce: string): Record<string, string> {
  return {
    'Cache-Control': 'no-store',
    Pragma: 'no-cache',
    'Content-Security-Policy': [
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      `style-src 'nonce-${nonce}'`,
      'img-src data:',
      "connect-src 'self'",
      "form-action 'self'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };
}

/** The page style shared by the sign-in page and the provider's error page. */
export const PAGE_STYLE = `
body{font-family:"PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;margin:0;background:#f3f5f8;color:#1b1f24}
main{max-width:34rem;margin:2rem auto;padding:1.5rem 2rem;background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.15)}
h1{font-size:1.4rem;margin:0 0 1rem}
.en{color:#5a6472;font-size:.9em}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.4rem 1rem;margin:0 0 1rem}
dt{color:#5a6472}dd{margin:0;overflow-wrap:anywhere}
.qr{width:15rem;height:15rem;margin:0 auto}.qr svg{width:100%;height:100%}
.control{font-size:3rem;font-weight:700;letter-spacing:.4em;text-align:center;margin:.5rem 0;font-variant-numeric:tabular-nums}
.actions{display:flex;gap:1rem;justify-content:center;flex-wrap:wrap;margin-top:1rem}
.button{display:inline-block;padding:.6rem 1.2rem;border-radius:6px;border:1px solid #1f6feb;color:#1f6feb;background:#fff;text-decoration:none;font-size:1rem;cursor:pointer}
.button.primary{background:#1f6feb;color:#fff}.button.primary .en{color:#e3ecfd}
#status{text-align:center;min-height:1.5em;margin-top:1rem}
[hidden]{display:none!important}
`;
