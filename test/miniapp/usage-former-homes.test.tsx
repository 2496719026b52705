import type { ComponentType } from 'react';
import { act, render, screen, within } from '@testing-library/react';
import { setLang } from '../../miniapp/src/i18n';
import { MESSAGES } from '../../miniapp/src/i18n/messages';
import { USAGE_MESSAGES } from '../../miniapp/src/usage/i18n';
import { signInResident } from '../helpers/resident-session';
import { reply, startFakeBff, type FakeBff } from '../helpers/fake-bff';

/**
 * A resident who moved from Shandong sees, under their own records, what Shandong keeps about them, read
 * from Shandong now; a former home that cannot be reached says so in words (docs/federation.md).
 */

const MOVED_AT = Date.UTC(2026, 10, 2, 2, 0, 0);
let bff: FakeBff;
let UsageList: ComponentType;
let formerAsked = 0;

beforeAll(async () => {
  bff = await startFakeBff(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/api/v1/usage') return reply(res, 200, { items: [], nextBefore: null });
    if (url.pathname === '/api/v1/moves/former-usage') {
      formerAsked += 1;
      return reply(res, 200, {
        homes: [
          {
            province: '37',
            name: '山东省',
            movedAt: MOVED_AT,
            page: {
              items: [
                {
                  id: 'e2',
                  seq: 2,
                  at: MOVED_AT,
                  action: 'move.out',
                  actor: { type: 'system', id: 'moving', displayName: '户籍迁移服务' },
                  purpose: 'province_move',
                  fields: [],
                  result: 'ok',
                },
                {
                  id: 'e1',
                  seq: 1,
                  at: MOVED_AT - 86_400_000,
                  action: 'card.verify',
                  actor: { type: 'staff', id: 's1', displayName: '济南市历下区 窗口 3', org: '历下分局' },
                  purpose: 'hotel_check_in',
                  fields: ['name'],
                  result: 'ok',
                },
              ],
              nextBefore: null,
            },
          },
          {
            province: '11',
            name: '北京市',
            movedAt: MOVED_AT - 10 * 86_400_000,
            error: 'UPSTREAM_UNAVAILABLE',
          },
        ],
      });
    }
    return reply(res, 200, []);
  });
  process.env.TARO_APP_API_BASE = bff.base;
  await signInResident(Date.now());
  UsageList = (await import('../../miniapp/src/usage/pages/list/index')).default;
});

afterAll(() => bff.close());

beforeEach(() => act(() => setLang('zh')));

it('when the resident moved from Shandong, then Shandong’s records show under its name, and an unreachable former home says so', async () => {
  render(<UsageList />);
  const shandong = await screen.findByTestId('former-37');
  expect(within(shandong).getByText(MESSAGES['action.moveOut'].zh)).toBeInTheDocument();
  expect(within(shandong).getByText(MESSAGES['action.verify'].zh)).toBeInTheDocument();
  expect(within(shandong).getByText('济南市历下区 窗口 3 · 历下分局')).toBeInTheDocument();
  expect(screen.getByText(/迁出前在山东省的记录/)).toBeInTheDocument();
  expect(
    screen.getByText(USAGE_MESSAGES['usage.formerHomeUnavailable'].zh.replace('{name}', '北京市')),
  ).toBeInTheDocument();
  expect(within(screen.getByTestId('former-11')).queryAllByRole('listitem')).toHaveLength(0);
  expect(formerAsked).toBe(1);
});
