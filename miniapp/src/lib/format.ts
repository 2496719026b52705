import { CHINA_OFFSET_MS } from '@eid/shared';
import type { Lang } from '../i18n';

const pad = (n: number) => String(n).padStart(2, '0');

// Government services in China show Beijing time whatever the device's zone.
function parts(epochMs: number) {
  const d = new Date(epochMs + CHINA_OFFSET_MS);
  return {
    y: d.getUTCFullYear(),
    m: d.getUTCMonth() + 1,
    d: d.getUTCDate(),
    hh: pad(d.getUTCHours()),
    mm: pad(d.getUTCMinutes()),
  };
}

/** A date in Beijing time: 2026年11月23日 / 23 Nov 2026. */
export function formatDate(epochMs: number, lang: Lang): string {
  const p = parts(epochMs);
  if (lang === 'zh') return `${p.y}年${p.m}月${p.d}日`;
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][p.m - 1];
  return `${p.d} ${month} ${p.y}`;
}

/** A date and time in Beijing time. */
export function formatDateTime(epochMs: number, lang: Lang): string {
  const p = parts(epochMs);
  return `${formatDate(epochMs, lang)} ${p.hh}:${p.mm}`;
}

/** `YYYY-MM-DD` as printed on the physical card: 1990年1月2日 / 1990.01.02. */
export function formatCardDate(iso: string, lang: Lang): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  return lang === 'zh' ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : `${m[1]}.${m[2]}.${m[3]}`;
}

/** A validity bound as printed on the back of the card (`2030.05.01`), `长期` for no expiry. */
export function formatValidity(value: string, longTerm: string): string {
  if (value === '长期' || value === 'long-term' || value === '') return longTerm;
  return value.replace(/-/g, '.');
}
