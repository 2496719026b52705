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

/** One usage record in full: who, when, why, which fields, the outcome. */
export default function UsageDetail() {
  const { t, lang } = useI18n();
  useTitle('usage.detailTitle');
  const id = useRouter().params.id ?? '';
  const event = useAsync(() => getUsage(id), [id]);
  const purposes = useAsync(getPurposes);
  const offline = event.data ? offlineMark(event.data) : null;

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
