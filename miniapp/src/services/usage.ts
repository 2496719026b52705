import { request } from './request';
import type { FormerUsageAnswer, UsageEvent, UsagePage, UsageQuery } from '@eid/shared';

/** One page of the resident's usage trace, newest first. */
export const listUsage = (query: UsageQuery = {}) =>
  request<UsagePage>({ path: '/api/v1/usage', query: { limit: 20, ...query } });

/** One usage record. */
export const getUsage = (id: string) =>
  request<UsageEvent>({ path: `/api/v1/usage/${encodeURIComponent(id)}` });

/**
 * The resident's records kept at each province they moved away from, asked from there now; an empty list
 * for someone who never moved (docs/federation.md "Moving province").
 */
export const listFormerUsage = () =>
  request<FormerUsageAnswer>({ path: '/api/v1/moves/former-usage', query: { limit: 20 } });
