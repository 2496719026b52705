import { Text, View } from '@tarojs/components';
import { CARD_FIELDS, type CardField } from '@eid/shared';
import { Row } from '../../components/ui';
import { formatDateTime } from '../../lib/format';
import { fieldLabel, fieldValueText, purposeLabel } from '../../lib/labels';
import { useI18n, type MessageKey } from '../i18n';
import { ageText } from '../lib/useOfflineTerminal';
import type { ShownVerdict } from '../lib/useVerifyCode';

/**
 * The verdict of a check in words, and the card fields the answer carries when it is valid: only those,
 * as the code disclosed them (the age predicates as 是/否, the province by name). A valid code that shows
 * nothing says the e-ID is held and nothing more. A check made offline says so, with the age of the
 * status data it relied on. `purpose` is the one the check was for: a code made for another purpose
 * (so showing less) is pointed out.
 */
export function VerdictView({ result, purpose }: { result: ShownVerdict; purpose?: string }) {
  const { t, lang } = useI18n();
  const offline = result.offline;
  const stale =
    offline !== undefined &&
    result.verdict === 'status_unknown' &&
    (offline.statusAgeMs === null || offline.statusAgeMs > offline.maxStatusAgeMs);
  const ok = result.verdict === 'valid';
  const card = result.card ?? {};
  const present = (f: CardField) =>
    typeof card[f] === 'boolean' || (typeof card[f] === 'string' && card[f] !== '');
  const shown = CARD_FIELDS.filter(present);
  const otherPurpose =
    ok && purpose && result.codePurpose && result.codePurpose !== purpose ? result.codePurpose : undefined;
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
      {otherPurpose && (
        <Text className="verdict__hint" data-testid="verdict-code-purpose">
          {t('staff.codePurpose', {
            made: purposeLabel(otherPurpose, undefined, lang, t),
            wanted: purposeLabel(purpose!, undefined, lang, t),
          })}
        </Text>
      )}
      {ok && shown.length > 0 && (
        <View className="verdict__card">
          <Text className="verdict__card-title">{t('staff.cardData')}</Text>
          {shown.map((f) => (
            <Row key={f} label={fieldLabel(f, t)} value={fieldValueText(f, card[f]!, t, lang)} />
          ))}
        </View>
      )}
      {ok && shown.length === 0 && (
        <View className="verdict__card">
          <Text className="verdict__card-title" data-testid="verdict-holder-only">
            {t('staff.holderOnly')}
          </Text>
        </View>
      )}
      {!ok && <Text className="verdict__meta">{t('staff.noCardData')}</Text>}
    </View>
  );
}
