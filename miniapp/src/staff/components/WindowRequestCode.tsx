import { Text, View } from '@tarojs/components';
import type { WindowDocumentCall } from '@eid/shared';
import { useEffect, useState } from 'react';
import { QrCode } from '../../components/QrCode';
import { clock } from '../../lib/clock';
import { formatDateTime } from '../../lib/format';
import { useI18n } from '../i18n';

const pad = (n: number) => String(n).padStart(2, '0');

/** "09:41": minutes and seconds left, rounded up so the last second still reads 00:01. */
export function countdownText(ms: number): string {
  const seconds = Math.ceil(Math.max(0, ms) / 1000);
  return `${pad(Math.floor(seconds / 60))}:${pad(seconds % 60)}`;
}

/** The clock's time, read again every `everyMs` so a countdown moves. */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => clock.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(clock.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/**
 * The signed request code on the window's screen while the resident may answer, with the time left until
 * `answerBy`. Once that passes on this clock the code goes away: it can no longer be approved.
 */
export function WindowRequestCode({ call }: { call: WindowDocumentCall }) {
  const { t, lang } = useI18n();
  const now = useNow();
  const left = call.answerBy - now;
  if (left <= 0) {
    return (
      <View className="window-code window-code--over" data-testid="window-code-over">
        <Text className="window-code__state">{t('window.state.expired')}</Text>
        <Text>{t('window.expired.hint')}</Text>
      </View>
    );
  }
  return (
    <View className="window-code" data-testid="window-code">
      <View className="window-code__qr">
        <QrCode text={call.requestCode} label={t('window.call.qrLabel')} size={320} canvasId="window-qr" />
      </View>
      <View className="window-code__countdown" role="timer" data-testid="window-countdown">
        <Text>
          {t('window.call.countdown', {
            left: countdownText(left),
            time: formatDateTime(call.answerBy, lang),
          })}
        </Text>
      </View>
      <Text className="window-code__hint">
        {t(call.addressed ? 'window.call.addressed' : 'window.call.scanHint')}
      </Text>
    </View>
  );
}
