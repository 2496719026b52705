import type { ComponentType } from 'react';
import { act, cleanup, configure, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import {
  PARTY_CATEGORIES,
  type ConsentState,
  type DeletionStatus,
  type ResidentConsentView,
  type ResidentPartiesAnswer,
} from '@eid/shared';
import { setLang } from '../../miniapp/src/i18n';
import { clock } from '../../miniapp/src/lib/clock';
import { reply, startFakeBff, type FakeBff } from '../helpers/fake-bff';
import { signInResident } from '../helpers/resident-session';

/**
 * The resident's list of parties holding a consent, against a server answering as the BFF does: what each
 * got, when, last use and state; requests never approved are not listed; Withdraw asks first, then the BFF
 * is told and the deletion status shows; a deletion confirmed by the party's signed acknowledgement reads
 * "已于 … 删除，由 … 确认", one not yet acknowledged "尚未确认删除" with the due date or the days overdue.
 *
 * Relied on: `data-testid` party (data-party), held-consent (data-id, data-state), held-items,
 * held-last-used, deletion-status (data-state); buttons 撤回授权, 确定撤回, 再想想.
 */

configure({ asyncUtilTimeout: 5000 });

const NOW = Date.UTC(2026, 11, 2, 2, 0, 0);
const DAY = 86_400_000;
const category = (code: string) => PARTY_CATEGORIES.find((c) => c.code === code)!;

const party = (id: string, name: string, cat: string) => ({
  id,
  name,
  uscc: '91370102MA3C8XYZ1K',
  category: cat,
  categoryZh: category(cat).zh,
  categoryEn: category(cat).en,
});
const HOTEL = party('rp_hotel', '泉城如家酒店（历下店）', 'hotel');
const BANK = party('rp_bank', '齐鲁银行', 'bank');
const SCHOOL = party('rp_school', '山东大学', 'school');

function consent(
  id: string,
  state: ConsentState,
  over: Partial<ResidentConsentView> = {},
): ResidentConsentView {
  return {
    id,
    state,
    party: { ...HOTEL, registration: { payload: {} as never, kid: 'k', signature: 's' } },
    purpose: { code: 'hotel_check_in', zh: '旅馆住宿登记', en: 'Hotel check-in' },
    reason: '入住登记',
    items: [
      {
        scope: 'name_masked_id',
        zh: '姓名和部分隐藏的身份证号',
        en: 'Name with masked ID number',
        fields: [
          { key: 'name', zh: '姓名', en: 'Name' },
          { key: 'idNumberMasked', zh: '部分隐藏的身份号码', en: 'Partly hidden ID number' },
        ],
      },
    ],
    retentionDays: 30,
    createdAt: NOW - 10 * DAY,
    expiresAt: NOW - 10 * DAY + 600_000,
    answeredAt: NOW - 10 * DAY + 60_000,
    ...over,
  };
}

const deletion = (state: DeletionStatus['state'], over: Partial<DeletionStatus> = {}): DeletionStatus => ({
  requestedAt: NOW - 20 * DAY,
  dueBy: NOW - 5 * DAY,
  state,
  ...over,
});

let bff: FakeBff;
let parties: ResidentPartiesAnswer;
let withdrawals: string[];
let Parties: ComponentType;

beforeAll(async () => {
  bff = await startFakeBff(async (req, res) => {
    const url = req.url ?? '';
    if (url === '/api/v1/parties') return reply(res, 200, parties);
    const id = /^\/api\/v1\/consents\/([\w-]+)\/withdraw$/.exec(url)?.[1];
    if (id && req.method === 'POST') {
      withdrawals.push(id);
      const held = parties.parties.flatMap((p) => p.consents).find((c) => c.id === id)!;
      const next: ResidentConsentView = {
        ...held,
        state: 'withdrawn',
        withdrawnAt: NOW,
        deletion: { requestedAt: NOW, dueBy: NOW + 15 * DAY, state: 'pending' },
      };
      return reply(res, 200, next);
    }
    reply(res, 404, { code: 'NOT_FOUND', message: 'no', requestId: 'r' });
  });
  process.env.TARO_APP_API_BASE = bff.base;
  clock.now = () => NOW;
  await signInResident(NOW);
  Parties = (await import('../../miniapp/src/consent/pages/parties/index')).default;
});

afterAll(() => bff.close());

beforeEach(() => {
  act(() => setLang('zh'));
  withdrawals = [];
  parties = {
    parties: [
      {
        party: HOTEL,
        consents: [
          consent('c-live', 'approved', { lastUsedAt: NOW - 2 * 3_600_000 }),
          consent('c-declined', 'declined', { answeredAt: NOW - DAY }),
        ],
      },
      {
        party: BANK,
        consents: [
          consent('c-deleted', 'withdrawn', {
            purpose: { code: 'finance', zh: '金融业务', en: 'Financial services' },
            withdrawnAt: NOW - 20 * DAY,
            deletion: deletion('confirmed', {
              deletedAt: Date.UTC(2026, 10, 14, 1, 30),
              confirmedAt: Date.UTC(2026, 10, 14, 1, 31),
              confirmedByKid: 'qilu-bank-2026',
              note: '已删除开户资料 #K77',
            }),
          }),
        ],
      },
      {
        party: SCHOOL,
        consents: [
          consent('c-overdue', 'withdrawn', {
            withdrawnAt: NOW - 20 * DAY,
            deletion: deletion('overdue', { daysOverdue: 5 }),
          }),
        ],
      },
      { party: party('rp_never', '从未同意的机构', 'other'), consents: [consent('c-exp', 'expired')] },
    ],
  };
});

afterEach(cleanup);

const partyBox = async (id: string) =>
  (await screen.findAllByTestId('party')).find((p) => p.getAttribute('data-party') === id)!;

it('when the resident has consents, then each holding party shows what it got, when, last use and state; never-approved requests are not listed', async () => {
  render(<Parties />);
  const boxes = await screen.findAllByTestId('party');
  expect(boxes.map((b) => b.getAttribute('data-party'))).toEqual(['rp_hotel', 'rp_bank', 'rp_school']);
  expect(screen.getByRole('heading', { name: '泉城如家酒店（历下店）' })).toBeInTheDocument();
  expect(screen.queryByText('从未同意的机构')).toBeNull();

  const hotel = within(await partyBox('rp_hotel'));
  const held = hotel.getAllByTestId('held-consent');
  expect(held.map((h) => h.getAttribute('data-id'))).toEqual(['c-live']);
  expect(hotel.getByText('旅馆 · 91370102MA3C8XYZ1K')).toBeInTheDocument();
  expect(hotel.getByText('旅馆住宿登记')).toBeInTheDocument();
  expect(hotel.getByText('已同意')).toBeInTheDocument();
  expect(hotel.getByTestId('held-items')).toHaveTextContent(
    '姓名和部分隐藏的身份证号姓名、部分隐藏的身份号码',
  );
  expect(hotel.getByText('2026年11月22日 10:01')).toBeInTheDocument();
  expect(hotel.getByTestId('held-last-used')).toHaveTextContent('2026年12月2日 08:00');
  expect(hotel.getByRole('button', { name: '撤回授权' })).toBeInTheDocument();
});

it('when a withdrawn consent’s deletion is confirmed, then the resident reads when and by which key, with the party’s note', async () => {
  render(<Parties />);
  const bank = within(await partyBox('rp_bank'));
  const status = bank.getByTestId('deletion-status');
  expect(status).toHaveAttribute('data-state', 'confirmed');
  expect(status).toHaveTextContent('已于 2026年11月14日 09:30 删除，由 qilu-bank-2026 确认');
  expect(status).toHaveTextContent('对方说明：已删除开户资料 #K77');
  expect(bank.getByText('已撤回')).toBeInTheDocument();
  expect(bank.queryByRole('button', { name: '撤回授权' })).toBeNull();
});

it('when a deletion is past its due date unconfirmed, then the resident reads not yet confirmed and the days overdue', async () => {
  render(<Parties />);
  const status = within(await partyBox('rp_school')).getByTestId('deletion-status');
  expect(status).toHaveAttribute('data-state', 'overdue');
  expect(status).toHaveTextContent('尚未确认删除');
  expect(status).toHaveTextContent('已逾期 5 天');
});

it('when the resident withdraws and confirms, then the BFF is told and the deletion shows as not yet confirmed, due in 15 days', async () => {
  render(<Parties />);
  const hotel = within(await partyBox('rp_hotel'));
  fireEvent.click(hotel.getByRole('button', { name: '撤回授权' }));
  expect(
    hotel.getByText(
      '撤回后，泉城如家酒店（历下店） 将无法再读取这些信息，并须删除已获得的信息。确定撤回吗？',
    ),
  ).toBeInTheDocument();
  fireEvent.click(hotel.getByRole('button', { name: '再想想' }));
  expect(withdrawals).toEqual([]);

  fireEvent.click(hotel.getByRole('button', { name: '撤回授权' }));
  fireEvent.click(hotel.getByRole('button', { name: '确定撤回' }));
  await waitFor(() => expect(withdrawals).toEqual(['c-live']));
  expect(
    await hotel.findByText('您已撤回授权，已通知 泉城如家酒店（历下店） 删除这些信息。'),
  ).toBeInTheDocument();
  const status = hotel.getByTestId('deletion-status');
  expect(status).toHaveAttribute('data-state', 'pending');
  expect(status).toHaveTextContent('尚未确认删除');
  expect(status).toHaveTextContent('应于 2026年12月17日 前确认');
  expect(hotel.getByTestId('held-consent')).toHaveAttribute('data-state', 'withdrawn');
  expect(hotel.queryByRole('button', { name: '撤回授权' })).toBeNull();
});

it('when no party holds a consent, then the page says so', async () => {
  parties = { parties: [{ party: HOTEL, consents: [consent('c-exp', 'expired')] }] };
  render(<Parties />);
  expect(await screen.findByText('还没有机构持有您的授权。')).toBeInTheDocument();
  expect(screen.queryByTestId('party')).toBeNull();
});

it('when the language is English, then the deletion reads in English', async () => {
  act(() => setLang('en'));
  render(<Parties />);
  const bank = within(await partyBox('rp_bank'));
  expect(bank.getByTestId('deletion-status')).toHaveTextContent(
    'Deleted on 14 Nov 2026 09:30, confirmed by key qilu-bank-2026',
  );
  expect(within(await partyBox('rp_school')).getByTestId('deletion-status')).toHaveTextContent(
    'Not yet confirmed5 days overdue',
  );
});
