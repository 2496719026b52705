import type { UsageEventInput } from '@eid/bff/modules/usage/usage.types';

/** A staff terminal's accepted check of `residentId`'s card for `purpose`, as verify records it. */
export function staffEvent(residentId: string, purpose: string): UsageEventInput {
  return {
    residentId,
    actor: { type: 'staff', id: 'staff-1', displayName: '历下分局 窗口 3', org: '济南市公安局历下分局' },
    action: 'card.verify',
    fields: ['name', 'birthDate'],
    purpose,
    result: 'ok',
    detail: { verdict: 'valid' },
  };
}
