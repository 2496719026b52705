import { Text, View } from '@tarojs/components';
import { useI18n } from '../i18n';
import { Notice } from '../../components/ui';
import { useRotatingCode } from '../lib/useRotatingCode';
import { QrCode } from '../../components/QrCode';

export const REFRESH_MS = 30_000;

export interface BrightCodeProps {
  /** Builds the code text for a moment in time (offline, on the device). */
  build: (now: number) => string;
  now?: () => number;
  /** Edge of the QR code in CSS px. */
  size?: number;
  /** A v1 code's holder, shown under the code (a v1 code carries these whatever the purpose). */
  holder?: { name: string; idNumberMasked: string };
  /** A v2 code's purpose, shown above the code. */
  purpose?: string;
  /** A v2 code's disclosed claims in words ("已满18周岁：是"), shown under the code instead of the holder. */
  claims?: readonly string[];
  periodMs?: number;
}

/**
 * The bright code: a large QR code that renews on a visible countdown, with the screenshot warning. The
 * screen shows no more than the code does: for a v2 code, the purpose and its disclosed claims only.
 */
export function BrightCode({
  build,
  now,
  size = 320,
  holder,
  purpose,
  claims,
  periodMs = REFRESH_MS,
}: BrightCodeProps) {
  const { t } = useI18n();
  const { code, secondsLeft, error } = useRotatingCode(build, { periodMs, now });
  const total = Math.ceil(periodMs / 1000);

  if (!code) {
    return <Notice tone="error">{error ? t('bright.noCard') : t('error.generic')}</Notice>;
  }
  return (
    <View className="bright">
      <Text className="bright__instruction">{t('bright.instruction')}</Text>
      {purpose && (
        <Text className="bright__purpose" data-testid="bright-purpose">
          {t('bright.purpose', { purpose })}
        </Text>
      )}
      <View className="bright__qr">
        <QrCode text={code} label={t('bright.qrLabel')} size={size} />
      </View>
      {claims && claims.length > 0 && (
        <View className="bright__holder" data-testid="bright-claims">
          {claims.map((line) => (
            <Text key={line} className="bright__claim">
              {line}
            </Text>
          ))}
        </View>
      )}
      {holder && (
        <View className="bright__holder">
          <Text className="bright__name">{holder.name}</Text>
          <Text className="bright__id">{holder.idNumberMasked}</Text>
        </View>
      )}
      <View className="bright__countdown" role="timer" aria-live="off">
        <View className="bright__bar" aria-hidden="true">
          <View className="bright__bar-fill" style={{ width: `${(secondsLeft / total) * 100}%` }} />
        </View>
        <Text className="bright__seconds" data-testid="countdown">
          {t('bright.refreshIn', { s: secondsLeft })}
        </Text>
      </View>
      <Text className="bright__warning">{t('bright.screenshot')}</Text>
    </View>
  );
}
