import { PURPOSES, type UsageActor, type UsageEvent, type UsageQuery } from '@eid/shared';
import { Button, Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { Btn, Choose, Loading, Notice, Screen } from '../../../components/ui';
import { useI18n, useTitle, type MessageKey } from '../../i18n';
import { clock } from '../../../lib/clock';
import { describeError } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { useAsync } from '../../../lib/hooks';
import { actionLabel, actorLabel, purposeLabel } from '../../../lib/labels';
import { go, ROUTES } from '../../../lib/nav';
import { getPurposes } from '../../../services/card';
import { listUsage } from '../../../services/usage';
import './index.scss';

const ACTORS: (UsageActor['type'] | '')[] = ['', 'staff', 'third_party', 'resident', 'system'];
const PERIODS = [0, 7, 30] as const;
const DAY_MS = 24 * 3600 * 1000;
const isH5 = process.env.TARO_ENV === 'h5';

function Chip({ on, label, onClick }: { on: boolean; label: string; onClick: () => void }) {
  const cls = `chip${on ? ' chip--on' : ''}`;
  return isH5 ? (
    <button type="button" className={cls} aria-pressed={on} onClick={onClick}>
      {label}
    </button>
  ) : (
    <Button className={cls} onClick={onClick} aria-label={label}>
      {label}
    </Button>
  );
}

/** The resident's usage trace: who checked the card or read their data, when and why; filterable. */
export default function UsageList() {
  const { t, lang } = useI18n();
  useTitle('usage.title');
  const purposes = useAsync(getPurposes);
  const [actorType, setActorType] = useState<UsageActor['type'] | ''>('');
  const [purpose, setPurpose] = useState('');
  const [days, setDays] = useState<(typeof PERIODS)[number]>(0);
  const [items, setItems] = useState<UsageEvent[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(undefined);

  const query = (): UsageQuery => ({
    actorType: actorType || undefined,
    purpose: purpose || undefined,
    from: days ? clock.now() - days * DAY_MS : undefined,
  });

  const load = async (before?: number, filters: UsageQuery = query()) => {
    setLoading(true);
    setError(undefined);
    try {
      const page = await listUsage({ ...filters, before });
      setItems((old) => (before === undefined ? page.items : [...old, ...page.items]));
      setNext(page.nextBefore);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  };

  useDidShow(() => void load());

  const applyFilter = (
    change: Partial<{ actorType: typeof actorType; purpose: string; days: typeof days }>,
  ) => {
    const a = change.actorType ?? actorType;
    const p = change.purpose ?? purpose;
    const d = change.days ?? days;
    setActorType(a);
    setPurpose(p);
    setDays(d);
    void load(undefined, {
      actorType: a || undefined,
      purpose: p || undefined,
      from: d ? clock.now() - d * DAY_MS : undefined,
    });
  };

  const actorName = (type: UsageActor['type'] | '') =>
    type === '' ? t('usage.anyone') : t(`usage.actor.${type}` as MessageKey);

  return (
    <Screen title={t('usage.title')}>
      <Text className="lead">{t('usage.lead')}</Text>
      <View className="usage__filters">
        <Text className="field__label" id="filter-who">
          {t('usage.filterWho')}
        </Text>
        <View className="chips" role="group" aria-labelledby="filter-who">
          {ACTORS.map((type) => (
            <Chip
              key={type || 'all'}
              on={actorType === type}
              label={actorName(type)}
              onClick={() => applyFilter({ actorType: type })}
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
              on={days === d}
              label={t(d === 0 ? 'usage.period.all' : d === 7 ? 'usage.period.7' : 'usage.period.30')}
              onClick={() => applyFilter({ days: d })}
            />
          ))}
        </View>
        <Choose
          id="filter-purpose"
          label={t('usage.filterPurpose')}
          value={purpose}
          choices={[
            { value: '', label: t('usage.anyPurpose') },
            ...(purposes.data ?? PURPOSES).map((p) => ({ value: p.code, label: p[lang] })),
          ]}
          onChange={(value) => applyFilter({ purpose: value })}
        />
      </View>
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
        {items.map((item) => {
          const what = actionLabel(item.action, t);
          const who = actorLabel(item.actor, t);
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
                {purposeLabel(item.purpose, purposes.data, lang, t)} · {formatDateTime(item.at, lang)}
              </Text>
            </>
          );
          return (
            <View key={item.id} role="listitem">
              {isH5 ? (
                <button
                  type="button"
                  className="usage__item"
                  onClick={open}
                  aria-label={t('usage.openDetail', {
                    what: `${what}, ${who}, ${formatDateTime(item.at, lang)}`,
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
        })}
      </View>
      {loading && <Loading />}
      {!loading && next !== null && (
        <Btn tone="secondary" label={t('usage.loadMore')} onClick={() => void load(next)} />
      )}
      {!loading && next === null && items.length > 0 && (
        <Text className="muted usage__end">{t('usage.end')}</Text>
      )}
      <Text className="muted">{t('usage.chainNote')}</Text>
    </Screen>
  );
}
