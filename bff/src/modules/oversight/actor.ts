import type { UsageActor } from '@eid/shared';
import type { StaffDesk } from './oversight.types';

/** The staff member as the resident's trace names them: the unit and its window, never a person's name. */
export function staffActor(desk: StaffDesk): UsageActor {
  const displayName = desk.window ? `${desk.org} ${desk.window.name}` : desk.org;
  return { type: 'staff', id: desk.id, displayName, org: desk.org };
}

/** The detail every record of a lookup carries: its id (deferral finds them by it), badge, reason, case. */
export function accountDetail(
  desk: StaffDesk,
  lookupId: string,
  facts: Record<string, string | number | boolean | undefined>,
): Record<string, string | number | boolean> {
  const detail: Record<string, string | number | boolean> = { lookupId };
  if (desk.badge !== undefined) detail.badge = desk.badge;
  for (const [k, v] of Object.entries(facts)) if (v !== undefined) detail[k] = v;
  return detail;
}

/** 张*三: the first and last characters kept, every one between them starred (张* for two). */
export function maskName(name: string): string {
  const chars = Array.from(name);
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return chars[0] + '*'.repeat(chars.length - 2) + chars[chars.length - 1];
}
