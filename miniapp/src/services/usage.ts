import { request } from './request';
import type { UsageEvent, UsagePage, UsageQuery } from '@eid/shared';

/** One page of the resident's usage trace, newest first. */
export const listUsage = (query: UsageQuery = {}) =>
  request<UsagePage>({ path: '/api/v1/usage', query: { limit: 20, ...query } });

/** One usage record. */
export const getUsage = (id: string) =>
  request<UsageEvent>({ path: `/api/v1/usage/${encodeURIComponent(id)}` });
