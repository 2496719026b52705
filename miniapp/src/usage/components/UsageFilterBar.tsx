import { PURPOSES, type ActorType, type PublishedPurpose } from '@eid/shared';
import { Text, View } from '@tarojs/components';
import { Choose } from '../../components/ui';
import { useI18n, type MessageKey } from '../i18n';
import { PERIODS, type UsageFilters } from '../lib/useUsageTrace';
import { Chip } from './Chip';

const ACTORS: (ActorType | '')[] = ['', 'staff', 'third_party', 'resident', 'system'];

export interface UsageFilterBarProps {
  filters: UsageFilters;
  /** The published purposes once fetched; the bundled list until then. */
  purposes: readonly PublishedPurpose[] | undefined;
  onChange: (change: Partial<UsageFilters>) => void;
}

/** Who, when and why filters of the usage trace. */
export function UsageFilterBar({ filters, purposes, onChange }: UsageFilterBarProps) {
  const { t, lang } = useI18n();
  const actorName = (type: ActorType | '') =>
    type === '' ? t('usage.anyone') : t(`usage.actor.${type}` as MessageKey);
  return (
    <View className="usage__filters">
      <Text className="field__label" id="filter-who">
        {t('usage.filterWho')}
      </Text>
      <View className="chips" role="group" aria-labelledby="filter-who">
        {ACTORS.map((type) => (
          <Chip
            key={type || 'all'}
            on={filters.actorType === type}
            label={actorName(type)}
            onClick={() => onChange({ actorType: type })}
          />
        ))}
      </View>
      <Text className="field__label" id="filter-when">
        {t('usage.filterPeriod')}
      </Text>
      <View className="chips" role="group" aria-labelledby="filter-when">
        {PERIODS.map((d) => (
          <Chip
            key={d}
            on={filters.days === d}
            label={t(d === 0 ? 'usage.period.all' : d === 7 ? 'usage.period.7' : 'usage.period.30')}
            onClick={() => onChange({ days: d })}
          />
        ))}
      </View>
      <Choose
        id="filter-purpose"
        label={t('usage.filterPurpose')}
        value={filters.purpose}
        choices={[
          { value: '', label: t('usage.anyPurpose') },
          ...(purposes ?? PURPOSES).map((p) => ({ value: p.code, label: p[lang] })),
        ]}
        onChange={(value) => onChange({ purpose: value })}
      />
    </View>
  );
}
