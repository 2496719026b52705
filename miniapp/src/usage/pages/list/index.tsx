import { Text, View } from '@tarojs/components';
import { Btn, Loading, Notice, Screen } from '../../../components/ui';
import { describeError } from '../../../lib/errors';
import { useAsync } from '../../../lib/hooks';
import { getPurposes } from '../../../services/card';
import { FormerHomes } from '../../components/FormerHomes';
import { Notices } from '../../components/Notices';
import { UsageFilterBar } from '../../components/UsageFilterBar';
import { UsageItem } from '../../components/UsageItem';
import { useI18n, useTitle } from '../../i18n';
import { useUsageTrace } from '../../lib/useUsageTrace';
import './index.scss';

/** The resident's usage trace: who checked the card or read their data, when and why; filterable. */
export default function UsageList() {
  const { t, lang } = useI18n();
  useTitle('usage.title');
  const purposes = useAsync(getPurposes);
  const { filters, applyFilter, items, next, loading, error, load } = useUsageTrace();

  return (
    <Screen title={t('usage.title')}>
      <Text className="lead">{t('usage.lead')}</Text>
      <Notices />
      <UsageFilterBar filters={filters} purposes={purposes.data} onChange={applyFilter} />
      {error !== undefined && (
        <>
          <Notice tone="error">{describeError(error, t, lang)}</Notice>
          <Btn tone="secondary" label={t('common.retry')} onClick={() => void load()} />
        </>
      )}
      {items.length === 0 && !loading && error === undefined && (
        <Notice tone="info">{t('usage.empty')}</Notice>
      )}
      <View className="usage__list" role="list">
        {items.map((item) => (
          <UsageItem key={item.id} item={item} purposes={purposes.data} />
        ))}
      </View>
      {loading && <Loading />}
      {!loading && next !== null && (
        <Btn tone="secondary" label={t('usage.loadMore')} onClick={() => void load(next)} />
      )}
      {!loading && next === null && items.length > 0 && (
        <Text className="muted usage__end">{t('usage.end')}</Text>
      )}
      <FormerHomes />
      <Text className="muted">{t('usage.chainNote')}</Text>
    </Screen>
  );
}
