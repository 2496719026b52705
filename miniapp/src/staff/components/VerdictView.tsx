import { Text, View } from '@tarojs/components';
import { CARD_FIELDS, type CardField } from '@eid/shared';
import { Row } from '../../components/ui';
import { formatCardDate, formatDateTime, formatValidity } from '../../lib/format';
import { fieldLabel } from '../../lib/labels';
import { useI18n, type MessageKey } from '../i18n';
import { ageText } from '../lib/useOfflineTerminal';
import type { ShownVerdict } from '../lib/useVerifyCode';

/**
 * The verdict of a check in words, and the card fields the purpose allows when it is valid. A check
 * made offline says so, with the age of the status data it relied on.
 */
export function VerdictView({ result }: { result: ShownVerdict }) {
  const { t, lang } = useI18n();
  const offline = result.offline;
  const stale =
    offline !== undefined &&
    result.verdict === 'status_unknown' &&
    (offline.statusAgeMs === null || offline.statusAgeMs > offline.maxStatusAgeMs);
  const ok = result.verdict === 'valid';
  const card = result.card ?? {};
  const shown = CARD_FIELDS.filter((f) => typeof card[f] === 'string' && card[f] !== '');
  const value = (f: CardField) => {
    const v = String(card[f]);
    if (f === 'birthDate') return formatCardDate(v, lang);
    if (f === 'sex')
      return v === 'M' || v === '男' ? t('card.sexM') : v === 'F' || v === '女' ? t('card.sexF') : v;
    if (f === 'validFrom' || f === 'validUntil') return formatValidity(v, t('card.longTerm'));
    return v;
  };
  return (
    <View className={`verdict verdict--${ok ? 'ok' : 'bad'}`} role="status" aria-live="assertive">
      <Text
        className="verdict__title"
        data-verdict={result.verdict}
        data-offline={offline ? 'true' : undefined}
      >
        {t(`verdict.${result.verdict}` as MessageKey)}
      </Text>
      {offline && (
        <Text className="verdict__offline" data-testid="verdict-offline">
          {offline.statusAgeMs === null
            ? t('offline.noteNoData')
            : t('offline.note', { age: ageText(offline.statusAgeMs, t) })}
        </Text>
      )}
      {stale && (
        <Text className="verdict__hint">
          {t('offline.stale', { max: ageText(offline.maxStatusAgeMs, t, 'maxAge') })}
        </Text>
      )}
      <Text className="verdict__hint">{t(`verdict.${result.verdict}.hint` as MessageKey)}</Text>
      <Text className="verdict__meta">
        {t('staff.checkedAt', { time: formatDateTime(result.checkedAt, lang) })}
      </Text>
      {result.issuer && (
        <Text className="verdict__meta">{t('staff.issuer', { province: result.issuer.province })}</Text>
      )}
      {ok && shown.length > 0 ? (
        <View className="verdict__card">
          <Text className="verdict__card-title">{t('staff.cardData')}</Text>
          {shown.map((f) => (
            <Row key={f} label={fieldLabel(f, t)} value={value(f)} />
          ))}
        </View>
      ) : (
        !ok && <Text className="verdict__meta">{t('staff.noCardData')}</Text>
      )}
    </View>
  );
}
