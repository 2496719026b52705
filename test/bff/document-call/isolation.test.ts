import { startStack, type Stack } from '../../helpers/stack';
import { expectError } from '../../helpers/enrollment';
import {
  approveCall,
  approvedCall,
  callResident,
  openedCall,
  windowStaff,
  type Window,
} from '../../helpers/document-call';

// Delivered documents reach the request they were approved for and nobody else: another window, another
// staff member at the same window, or the same staff member through another request all get 404, the
// answer a call that does not exist gets.
let stack: Stack;
let window: Window;
beforeAll(async () => {
  stack = await startStack();
  window = await windowStaff(stack, { window: { id: 'hy-1', name: '1号窗口（户籍）' } });
});
afterAll(() => stack.stop());

const NOBODY = '0123456789abcdef0123456789abcdef';
const get = (w: Pick<Window, 'token'>, path: string) =>
  stack.api('GET', `/api/v1/document-calls/${path}`, { token: w.token });
const shape = (res: { status: number; body: { code: string; message: string } }) => ({
  status: res.status,
  code: res.body.code,
  message: res.body.message,
});

it('when another window, or another staff member of the same window, asks for a call, then it does not exist for them', async () => {
  const resident = await callResident(stack);
  const { created } = await approvedCall(stack, window, resident);
  const docId = (await get(window, `${created.id}/documents`)).body.documents[0].id;
  const other = await windowStaff(stack, { window: { id: 'hy-2', name: '2号窗口（户籍）' } });
  const colleague = await windowStaff(stack, { window: window.window, org: window.org });
  const missing = shape(await get(other, NOBODY));
  expect(missing).toEqual({ status: 404, code: 'NOT_FOUND', message: 'No such document call' });
  for (const w of [other, colleague]) {
    for (const path of [
      created.id,
      `${created.id}/documents`,
      `${created.id}/receipt`,
      `${created.id}/documents/${docId}/annotated.pdf`,
    ]) {
      expect([path, shape(await get(w, path))]).toEqual([path, missing]);
    }
  }
  expect(shape(await get(other, `${NOBODY}/documents`))).toEqual(missing);
  // The window itself still reads them.
  expect((await get(window, `${created.id}/documents`)).status).toBe(200);
});

it('when the same staff member asks through another request, then the first request’s documents are not there', async () => {
  const resident = await callResident(stack);
  const { created: first } = await approvedCall(stack, window, resident);
  const { created: second } = await approvedCall(stack, window, resident);
  const firstDocs = (await get(window, `${first.id}/documents`)).body.documents as { id: string }[];
  const secondDocs = (await get(window, `${second.id}/documents`)).body.documents as { id: string }[];
  expect(firstDocs.some((d) => secondDocs.some((s) => s.id === d.id))).toBe(false);
  for (const d of firstDocs) {
    expectError(await get(window, `${second.id}/documents/${d.id}/annotated.pdf`), 404, 'NOT_FOUND');
  }
  // A request the resident has not approved delivers nothing, whatever the window approved before.
  const { created: third } = await openedCall(stack, window, resident);
  expectError(await get(window, `${third.id}/documents`), 409, 'DOCUMENT_CALL_WRONG_STATE');
  expectError(
    await get(window, `${third.id}/documents/${firstDocs[0]!.id}/annotated.pdf`),
    409,
    'DOCUMENT_CALL_WRONG_STATE',
  );
});

it('when a resident asks for a call of someone else, then it does not exist for them either', async () => {
  const owner = await callResident(stack);
  const stranger = await callResident(stack);
  const { created } = await approvedCall(stack, window, owner);
  for (const path of [created.id, `${created.id}/receipt`]) {
    expectError(await get(stranger, path), 404, 'NOT_FOUND');
  }
  for (const what of ['decline', 'withdraw']) {
    expectError(
      await stack.api('POST', `/api/v1/document-calls/${created.id}/${what}`, {
        token: stranger.token,
        body: {},
      }),
      404,
      'NOT_FOUND',
    );
  }
  expectError(await approveCall(stack, stranger, created), 404, 'NOT_FOUND');
  // A resident token never reads the window's documents.
  expectError(await get(owner, `${created.id}/documents`), 401, 'TOKEN_INVALID');
});
