import type { FormerHomeUsage } from '@eid/shared';
import { Text, View } from '@tarojs/components';
import { Notice, Panel } from '../../components/ui';
import { formatDateTime } from '../../lib/format';
import { useAsync } from '../../lib/hooks';
import { actionLabel, actorLabel } from '../../lib/labels';
import { listFormerUsage } from '../../services/usage';
import { useI18n } from '../i18n';

/**
 * The records a former home province keeps (the resident moved here from there): read from it now, shown
 * under the province's name. Nothing is shown to someone who never moved; a province that cannot be reached
 * just now says so and the rest of the page is unaffected. A failure to ask at all shows nothing: to someone
 * who never moved, a sentence about former provinces would only confuse.
 */
export function FormerHomes() {
  const { t, lang } = useI18n();
  const former = useAsync(listFormerUsage);
  const homes = former.data?.homes ?? [];
  if (homes.length === 0) return null;
  return (
    <>
      {homes.map((home: FormerHomeUsage) => (
        <Panel
          key={home.province}
          title={t('usage.formerHome', { name: home.name, movedAt: formatDateTime(home.movedAt, lang) })}
        >
          {home.error !== undefined && (
            <Notice tone="error">{t('usage.formerHomeUnavailable', { name: home.name })}</Notice>
          )}
          <View className="usage__list" role="list" data-testid={`former-${home.province}`}>
            {(home.page?.items ?? []).map((item) => (
              <View key={item.id} className="usage__item" role="listitem">
                <Text className="usage__what">{actionLabel(item.action, t)}</Text>
                <Text className="usage__who">{actorLabel(item.actor, t)}</Text>
                <Text className="usage__meta">{formatDateTime(item.at, lang)}</Text>
              </View>
            ))}
          </View>
        </Panel>
      ))}
    </>
  );
}
