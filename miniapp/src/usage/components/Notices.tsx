import { Text, View } from '@tarojs/components';
import { Panel } from '../../components/ui';
import { formatDateTime } from '../../lib/format';
import { useAsync } from '../../lib/hooks';
import { listNotices } from '../../services/oversight';
import { useI18n } from '../i18n';

/**
 * What the resident should know about their trace: a deferred access now shown, a question answered.
 * Nothing is shown when there is no notice, or when notices cannot be fetched (the trace still is).
 */
export function Notices() {
  const { t, lang } = useI18n();
  const notices = useAsync(listNotices);
  const items = notices.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <Panel title={t('usage.notices')} className="usage__notices">
      <View role="list">
        {items.map((n) => (
          <View key={n.id} role="listitem" className={`usage__notice usage__notice--${n.kind}`}>
            <Text className="usage__what">{n.title[lang]}</Text>
            <Text>{n.body[lang]}</Text>
            <Text className="usage__meta">{formatDateTime(n.at, lang)}</Text>
          </View>
        ))}
      </View>
    </Panel>
  );
}
