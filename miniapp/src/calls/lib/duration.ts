type Translate = (key: 'duration.minutes' | 'duration.hours' | 'duration.days', p: { n: number }) => string;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A span in the largest whole unit that reads naturally: "24 小时" for a working day's access, "3 天",
 * "10 分钟"; rounded up to the minute so a little time left never reads as none.
 *
 * @example durationText(86_400_000, t) // '24 小时'
 */
export function durationText(ms: number, t: Translate): string {
  const minutes = Math.max(1, Math.ceil(ms / MINUTE));
  if (minutes < 120) return t('duration.minutes', { n: minutes });
  const hours = Math.round(ms / HOUR);
  if (hours <= 48 || ms % DAY !== 0) return t('duration.hours', { n: hours });
  return t('duration.days', { n: ms / DAY });
}
