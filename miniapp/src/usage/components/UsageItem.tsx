import type { PublishedPurpose, UsageEvent } from '@eid/shared';
import { Button, Text, View } from '@tarojs/components';
import { formatDateTime } from '../../lib/format';
import { actionLabel, actorLabel, purposeLabel } from '../../lib/labels';
import { go, ROUTES } from '../../lib/nav';
import { useI18n, type MessageKey } from '../i18n';
import { offlineMark } from '../lib/offline';

const isH5 = process.env.TARO_ENV === 'h5';

/** One record of the trace: what, who, why and when; opens the record's detail. */
export function UsageItem({
  item,
  purposes,
}: {
  item: UsageEvent;
  purposes: readonly PublishedPurpose[] | undefined;
}) {
  const { t, lang } = useI18n();
  const what = actionLabel(item.action, t);
  const who = actorLabel(item.actor, t);
  const offline = offlineMark(item);
  const open = () => go(ROUTES.usageDetail, { id: item.id });
  const body = (
    <>
      <View className="usage__head">
        <Text className="usage__what">{what}</Text>
        <Text className={`badge usage__result usage__result--${item.result}`}>
          {t(`usage.result.${item.result}` as MessageKey)}
        </Text>
      </View>
      <Text className="usage__who">{who}</Text>
      <Text className="usage__meta">
        {purposeLabel(item.purpose, purposes, lang, t)} · {formatDateTime(item.at, lang)}
      </Text>
      {offline && (
        <Text className="usage__offline" data-testid="usage-offline">
          {t('usage.offline', {
            checkedAt: formatDateTime(offline.checkedAt, lang),
            uploadedAt: formatDateTime(offline.uploadedAt, lang),
          })}
        </Text>
      )}
      {offline?.replayedElsewhere && (
        <Text className="usage__flag" data-testid="usage-replayed-elsewhere">
          {t('usage.replayedElsewhere')}
        </Text>
      )}
    </>
  );
  return (
    <View role="listitem">
      {isH5 ? (
        <button
          type="button"
          className="usage__item"
          onClick={open}
          aria-label={t('usage.openDetail', {
            what: `${what}, ${who}, ${formatDateTime(item.at, lang)}${offline ? `, ${t('usage.mode.offline')}` : ''}`,
          })}
        >
          {body}
        </button>
      ) : (
        <Button className="usage__item" onClick={open}>
          {body}
        </Button>
      )}
    </View>
  );
}
