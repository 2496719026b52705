import type { UsageEvent } from '@eid/shared';
import { Text } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { Btn, Loading, Notice, Panel, Row, Screen } from '../../../components/ui';
import { useI18n, useTitle, type MessageKey } from '../../i18n';
import { describeError } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { useAsync } from '../../../lib/hooks';
import { actionLabel, actorLabel, fieldLabel, purposeLabel } from '../../../lib/labels';
import { back } from '../../../lib/nav';
import { getPurposes } from '../../../services/card';
import { getUsage } from '../../../services/usage';
import { QuestionBox } from '../../components/QuestionBox';
import { offlineMark } from '../../lib/offline';

/** A string detail, or undefined. */
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * What a look by police staff carries for the resident (issue 19 §4): the officer's badge number, the reason
 * they stated and the case. A card action's stated reason is `statedReason` (its `reason` is the code).
 */
function staffAccess(e: UsageEvent): { badge?: string; reason?: string; caseNumber?: string } | null {
  if (e.actor.type !== 'staff' || !e.detail) return null;
  const d = e.detail;
  return {
    badge: text(d.badge),
    reason: text(d.statedReason) ?? (e.action.startsWith('staff.') ? text(d.reason) : undefined),
    caseNumber: text(d.caseNumber),
  };
}

/** One usage record in full: who, when, why, which fields, the outcome. */
export default function UsageDetail() {
  const { t, lang } = useI18n();
  useTitle('usage.detailTitle');
  const id = useRouter().params.id ?? '';
  const event = useAsync(() => getUsage(id), [id]);
  const purposes = useAsync(getPurposes);
  const offline = event.data ? offlineMark(event.data) : null;
  const staff = event.data ? staffAccess(event.data) : null;

  return (
    <Screen title={t('usage.detailTitle')}>
      {event.loading && <Loading />}
      {event.error !== undefined && (
        <>
          <Notice tone="error">{describeError(event.error, t, lang)}</Notice>
          <Btn tone="secondary" label={t('common.retry')} onClick={event.reload} />
        </>
      )}
      {event.data && (
        <Panel title={actionLabel(event.data.action, t)}>
          <Row label={t('usage.who')} value={actorLabel(event.data.actor, t)} />
          <Row label={t('usage.when')} value={formatDateTime(event.data.at, lang)} />
          <Row label={t('usage.purpose')} value={purposeLabel(event.data.purpose, purposes.data, lang, t)} />
          <Row
            label={t('usage.fields')}
            value={
              event.data.fields.length > 0
                ? event.data.fields.map((f) => fieldLabel(f, t)).join(lang === 'zh' ? '、' : ', ')
                : t('usage.noFields')
            }
          />
          <Row label={t('usage.result')} value={t(`usage.result.${event.data.result}` as MessageKey)} />
          {staff && staff.badge && <Row label={t('usage.staff.badge')} value={staff.badge} />}
          {staff && staff.reason && <Row label={t('usage.staff.reason')} value={staff.reason} />}
          {staff && staff.caseNumber && <Row label={t('usage.staff.caseNumber')} value={staff.caseNumber} />}
          {offline && (
            <>
              <Row label={t('usage.mode')} value={t('usage.mode.offline')} />
              <Row label={t('usage.checkedAt')} value={formatDateTime(offline.checkedAt, lang)} />
              <Row label={t('usage.uploadedAt')} value={formatDateTime(offline.uploadedAt, lang)} />
            </>
          )}
          <Row label={t('usage.seq')} value={String(event.data.seq)} />
        </Panel>
      )}
      {offline?.replayedElsewhere && <Notice tone="warn">{t('usage.replayedElsewhere')}</Notice>}
      {event.data?.actor.type === 'staff' && <QuestionBox event={event.data} />}
      <Text className="muted">{t('usage.chainNote')}</Text>
      <Btn tone="secondary" label={t('common.back')} onClick={back} />
    </Screen>
  );
}
