import type { ComponentType } from 'react';
import { act, cleanup, configure, fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { base64urlEncode, formatConsentCode, formatSignInCode } from '@eid/shared';
import { setLang } from '../../miniapp/src/i18n';
import { clock } from '../../miniapp/src/lib/clock';
import { scannedCode } from '../../miniapp/src/calls/lib/handoff';
import { readJson, reply, startFakeBff, type FakeBff } from '../helpers/fake-bff';
import { signInResident } from '../helpers/resident-session';
import { setRouterParams } from './support/taro';

/**
 * A website's sign-in request (`EIDS1:` code, or the same-device link carrying it) scanned or pasted where
 * the resident scans party codes, the calls scan page, opens the sign-in approval page
 * (`/signin/pages/approve/index?code=…`) and not a document call; consent (`EIDC1:`) and document-call codes
 * keep their own pages. The URL handed to navigateTo is then opened as the page reads it, so the page and
 * the route agree on the query. The approval page itself is tested in signin-approve.test.tsx.
 *
 * Relied on: the field 或粘贴请求码, the buttons 打开请求 and 打开相机扫码, `data-testid` code-scanner.
 */

configure({ asyncUtilTimeout: 5000 });

const NOW = Date.UTC(2026, 11, 2, 2, 0, 0);
const part = (fill: number) => base64urlEncode(new Uint8Array(16).fill(fill));
const CODE = formatSignInCode(part(7), part(8));
const CONSENT = formatConsentCode(part(9), part(10));
const APPROVE = '/signin/pages/approve/index';
// The deep link the BFF's sign-in page offers on the same device (MINIAPP_URL/#/signin/pages/approve/index?code=).
const LINK = `https://eid.example.cn/#${APPROVE}?code=${encodeURIComponent(CODE)}`;

let bff: FakeBff;
let opened: string[];
let Scan: ComponentType;
let Approve: ComponentType;

beforeAll(async () => {
  bff = await startFakeBff(async (req, res) => {
    const url = req.url ?? '';
    if (url.startsWith('/api/v1/document-calls/')) return reply(res, 200, { items: [] });
    if (url === '/api/v1/signins/open') {
      opened.push((await readJson(req)).code!);
      return reply(res, 409, { code: 'SIGNIN_EXPIRED', message: 'x', requestId: 'r' });
    }
    reply(res, 404, { code: 'NOT_FOUND', message: 'no', requestId: 'r' });
  });
  process.env.TARO_APP_API_BASE = bff.base;
  clock.now = () => NOW;
  await signInResident(NOW);
  // Loaded only now: the request module fixes the BFF's origin when it loads.
  Scan = (await import('../../miniapp/src/calls/pages/scan/index')).default;
  Approve = (await import('../../miniapp/src/signin/pages/approve/index')).default;
});

afterAll(() => bff.close());

beforeEach(() => {
  act(() => setLang('zh'));
  act(() => scannedCode.set(null));
  opened = [];
  setRouterParams({});
});

afterEach(() => {
  cleanup();
  jest.restoreAllMocks();
  Object.defineProperty(navigator, 'mediaDevices', { configurable: true, value: undefined });
  delete (window as { BarcodeDetector?: unknown }).BarcodeDetector;
});

/** Pastes `text` into the scan page and opens it; answers the URL the page navigated to. */
async function paste(text: string): Promise<string> {
  const navigate = jest.spyOn(Taro, 'navigateTo').mockResolvedValue(undefined as never);
  render(<Scan />);
  fireEvent.change(screen.getByLabelText('或粘贴请求码'), { target: { value: text } });
  fireEvent.click(screen.getByRole('button', { name: '打开请求' }));
  expect(navigate).toHaveBeenCalledTimes(1);
  return (navigate.mock.calls[0]![0] as { url: string }).url;
}

/** Opens the approval page as the router would for `url`: its `code` query value, still encoded. */
async function openRouted(url: string): Promise<void> {
  const [path, query] = url.split('?');
  expect(path).toBe(APPROVE);
  const raw = /^code=([^&]*)$/.exec(query ?? '')?.[1];
  expect(raw).toBeDefined();
  cleanup();
  setRouterParams({ code: raw! });
  render(<Approve />);
  await waitFor(() => expect(opened).toEqual([CODE]));
}

it.each([
  ['its code', CODE],
  ['its code with spaces around', `  ${CODE}\n`],
  ['the same-device link', LINK],
  ['the link with the colon unencoded', `https://eid.example.cn/#${APPROVE}?from=desk&code=${CODE}`],
])(
  'when a sign-in request’s %s is pasted on the scan page, then the sign-in approval page opens with the code',
  async (_, text) => {
    const url = await paste(text);
    expect(url).toBe(`${APPROVE}?code=${encodeURIComponent(CODE)}`);
    // Nothing went to the document-call approval page.
    expect(scannedCode.get()).toBeNull();
    await openRouted(url);
  },
);

it('when a sign-in link is read by the camera on the scan page, then the sign-in approval page opens with its code', async () => {
  const navigate = jest.spyOn(Taro, 'navigateTo').mockResolvedValue(undefined as never);
  const track = { stop: jest.fn() };
  Object.defineProperty(navigator, 'mediaDevices', {
    configurable: true,
    value: { getUserMedia: () => Promise.resolve({ getTracks: () => [track] }) },
  });
  // A browser with its own QR detector that reads the link off the desktop screen on the first frame.
  class ReadsLink {
    static getSupportedFormats = () => Promise.resolve(['qr_code']);
    detect() {
      return Promise.resolve([{ rawValue: LINK }]);
    }
  }
  Object.assign(window, { BarcodeDetector: ReadsLink });
  // jsdom's video plays nothing; a browser's has a frame once the stream runs.
  const video = HTMLMediaElement.prototype;
  jest.spyOn(video, 'play').mockResolvedValue(undefined);
  jest.spyOn(video, 'readyState', 'get').mockReturnValue(4);
  jest.spyOn(HTMLVideoElement.prototype, 'videoWidth', 'get').mockReturnValue(640);

  render(<Scan />);
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: '打开相机扫码' }));
  });
  await waitFor(() => expect(navigate).toHaveBeenCalledTimes(1));
  const url = (navigate.mock.calls[0]![0] as { url: string }).url;
  expect(url).toBe(`${APPROVE}?code=${encodeURIComponent(CODE)}`);
  // The camera is released once the code is read.
  await waitFor(() => expect(track.stop).toHaveBeenCalled());
  await openRouted(url);
});

it('when a consent request or a document call is pasted beside this, then each keeps its own page', async () => {
  expect(await paste(CONSENT)).toBe(`/consent/pages/open/index?code=${encodeURIComponent(CONSENT)}`);
  cleanup();
  jest.restoreAllMocks();
  expect(await paste('EIDR1:CODE-p1')).toBe('/calls/pages/approve/index');
  expect(scannedCode.get()).toBe('EIDR1:CODE-p1');
});

it('when a malformed sign-in code is pasted, then it still goes to the sign-in page, which refuses it without asking the BFF', async () => {
  const url = await paste('EIDS1:not-a-code');
  expect(url).toBe(`${APPROVE}?code=${encodeURIComponent('EIDS1:not-a-code')}`);
  cleanup();
  setRouterParams({ code: url.split('code=')[1]! });
  render(<Approve />);
  expect(await screen.findByTestId('signin-invalid')).toBeInTheDocument();
  expect(opened).toEqual([]);
});
