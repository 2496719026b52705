import { randomBytes } from 'node:crypto';
import type { Resident } from '@eid/mock';
import { hashPassword } from '@eid/bff/modules/staff/password';
import { createStaffRepository } from '@eid/bff/modules/staff/staff.repository';
import { enroll, freshPerson } from './identity';
import { DEV_STAFF, type Stack } from './stack';

/** Shared steps of the document-call suites: windows and their staff, residents with documents, the calls. */

export interface Window {
  staffId: string;
  token: string;
  window: { id: string; name: string };
  org: string;
  displayName: string;
}

/** A staff account at a window of its own (created in the stack's database), signed in through the BFF. */
export async function windowStaff(
  stack: Stack,
  options: { window?: { id: string; name: string }; org?: string; displayName?: string } = {},
): Promise<Window> {
  const tag = randomBytes(4).toString('hex');
  const username = `w-${tag}`;
  const password = `pw-${tag}-not-secret`;
  const window = options.window ?? { id: `win-${tag}`, name: `${tag.slice(0, 2)}号窗口（机动车登记）` };
  const org = options.org ?? '济南市公安局交通警察支队车辆管理所';
  const displayName = options.displayName ?? `经办人 ${tag.slice(0, 3)}`;
  await createStaffRepository(stack.deps.db).upsert({
    id: `staff-${tag}`,
    username,
    passwordHash: await hashPassword(password),
    role: 'officer',
    displayName,
    org,
    window,
    createdAt: stack.clock.now(),
  });
  const res = await stack.api('POST', '/api/v1/staff/login', { body: { username, password } });
  if (res.status !== 200) throw new Error(`staff login answered ${res.status} ${JSON.stringify(res.body)}`);
  return { staffId: res.body.staff.id, token: res.body.accessToken, window, org, displayName };
}

/** The development staff account (its own window) signed in. */
export async function devStaffToken(stack: Stack): Promise<string> {
  const res = await stack.api('POST', '/api/v1/staff/login', { body: DEV_STAFF });
  if (res.status !== 200) throw new Error(`staff login answered ${res.status}`);
  return res.body.accessToken as string;
}

export interface CallResident {
  person: Resident;
  userKey: string;
  token: string;
}

/** A seeded resident enrolled through the BFF (the licence stand-in holds their documents). */
export async function callResident(stack: Stack, person: Resident = freshPerson()): Promise<CallResident> {
  const userKey = `u-${randomBytes(6).toString('hex')}`;
  const { token } = await enroll(stack, person, userKey);
  return { person, userKey, token };
}

/** A vehicle transfer: the required vehicle registration and the optional residence permit. */
export const VEHICLE_TRANSFER = {
  service: 'vehicle_transfer',
  purpose: '办理机动车转移登记',
  documents: [{ type: 'vehicle_registration' }, { type: 'residence_permit' }],
};

/** `POST /api/v1/document-calls` as the window. */
export const createCall = (stack: Stack, w: Pick<Window, 'token'>, body: object = VEHICLE_TRANSFER) =>
  stack.api('POST', '/api/v1/document-calls', { token: w.token, body });

/** `POST /api/v1/document-calls/open` as the resident. */
export const openCall = (stack: Stack, r: Pick<CallResident, 'token'>, requestCode: string) =>
  stack.api('POST', '/api/v1/document-calls/open', { token: r.token, body: { requestCode } });

/** `POST /api/v1/document-calls/:id/approve` as the resident. */
export const approveCall = (
  stack: Stack,
  r: Pick<CallResident, 'token'>,
  call: { id: string; requestDigest: string },
  omit?: string[],
) =>
  stack.api('POST', `/api/v1/document-calls/${call.id}/approve`, {
    token: r.token,
    body: { requestDigest: call.requestDigest, ...(omit && { omit }) },
  });

/** A window's call opened by the resident: what both have before the resident answers. */
export async function openedCall(stack: Stack, w: Window, r: CallResident, body: object = VEHICLE_TRANSFER) {
  const created = await createCall(stack, w, body);
  if (created.status !== 201)
    throw new Error(`create answered ${created.status} ${JSON.stringify(created.body)}`);
  const opened = await openCall(stack, r, created.body.requestCode);
  if (opened.status !== 200) throw new Error(`open answered ${opened.status} ${JSON.stringify(opened.body)}`);
  return { created: created.body, opened: opened.body };
}

/** A call the resident approved; the approval's answer. */
export async function approvedCall(
  stack: Stack,
  w: Window,
  r: CallResident,
  body: object = VEHICLE_TRANSFER,
) {
  const { created } = await openedCall(stack, w, r, body);
  const approved = await approveCall(stack, r, created);
  if (approved.status !== 200)
    throw new Error(`approve answered ${approved.status} ${JSON.stringify(approved.body)}`);
  return { created, approved: approved.body };
}

/** The resident's trace, newest first (up to 100 events). */
export async function traceOf(stack: Stack, r: Pick<CallResident, 'token'>) {
  const res = await stack.api('GET', '/api/v1/usage?limit=100', { token: r.token });
  return res.body.items as {
    action: string;
    actor: { type: string; id: string; displayName: string; org?: string };
    fields: string[];
    purpose: string;
    result: string;
    detail?: Record<string, unknown>;
  }[];
}

/** `GET /api/v1/document-calls/:id/documents/:docId/annotated.pdf` as the window: the answer and its bytes. */
export async function downloadCopy(stack: Stack, w: Pick<Window, 'token'>, id: string, docId: string) {
  const res = await fetch(`${stack.url}/api/v1/document-calls/${id}/documents/${docId}/annotated.pdf`, {
    headers: { authorization: `Bearer ${w.token}` },
  });
  return { res, bytes: new Uint8Array(await res.arrayBuffer()) };
}
