import type { StaffRole } from '@eid/shared';
import { residentIdOf } from './card-flow';
import { staffToken } from './party';
import type { Stack } from './stack';

/** Staff lookups in tests (issue 19 §4): a signed-in staff member with a badge, and their calls. */
export interface Desk {
  token: string;
  staffId: string;
  badge: string;
}

/** A fresh staff account of `role` with a badge number (as residents see it in their records). */
export async function deskOf(stack: Stack, role: StaffRole): Promise<Desk> {
  const token = await staffToken(stack, role);
  const staffId = residentIdOf(token);
  const badge = `37${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
  await stack.deps.db.collection('staff').updateOne({ _id: staffId as never }, { $set: { badge } });
  return { token, staffId, badge };
}

/** A case-based lookup by `desk` of `idNumber`, with its reason; the raw reply. */
export function lookUp(
  stack: Stack,
  desk: Pick<Desk, 'token'>,
  idNumber: string,
  extra: Record<string, unknown> = {},
) {
  return stack.api('POST', '/api/v1/admin/lookups', {
    token: desk.token,
    body: {
      idNumber,
      reason: '核查盗窃案嫌疑人身份',
      legalBasis: { kind: 'case', caseNumber: '济公历刑字〔2026〕1234号' },
      ...extra,
    },
  });
}

/** The resident's own usage records as `GET /api/v1/usage` answers them. */
export async function usageOf(stack: Stack, residentToken: string): Promise<any[]> {
  const res = await stack.api('GET', '/api/v1/usage?limit=100', { token: residentToken });
  if (res.status !== 200) throw new Error(`usage answered ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.items as any[];
}
