import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ComponentType } from 'react';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { setLang } from '../../miniapp/src/i18n';
import { clock } from '../../miniapp/src/lib/clock';
import { signInResident } from '../helpers/resident-session';

/**
 * The usage list's period filter counts back from the mini-program's one clock, not the wall clock: a
 * test that sets the clock sees exactly the `from` it implies, over real HTTP to a server answering as
 * the BFF does.
 */

const NOW = Date.UTC(2026, 5, 15, 4, 0, 0);
const DAY_MS = 24 * 3600 * 1000;

let server: Server;
const usageQueries: URLSearchParams[] = [];
let UsageList: ComponentType;
const realNow = clock.now;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const headers = { 'content-type': 'application/json', 'access-control-allow-origin': '*' };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'GET',
        'access-control-allow-headers': 'authorization, content-type, accept-language',
      });
      return res.end();
    }
    const url = new URL(req.url ?? '/', 'http://x');
    res.writeHead(200, headers);
    if (url.pathname === '/api/v1/usage') {
      usageQueries.push(url.searchParams);
      return res.end(JSON.stringify({ items: [], nextBefore: null }));
    }
    res.end(JSON.stringify([]));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.env.TARO_APP_API_BASE = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  clock.now = () => NOW;
  await signInResident(NOW);
  UsageList = (await import('../../miniapp/src/usage/pages/list/index')).default;
});

afterAll(() => {
  clock.now = realNow;
  return new Promise((resolve) => server.close(resolve));
});

beforeEach(() => act(() => setLang('zh')));

it('when the resident picks the last 7 days, then the list asks for records from 7 days before the injected clock', async () => {
  render(<UsageList />);
  await waitFor(() => expect(usageQueries).toHaveLength(1));
  expect(usageQueries[0]!.get('from')).toBeNull();

  fireEvent.click(await screen.findByRole('button', { name: '近 7 天' }));
  await waitFor(() => expect(usageQueries).toHaveLength(2));
  expect(usageQueries[1]!.get('from')).toBe(String(NOW - 7 * DAY_MS));
});
