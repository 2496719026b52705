import { Text, View } from '@tarojs/components';
import { beijingDate, documentType, findPurpose, findService, type LicenceFaceValue } from '@eid/shared';
import { Row } from '../../components/ui';
import type { Lang } from '../../i18n';
import { formatCardDate, formatDateTime } from '../../lib/format';
import { useI18n, type MessageKey } from '../i18n';
import type { ShownCheck } from '../lib/useCheck';

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** "3 分钟前更新" / "3 min old": minutes up to two hours, hours up to two days, then days. */
export function ageWords(ms: number, t: Translate): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return t('check.age.now');
  if (minutes < 120) return t('check.age.min', { n: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return t('check.age.hour', { n: hours });
  return t('check.age.day', { n: Math.floor(hours / 24) });
}

/** The sentence under the verdict: which `expired` it is (the document's validity or the 60-second code). */
function hintKey(result: ShownCheck): MessageKey {
  const { verdict } = result;
  if (verdict === 'valid')
    return result.format === 'annotated' ? 'check.verdict.valid.annotated' : 'check.verdict.valid.code';
  if (verdict === 'expired') {
    const until = result.document?.validUntil;
    const documentExpired =
      result.format === 'annotated' || (until != null && until < beijingDate(result.checkedAt));
    return documentExpired ? 'check.verdict.expired.document' : 'check.verdict.expired.code';
  }
  return `check.verdict.${verdict}.hint` as MessageKey;
}

function valueText(value: LicenceFaceValue | null, t: Translate, lang: Lang): string {
  if (value === null) return t('check.absent');
  if (typeof value === 'boolean') return t(value ? 'common.yes' : 'common.no');
  if (typeof value === 'number') return String(value);
  return formatCardDate(value, lang);
}

function shownFor(result: ShownCheck, lang: Lang): string | undefined {
  if (result.service) return findService(result.service)?.[lang] ?? result.service;
  if (result.purpose) return findPurpose(result.purpose)?.[lang] ?? result.purpose;
  return undefined;
}

/**
 * A verdict in plain words, and only what the code or copy itself discloses: the document's type, issuing
 * body, identifier and validity once its signature held; the disclosed fields (for anything but a valid
 * verdict, marked as for comparison only); for an annotated copy, for whom and what it was made and until
 * when the window could read it; the status data's age when the status could not be confirmed.
 */
export function CheckVerdict({ result }: { result: ShownCheck }) {
  const { t, lang } = useI18n();
  const ok = result.verdict === 'valid';
  const doc = result.document;
  const type = doc ? documentType(doc.type) : undefined;
  const fields = result.fields ?? {};
  const keys = type ? type.fields.map((f) => f.key).filter((k) => k in fields) : Object.keys(fields);
  const label = (key: string) => type?.fields.find((f) => f.key === key)?.[lang] ?? key;
  const shown = keys.filter((k) => type?.fields.find((f) => f.key === k)?.kind !== 'bytes');
  const annotation = result.annotation;
  const purposeFor = shownFor(result, lang);

  return (
    <View className={`check-verdict check-verdict--${ok ? 'ok' : 'bad'}`} role="status" aria-live="assertive">
      <Text
        className="check-verdict__title"
        data-verdict={result.verdict}
        data-offline={result.offline ? 'true' : undefined}
      >
        {t(`check.verdict.${result.verdict}` as MessageKey)}
      </Text>
      {result.offline && (
        <Text className="check-verdict__offline" data-testid="check-offline">
          {result.statusAgeMs !== undefined
            ? t('check.offlineStatus', { age: ageWords(result.statusAgeMs, t) })
            : result.verdict === 'status_unknown'
              ? t('check.offlineNoStatus')
              : t('check.offline')}
        </Text>
      )}
      <Text className="check-verdict__hint">{t(hintKey(result))}</Text>
      {result.verdict === 'status_unknown' && !result.offline && (
        <Text className="check-verdict__meta" data-testid="check-status-age">
          {result.statusAgeMs === undefined
            ? t('check.noStatus')
            : t('check.statusAge', { age: ageWords(result.statusAgeMs, t) })}
        </Text>
      )}
      <Text className="check-verdict__meta">
        {t('check.checkedAt', { time: formatDateTime(result.checkedAt, lang) })}
      </Text>
      {doc && (
        <View className="check-verdict__card" data-testid="check-document">
          <Text className="check-verdict__card-title">{t('check.document')}</Text>
          <Row label={t('check.docType')} value={doc[lang]} />
          <Row label={t('check.issuer')} value={doc.issuer.name} />
          <Row label={t('check.identifier')} value={doc.identifier} />
          <Row
            label={t('check.validity')}
            value={`${formatCardDate(doc.validFrom, lang)} – ${
              doc.validUntil ? formatCardDate(doc.validUntil, lang) : t('check.longTerm')
            }`}
          />
          {purposeFor && <Row label={t('check.shownFor')} value={purposeFor} />}
        </View>
      )}
      {result.fields && (
        <View className="check-verdict__card" data-testid="check-fields">
          <Text className="check-verdict__card-title">
            {t(ok ? 'check.disclosed' : 'check.disclosedCompare')}
          </Text>
          {shown.length === 0 && <Text>{t('check.nothingDisclosed')}</Text>}
          {shown.map((key) => (
            <View key={key} data-field={key}>
              <Row label={label(key)} value={valueText(fields[key]!, t, lang)} />
            </View>
          ))}
        </View>
      )}
      {annotation && (
        <View className="check-verdict__card" data-testid="check-annotation">
          <Text className="check-verdict__card-title">{t('check.annotation')}</Text>
          <Text className="check-verdict__only">
            {t('check.annotation.only', {
              organisation: annotation.organisation,
              window: annotation.windowName,
              purpose: annotation.purpose,
            })}
          </Text>
          <Row
            label={t('check.annotation.service')}
            value={findService(annotation.service)?.[lang] ?? annotation.service}
          />
          <Row
            label={t('check.annotation.accessUntil')}
            value={formatDateTime(annotation.accessUntil, lang)}
          />
          <Row
            label={t('check.annotation.annotatedAt')}
            value={formatDateTime(annotation.annotatedAt, lang)}
          />
          <Text className="check-verdict__meta">{t('check.annotation.note')}</Text>
        </View>
      )}
    </View>
  );
}
