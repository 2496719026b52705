import type { ComponentType } from 'react';
import { act, cleanup, configure, fireEvent, render, screen, within } from '@testing-library/react';
import type { DocumentCallList, DocumentCallView } from '@eid/shared';
import { setLang } from '../../miniapp/src/i18n';
import { clock } from '../../miniapp/src/lib/clock';
import { scannedCode } from '../../miniapp/src/calls/lib/handoff';
import { reply, startFakeBff, type FakeBff } from '../helpers/fake-bff';
import { signInResident } from '../helpers/resident-session';

/**
 * Where a document call starts: a pasted request code, or a request addressed to the resident picked from the
 * pending list, is handed to the approval page; earlier calls are listed with their state. The approval page
 * itself is tested in call-approval.test.tsx.
 *
 * Relied on: the field 或粘贴请求码, the buttons 打开请求 and 查看并答复, `data-testid` pending-call, past-call.
 */

configure({ asyncUtilTimeout: 5000 });

const NOW = Date.UTC(2026, 11, 2, 2, 0, 0);

function call(id: string, state: DocumentCallView['state']): DocumentCallList['items'][number] {
  return {
    id,
    state,
    window: { id: 'w-1', name: '5号窗口（户籍）', organisation: '济南市公安局历下区分局' },
    staff: { id: 's-1', displayName: '王芳' },
    service: { code: 'household_change', zh: '户口迁移/变更登记', en: 'Household change', basis: 'x' },
    purpose: '办理户口迁入',
    documents: [],
    createdAt: NOW - 60_000,
    answerBy: NOW + 9 * 60_000,
    accessForMs: 86_400_000,
    requestDigest: 'digest',
    ...(state === 'delivered' ? { approvedAt: NOW - 30_000, accessUntil: NOW + 86_400_000 } : {}),
    requestCode: `EIDR1:CODE-${id}`,
  };
}

let bff: FakeBff;
let Scan: ComponentType;

beforeAll(async () => {
  bff = await startFakeBff((req, res) => {
    if (req.url === '/api/v1/document-calls/pending')
      return reply(res, 200, { items: [call('p1', 'pending')] });
    if (req.url === '/api/v1/document-calls/mine') {
      return reply(res, 200, {
        items: [call('p1', 'pending'), call('d1', 'delivered'), call('x1', 'declined')],
      });
    }
    reply(res, 404, { code: 'NOT_FOUND', message: 'no', requestId: 'r' });
  });
  process.env.TARO_APP_API_BASE = bff.base;
  clock.now = () => NOW;
  await signInResident(NOW);
  Scan = (await import('../../miniapp/src/calls/pages/scan/index')).default;
});

afterAll(() => bff.close());

beforeEach(() => {
  act(() => setLang('zh'));
  act(() => scannedCode.set(null));
});

afterEach(cleanup);

it('when a request addressed to the resident is picked, then its code goes to the approval page', async () => {
  render(<Scan />);
  const pending = await screen.findByTestId('pending-call');
  expect(pending).toHaveTextContent('济南市公安局历下区分局 · 5号窗口（户籍）');
  expect(pending).toHaveTextContent('户口迁移/变更登记');
  expect(pending).toHaveTextContent('请在 2026年12月2日 10:09 前答复');
  fireEvent.click(within(pending).getByRole('button', { name: '查看并答复' }));
  expect(scannedCode.get()).toBe('EIDR1:CODE-p1');
});

it('when a code is pasted, then it goes to the approval page; an empty field asks for one', async () => {
  render(<Scan />);
  fireEvent.click(screen.getByRole('button', { name: '打开请求' }));
  expect(await screen.findByText('请先粘贴请求码。')).toBeInTheDocument();
  expect(scannedCode.get()).toBeNull();
  fireEvent.change(screen.getByLabelText('或粘贴请求码'), { target: { value: '  EIDR1:PASTED \n' } });
  fireEvent.click(screen.getByRole('button', { name: '打开请求' }));
  expect(scannedCode.get()).toBe('EIDR1:PASTED');
});

it('when the resident has answered requests before, then each is listed with its state and the approved one with its receipt', async () => {
  render(<Scan />);
  const past = await screen.findAllByTestId('past-call');
  expect(past.map((p) => p.textContent)).toEqual([
    expect.stringContaining('已提供'),
    expect.stringContaining('已拒绝'),
  ]);
  expect(within(past[0]!).getByRole('button', { name: '查看收据' })).toBeInTheDocument();
  expect(within(past[1]!).queryByRole('button', { name: '查看收据' })).toBeNull();
});
