import type { ComponentType } from 'react';
import { act, cleanup, configure, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { PasscodeStatus } from '@eid/shared';
import { setLang } from '../../miniapp/src/i18n';
import { clock } from '../../miniapp/src/lib/clock';
import { readJson, reply, startFakeBff, type FakeBff } from '../helpers/fake-bff';
import { signInResident } from '../helpers/resident-session';
import { setRouterParams } from './support/taro';

/**
 * The e-ID passcode page (account/pages/passcode), against a server answering as the BFF does: set (typed
 * twice, weak and mismatched choices refused on the phone), change (with the current one, whose wrong tries
 * are counted by the BFF), forgotten (face re-confirmation, then reset), and the status with the tries left
 * and a pause. And the card-management page's link to it.
 *
 * Relied on: `data-testid` passcode-status (data-set), passcode-tries, passcode-paused, passcode-current,
 * passcode-new, passcode-confirm, passcode-save, passcode-change, passcode-forgot, passcode-face,
 * passcode-done (data-done), passcode-error (data-code), passcode-back, manage-passcode.
 */

configure({ asyncUtilTimeout: 5000 });

const NOW = Date.UTC(2026, 11, 2, 2, 0, 0);

let bff: FakeBff;
let status: PasscodeStatus;
let puts: Record<string, unknown>[];
let resets: Record<string, unknown>[];
let faceSteps: string[];
let putAnswer: (body: Record<string, unknown>) => [number, unknown];
let Passcode: ComponentType;
let Manage: ComponentType;

beforeAll(async () => {
  bff = await startFakeBff(async (req, res) => {
    const url = req.url ?? '';
    if (url === '/api/v1/passcode' && req.method === 'GET') return reply(res, 200, status);
    if (url === '/api/v1/passcode' && req.method === 'PUT') {
      const body = await readJson(req);
      puts.push(body);
      const [code, answer] = putAnswer(body);
      if (code === 200) status = answer as PasscodeStatus;
      return reply(res, code, answer);
    }
    if (url === '/api/v1/passcode/reset') {
      const body = await readJson(req);
      resets.push(body);
      status = { set: true, triesLeft: 5, updatedAt: NOW };
      return reply(res, 200, status);
    }
    if (url === '/api/v1/reauth/start') {
      faceSteps.push('start');
      return reply(res, 200, { verifyId: 'v-1', expiresAt: NOW + 60_000 });
    }
    if (url === '/face/v1/capture') {
      faceSteps.push('capture');
      return reply(res, 200, { accepted: true });
    }
    if (url === '/api/v1/reauth/complete') {
      faceSteps.push('complete');
      return reply(res, 200, { reauthToken: 'reauth-9', expiresIn: 300 });
    }
    if (url === '/api/v1/card')
      return reply(res, 200, { cardId: 'card-1', status: 'active', issuedAt: NOW, expiresAt: NOW + 1e10 });
    reply(res, 404, { code: 'NOT_FOUND', message: 'no', requestId: 'r' });
  }, 'GET, POST, PUT');
  process.env.TARO_APP_API_BASE = bff.base;
  process.env.TARO_APP_FACE_BASE = `${bff.base}/face`;
  clock.now = () => NOW;
  await signInResident(NOW);
  Passcode = (await import('../../miniapp/src/account/pages/passcode/index')).default;
  Manage = (await import('../../miniapp/src/account/pages/manage/index')).default;
});

afterAll(() => {
  delete process.env.TARO_APP_FACE_BASE;
  return bff.close();
});

beforeEach(() => {
  act(() => setLang('zh'));
  clock.now = () => NOW;
  status = { set: false, triesLeft: 5 };
  puts = [];
  resets = [];
  faceSteps = [];
  putAnswer = () => [200, { set: true, triesLeft: 5, updatedAt: NOW }];
  setRouterParams({});
});

afterEach(() => {
  cleanup();
  jest.restoreAllMocks();
});

const type = (testId: string, value: string) =>
  fireEvent.change(screen.getByTestId(testId), { target: { value } });

it('when no passcode is set, then the page says so and sets one typed twice', async () => {
  render(<Passcode />);
  const shown = await screen.findByTestId('passcode-status');
  expect(shown).toHaveAttribute('data-set', 'false');
  expect(shown).toHaveTextContent('未设置');
  expect(screen.queryByTestId('passcode-current')).toBeNull();
  expect(screen.getByTestId('passcode-new')).toHaveAttribute('type', 'password');
  type('passcode-new', '582046');
  type('passcode-confirm', '582046');
  fireEvent.click(screen.getByTestId('passcode-save'));
  const done = await screen.findByTestId('passcode-done');
  expect(done).toHaveAttribute('data-done', 'passcodePage.doneSet');
  expect(done).toHaveTextContent('电子身份证密码已设置。');
  expect(puts).toEqual([{ passcode: '582046' }]);
  expect(screen.getByTestId('passcode-status')).toHaveAttribute('data-set', 'true');
  // Not opened from a sign-in: nothing to go back to.
  expect(screen.queryByTestId('passcode-back')).toBeNull();
});

it.each([
  ['111111', '111111', '密码不能全是同一个数字'],
  ['234567', '234567', '密码不能是连续的数字'],
  ['12345', '12345', '密码须为 6 到 8 位数字。'],
  ['582046', '582047', '两次输入的新密码不一致。'],
])(
  'when %s and %s are typed, then the phone refuses it in words and sends nothing',
  async (first, second, sentence) => {
    render(<Passcode />);
    await screen.findByTestId('passcode-status');
    type('passcode-new', first);
    type('passcode-confirm', second);
    fireEvent.click(screen.getByTestId('passcode-save'));
    expect(await screen.findByText(new RegExp(sentence))).toBeInTheDocument();
    expect(puts).toEqual([]);
    expect(screen.queryByTestId('passcode-done')).toBeNull();
  },
);

it('when a passcode is set, then the tries left are shown and it is changed with the current one; a wrong current one says the tries left', async () => {
  status = { set: true, triesLeft: 5, updatedAt: NOW - 86_400_000 };
  let wrong = true;
  putAnswer = () =>
    wrong
      ? [403, { code: 'PASSCODE_WRONG', message: 'wrong', details: { triesLeft: 4 }, requestId: 'r' }]
      : [200, { set: true, triesLeft: 5, updatedAt: NOW }];
  render(<Passcode />);
  expect(await screen.findByTestId('passcode-status')).toHaveTextContent('已设置');
  expect(screen.getByTestId('passcode-tries')).toHaveTextContent('再输错 5 次会暂停一段时间。');
  expect(screen.queryByTestId('passcode-new')).toBeNull();
  fireEvent.click(screen.getByTestId('passcode-change'));
  type('passcode-current', '739164');
  type('passcode-new', '582046');
  type('passcode-confirm', '582046');
  fireEvent.click(screen.getByTestId('passcode-save'));
  const error = await screen.findByTestId('passcode-error');
  expect(error).toHaveAttribute('data-code', 'PASSCODE_WRONG');
  expect(error).toHaveTextContent('密码不正确。还可以再试 4 次，之后会暂停一段时间。');
  expect((screen.getByTestId('passcode-current') as HTMLInputElement).value).toBe('');
  expect(puts).toEqual([{ passcode: '582046', currentPasscode: '739164' }]);

  wrong = false;
  type('passcode-current', '739165');
  fireEvent.click(screen.getByTestId('passcode-save'));
  expect(await screen.findByTestId('passcode-done')).toHaveTextContent('电子身份证密码已修改。');
  expect(puts[1]).toEqual({ passcode: '582046', currentPasscode: '739165' });
});

it('when the new passcode equals the current one, then the phone says it must differ', async () => {
  status = { set: true, triesLeft: 5 };
  render(<Passcode />);
  fireEvent.click(await screen.findByTestId('passcode-change'));
  type('passcode-current', '582046');
  type('passcode-new', '582046');
  type('passcode-confirm', '582046');
  fireEvent.click(screen.getByTestId('passcode-save'));
  expect(await screen.findByText('新密码不能和当前密码相同。')).toBeInTheDocument();
  expect(puts).toEqual([]);
});

it('when tries are paused, then the page says until when, and a forgotten passcode is reset after a face check', async () => {
  status = { set: true, triesLeft: 0, pausedUntil: NOW + 60 * 60_000 };
  setRouterParams({ from: 'signin' });
  const { container } = render(<Passcode />);
  expect(await screen.findByTestId('passcode-paused')).toHaveTextContent(
    '输错次数过多，已暂停到 2026年12月2日 11:00（北京时间）。',
  );
  fireEvent.click(screen.getByTestId('passcode-forgot'));
  const face = screen.getByTestId('passcode-face');
  expect(screen.queryByTestId('passcode-new')).toBeNull();
  fireEvent.click(within(face).getByRole('button', { name: '开始人脸核验' }));
  const picker = await waitFor(() => {
    const el = container.querySelector<HTMLInputElement>('#face-file');
    expect(el).not.toBeNull();
    return el!;
  });
  fireEvent.change(picker, {
    target: { files: [new File([new Uint8Array([1, 2, 3])], 'me.jpg', { type: 'image/jpeg' })] },
  });
  await screen.findByTestId('passcode-new');
  expect(faceSteps).toEqual(['start', 'capture', 'complete']);
  type('passcode-new', '604913');
  type('passcode-confirm', '604913');
  fireEvent.click(screen.getByTestId('passcode-save'));
  expect(await screen.findByTestId('passcode-done')).toHaveTextContent(
    '电子身份证密码已重新设置，暂停已结束。',
  );
  expect(resets).toEqual([{ passcode: '604913', reauthToken: 'reauth-9' }]);
  expect(puts).toEqual([]);
  expect(screen.queryByTestId('passcode-paused')).toBeNull();
  // Opened from a sign-in: the way back to it.
  expect(screen.getByTestId('passcode-back')).toHaveTextContent('返回登录确认');
});

it('when the card-management page shows, then it links to the passcode page', async () => {
  const navigate = jest.spyOn(Taro, 'navigateTo').mockResolvedValue(undefined as never);
  render(<Manage />);
  fireEvent.click(await screen.findByTestId('manage-passcode'));
  expect(navigate).toHaveBeenCalledWith({ url: '/account/pages/passcode/index' });
});
