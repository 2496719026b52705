import type { ActorType, UsageEvent, UsageQuery } from '@eid/shared';
import { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { clock } from '../../lib/clock';
import { listUsage } from '../../services/usage';

export const PERIODS = [0, 7, 30] as const;
const DAY_MS = 24 * 3600 * 1000;

/** What the resident filters the trace by; '' and 0 mean "any". */
export interface UsageFilters {
  actorType: ActorType | '';
  purpose: string;
  days: (typeof PERIODS)[number];
}

// The period counts back from the moment the filter is applied, by the injected clock.
const queryOf = ({ actorType, purpose, days }: UsageFilters): UsageQuery => ({
  actorType: actorType || undefined,
  purpose: purpose || undefined,
  from: days ? clock.now() - days * DAY_MS : undefined,
});

/** The resident's usage trace, newest first, page by page, reloaded when the page shows or a filter changes. */
export function useUsageTrace() {
  const [filters, setFilters] = useState<UsageFilters>({ actorType: '', purpose: '', days: 0 });
  const [items, setItems] = useState<UsageEvent[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(undefined);

  const load = async (before?: number, query: UsageQuery = queryOf(filters)) => {
    setLoading(true);
    setError(undefined);
    try {
      const page = await listUsage({ ...query, before });
      setItems((old) => (before === undefined ? page.items : [...old, ...page.items]));
      setNext(page.nextBefore);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  };

  useDidShow(() => void load());

  const applyFilter = (change: Partial<UsageFilters>) => {
    const changed = { ...filters, ...change };
    setFilters(changed);
    void load(undefined, queryOf(changed));
  };

  return { filters, applyFilter, items, next, loading, error, load };
}
