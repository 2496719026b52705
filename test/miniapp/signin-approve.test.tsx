import type { ComponentType } from 'react';
import { act, cleanup, configure, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import Taro from '@tarojs/taro';
import {
  base64urlDecode,
  base64urlEncode,
  controlCodeOf,
  formatSignInCode,
  parseSignInCode,
  signInApprovalBytes,
  signRegistration,
  signRegistryKeys,
  toHex,
  tweetnaclEd25519 as ed,
  type PartyRegistrationPayload,
  type SignInLevel,
  type SignInView,
} from '@eid/shared';
import { setLang } from '../../miniapp/src/i18n';
import { MESSAGES } from '../../miniapp/src/i18n/messages';
import { clock } from '../../miniapp/src/lib/clock';
import { removeStored, writeStored } from '../../miniapp/src/lib/storage';
import { readJson, reply, startFakeBff, type FakeBff } from '../helpers/fake-bff';
import { signInResident } from '../helpers/resident-session';
import { setRouterParams } from './support/taro';

/**
 * The resident's side of remote sign-in: the approval page opened from the desktop page's link (`EIDS1:`
 * code), against a server answering as the BFF does, with the party's registration and the registry keys
 * signed by real keys and the card's device key in the wallet. "Registration verified" and the steps only
 * when the registration checks out under the pinned trust root and its signed origin is the return origin;
 * the control-code choices as buttons; the passcode at level 2, the face re-confirmation at level 3; the
 * approval carries the device key's signature over the approval bytes, checked here with the public key.
 *
 * Relied on: `data-testid` signin-opening, signin-party, registration-verified, registration-forged,
 * signin-warning (data-problem), signin-origin, signin-fields (data-field), signin-level (data-level),
 * signin-code-<digits>, signin-passcode, signin-set-passcode, signin-face (data-done), signin-approve,
 * signin-decline, signin-working, signin-result (data-state), signin-error (data-code), signin-mismatch,
 * signin-refused, signin-invalid, signin-no-card.
 */

configure({ asyncUtilTimeout: 5000 });

const NOW = Date.UTC(2026, 11, 2, 2, 0, 0);
const root = ed.keyPairFromSeed(new Uint8Array(32).fill(51));
const registry = ed.keyPairFromSeed(new Uint8Array(32).fill(52));
const rogue = ed.keyPairFromSeed(new Uint8Array(32).fill(53));
const device = ed.keyPairFromSeed(new Uint8Array(32).fill(54));
const REGISTRY_KID = 'party-registry-1';

const part = (fill: number) => base64urlEncode(new Uint8Array(16).fill(fill));
const CODE = formatSignInCode(part(7), part(8));
const CONTROL = controlCodeOf(parseSignInCode(CODE)!);
// Two decoys that differ from the control code and from each other, whatever it is.
const decoy = (n: number) => String((Number(CONTROL) + n) % 10000).padStart(4, '0');
const CHOICES = [decoy(1111), CONTROL, decoy(2222)];
const ID = 'si_hotel_1';
const PARTY_ID = 'rp_HOTELHOTELHOTEL';
const ORIGIN = 'https://hotel.example.cn';
const HOTEL = '泉城如家酒店（历下店）';

const PAYLOAD: PartyRegistrationPayload = {
  v: 1,
  partyId: PARTY_ID,
  name: HOTEL,
  uscc: '91370102MA3C8XYZ1K',
  category: 'hotel',
  grants: [{ purpose: 'hotel_check_in', scopes: ['result', 'name_masked_id', 'age_over_18'] }],
  retentionDays: 30,
  kids: ['hotel-key-1'],
  signIn: { origin: ORIGIN, level: 1 },
  version: 4,
  signedAt: NOW - 86_400_000,
};

const registrationBy = (secretKey: Uint8Array, payload = PAYLOAD) =>
  signRegistration(payload, REGISTRY_KID, (m) => ed.sign(secretKey, m));

function viewOf(over: Partial<SignInView> = {}): SignInView {
  return {
    id: ID,
    state: 'opened',
    party: {
      id: PARTY_ID,
      name: HOTEL,
      uscc: PAYLOAD.uscc,
      category: 'hotel',
      registration: registrationBy(registry.secretKey),
    },
    returnOrigin: ORIGIN,
    purpose: 'hotel_check_in',
    scopes: ['name_masked_id'],
    fields: ['name', 'idNumberMasked'],
    level: 1,
    controlCodeChoices: CHOICES,
    passcodeSet: true,
    createdAt: NOW - 20_000,
    expiresAt: NOW + 4 * 60_000,
    ...over,
  };
}

const keysDoc = () =>
  signRegistryKeys(
    { v: 1, keys: [{ kid: REGISTRY_KID, publicKey: base64urlEncode(registry.publicKey) }], issuedAt: NOW },
    (m) => ed.sign(root.secretKey, m),
  );

let bff: FakeBff;
let opened: string[];
let approvals: Record<string, unknown>[];
let declines: number;
let faceSteps: string[];
let openAnswer: () => Promise<[number, unknown]> | [number, unknown];
let approveAnswer: (body: Record<string, unknown>) => [number, unknown];
let Approve: ComponentType;

const approvedView = (level: SignInLevel) => viewOf({ state: 'approved', level, answeredAt: NOW });

beforeAll(async () => {
  bff = await startFakeBff(async (req, res) => {
    const url = req.url ?? '';
    if (url === '/api/v1/party-registry-keys') return reply(res, 200, keysDoc());
    if (url === '/api/v1/signins/open') {
      const { code } = await readJson(req);
      opened.push(code!);
      return reply(res, ...(await openAnswer()));
    }
    if (url === `/api/v1/signins/${ID}/approve`) {
      const body = await readJson(req);
      approvals.push(body);
      return reply(res, ...approveAnswer(body));
    }
    if (url === `/api/v1/signins/${ID}/decline`) {
      declines += 1;
      return reply(res, 200, viewOf({ state: 'declined', answeredAt: NOW, controlCodeChoices: undefined }));
    }
    if (url === `/api/v1/signins/${ID}`) return reply(res, 200, viewOf());
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
      return reply(res, 200, { reauthToken: 'reauth-1', expiresIn: 300 });
    }
    reply(res, 404, { code: 'NOT_FOUND', message: 'no', requestId: 'r' });
  });
  process.env.TARO_APP_API_BASE = bff.base;
  process.env.TARO_APP_FACE_BASE = `${bff.base}/face`;
  process.env.TARO_APP_TRUST_ROOT = toHex(root.publicKey);
  clock.now = () => NOW;
  await signInResident(NOW);
  // Loaded only now: the request module fixes the BFF's origin when it loads.
  Approve = (await import('../../miniapp/src/signin/pages/approve/index')).default;
});

afterAll(() => {
  delete process.env.TARO_APP_TRUST_ROOT;
  delete process.env.TARO_APP_FACE_BASE;
  return bff.close();
});

beforeEach(async () => {
  act(() => setLang('zh'));
  clock.now = () => NOW;
  (await import('../../miniapp/src/lib/registration')).forgetRegistryKeys();
  opened = [];
  approvals = [];
  declines = 0;
  faceSteps = [];
  openAnswer = () => [200, viewOf()];
  approveAnswer = (body) => [
    200,
    approvedView((body.passcode ? (body.reauthToken ? 3 : 2) : 1) as SignInLevel),
  ];
  writeStored('wallet', {
    devicePublicKey: base64urlEncode(device.publicKey),
    deviceSecretKey: base64urlEncode(device.secretKey),
    cardId: 'card-1',
    credential: 'Y3JlZGVudGlhbA',
    status: 'active',
  });
  setRouterParams({ code: encodeURIComponent(CODE) });
});

afterEach(() => {
  cleanup();
  jest.restoreAllMocks();
});

const approveButton = () => screen.getByTestId('signin-approve');

/** The signature in an approval body, checked with the device's public key over the bytes it must sign. */
function signedOver(body: Record<string, unknown>, level: SignInLevel): boolean {
  const bytes = signInApprovalBytes({
    signin: ID,
    party: PARTY_ID,
    level,
    controlCode: String(body.controlCode),
    at: Number(body.at),
  });
  return ed.verify(device.publicKey, bytes, base64urlDecode(String(body.deviceSignature)));
}

it('when the link is opened, then the page says it is opening until the BFF answers, and sends the code from the link', async () => {
  let answer!: (a: [number, unknown]) => void;
  openAnswer = () => new Promise((resolve) => (answer = resolve));
  render(<Approve />);
  expect(await screen.findByTestId('signin-opening')).toHaveTextContent('正在打开登录请求…');
  expect(screen.queryByTestId('signin-approve')).toBeNull();
  await waitFor(() => expect(opened).toEqual([CODE]));
  act(() => answer([200, viewOf()]));
  expect(await screen.findByTestId('registration-verified')).toBeInTheDocument();
  expect(screen.queryByTestId('signin-opening')).toBeNull();
});

it('when a genuine level-1 sign-in is shown, then who asks (verified), the return origin in full, the fields in words, the level and the three codes are there, and approve waits for a tap', async () => {
  render(<Approve />);
  expect(await screen.findByTestId('registration-verified')).toHaveTextContent('登记信息已核验');
  const party = screen.getByTestId('signin-party');
  expect(party).toHaveTextContent(HOTEL);
  expect(party).toHaveTextContent('91370102MA3C8XYZ1K');
  expect(party).toHaveTextContent('旅馆');
  expect(party).toHaveTextContent(REGISTRY_KID);
  expect(screen.getByTestId('signin-origin')).toHaveTextContent(ORIGIN);
  const fields = screen.getByTestId('signin-fields');
  expect(
    Array.from(fields.querySelectorAll('[data-field]')).map((f) => f.getAttribute('data-field')),
  ).toEqual(['name', 'idNumberMasked']);
  expect(fields).toHaveTextContent('姓名');
  expect(fields).toHaveTextContent('部分隐藏的身份号码');
  expect(screen.getByTestId('signin-level')).toHaveAttribute('data-level', '1');
  expect(screen.getByTestId('signin-level')).toHaveTextContent('等级 1：用本机上的电子证照确认');
  for (const code of CHOICES) expect(screen.getByTestId(`signin-code-${code}`)).toHaveTextContent(code);
  expect(screen.queryByTestId('signin-passcode')).toBeNull();
  expect(screen.queryByTestId('signin-face')).toBeNull();
  expect(approveButton()).toBeDisabled();
  expect(screen.getByTestId('signin-decline')).toBeEnabled();
});

it('when the resident taps the code the computer shows and approves, then the device key signs the approval bytes and the page says to return to the computer', async () => {
  render(<Approve />);
  fireEvent.click(await screen.findByTestId(`signin-code-${CONTROL}`));
  expect(screen.getByTestId(`signin-code-${CONTROL}`)).toHaveAttribute('aria-pressed', 'true');
  expect(approveButton()).toBeEnabled();
  fireEvent.click(approveButton());
  const result = await screen.findByTestId('signin-result');
  expect(result).toHaveAttribute('data-state', 'approved');
  expect(result).toHaveTextContent(`已登录 ${HOTEL}。请回到电脑上继续，登录页会自动完成。`);
  // Opened from a link, so it may be this phone's browser: it is told to go back there, not sent anywhere.
  expect(result).toHaveTextContent('请切换回浏览器，页面会自动继续');
  expect(approvals).toHaveLength(1);
  const body = approvals[0]!;
  expect(body).toMatchObject({ controlCode: CONTROL, at: NOW });
  expect(body.passcode).toBeUndefined();
  expect(body.reauthToken).toBeUndefined();
  expect(signedOver(body, 1)).toBe(true);
  // Not vacuous: the same signature does not cover another level or another tapped code.
  expect(signedOver(body, 2)).toBe(false);
  expect(signedOver({ ...body, controlCode: decoy(1111) }, 1)).toBe(false);
  expect(screen.queryByTestId('signin-approve')).toBeNull();
});

it('when a wrong code is tapped, then the BFF’s mismatch stops the sign-in and the page says why, in both languages', async () => {
  approveAnswer = () => [
    409,
    { code: 'SIGNIN_CONTROL_CODE_MISMATCH', message: 'control code mismatch', requestId: 'r' },
  ];
  render(<Approve />);
  fireEvent.click(await screen.findByTestId(`signin-code-${decoy(2222)}`));
  fireEvent.click(approveButton());
  const stopped = await screen.findByTestId('signin-mismatch');
  expect(stopped).toHaveTextContent('两边的数字不一致，为保护您，这次登录已被终止。');
  expect(approvals[0]).toMatchObject({ controlCode: decoy(2222) });
  expect(screen.queryByTestId('signin-approve')).toBeNull();
  expect(screen.queryByTestId(`signin-code-${CONTROL}`)).toBeNull();
  act(() => setLang('en'));
  expect(screen.getByTestId('signin-mismatch')).toHaveTextContent(
    'The codes did not match; this sign-in was stopped to protect you.',
  );
});

it('when level 2 is asked, then approve also waits for the passcode, which goes with the approval; a wrong one says how many tries are left and clears the field', async () => {
  openAnswer = () => [200, viewOf({ level: 2 })];
  let wrong = true;
  approveAnswer = () =>
    wrong
      ? [403, { code: 'PASSCODE_WRONG', message: 'wrong', details: { triesLeft: 2 }, requestId: 'r' }]
      : [200, approvedView(2)];
  render(<Approve />);
  expect(await screen.findByTestId('signin-level')).toHaveTextContent(
    '等级 2：本机上的电子证照，加电子身份证密码',
  );
  fireEvent.click(await screen.findByTestId(`signin-code-${CONTROL}`));
  expect(approveButton()).toBeDisabled();
  const input = screen.getByTestId('signin-passcode') as HTMLInputElement;
  expect(input).toHaveAttribute('type', 'password');
  expect(input).toHaveAttribute('inputmode', 'numeric');
  // Only digits are kept as typed.
  fireEvent.change(input, { target: { value: '58a2 046' } });
  expect(input.value).toBe('582046');
  expect(approveButton()).toBeEnabled();
  fireEvent.click(approveButton());
  expect(await screen.findByTestId('signin-error')).toHaveTextContent(
    '密码不正确。还可以再试 2 次，之后会暂停一段时间。',
  );
  expect(screen.getByTestId('signin-error')).toHaveAttribute('data-code', 'PASSCODE_WRONG');
  expect((screen.getByTestId('signin-passcode') as HTMLInputElement).value).toBe('');
  expect(approvals[0]).toMatchObject({ controlCode: CONTROL, passcode: '582046' });
  expect(signedOver(approvals[0]!, 2)).toBe(true);

  wrong = false;
  fireEvent.change(screen.getByTestId('signin-passcode'), { target: { value: '739164' } });
  fireEvent.click(approveButton());
  expect(await screen.findByTestId('signin-result')).toHaveAttribute('data-state', 'approved');
  expect(approvals[1]).toMatchObject({ passcode: '739164' });
});

it('when level 2 is asked and the passcode is paused, then the time it ends is said', async () => {
  openAnswer = () => [200, viewOf({ level: 2 })];
  const until = NOW + 15 * 60_000;
  approveAnswer = () => [
    429,
    { code: 'PASSCODE_PAUSED', message: 'paused', details: { pausedUntil: until }, requestId: 'r' },
  ];
  render(<Approve />);
  fireEvent.click(await screen.findByTestId(`signin-code-${CONTROL}`));
  fireEvent.change(screen.getByTestId('signin-passcode'), { target: { value: '582046' } });
  fireEvent.click(approveButton());
  expect(await screen.findByTestId('signin-error')).toHaveTextContent(
    '密码错误次数过多，已暂停到 2026年12月2日 10:15（北京时间）。',
  );
});

it('when level 2 is asked but no passcode is set, then there is no passcode field, approve stays off, and a link leads to setting one', async () => {
  openAnswer = () => [200, viewOf({ level: 2, passcodeSet: false })];
  const navigate = jest.spyOn(Taro, 'navigateTo').mockResolvedValue(undefined as never);
  render(<Approve />);
  fireEvent.click(await screen.findByTestId(`signin-code-${CONTROL}`));
  expect(screen.queryByTestId('signin-passcode')).toBeNull();
  expect(screen.getByTestId('signin-passcode-missing')).toHaveTextContent(
    `${HOTEL} 要求输入电子身份证密码，您还没有设置。`,
  );
  expect(approveButton()).toBeDisabled();
  fireEvent.click(screen.getByTestId('signin-set-passcode'));
  expect(navigate).toHaveBeenCalledWith({ url: '/account/pages/passcode/index?from=signin' });
});

it('when level 3 is asked, then the face re-confirmation runs on the page and its reauth token goes with the passcode and the signature', async () => {
  openAnswer = () => [200, viewOf({ level: 3 })];
  const { container } = render(<Approve />);
  expect(await screen.findByTestId('signin-level')).toHaveAttribute('data-level', '3');
  fireEvent.click(await screen.findByTestId(`signin-code-${CONTROL}`));
  fireEvent.change(screen.getByTestId('signin-passcode'), { target: { value: '582046' } });
  const face = screen.getByTestId('signin-face');
  expect(face).toHaveAttribute('data-done', 'false');
  expect(approveButton()).toBeDisabled();
  fireEvent.click(within(face).getByRole('button', { name: '开始人脸核验' }));
  const picker = await waitFor(() => {
    const el = container.querySelector<HTMLInputElement>('#face-file');
    expect(el).not.toBeNull();
    return el!;
  });
  fireEvent.change(picker, {
    target: { files: [new File([new Uint8Array([1, 2, 3])], 'me.jpg', { type: 'image/jpeg' })] },
  });
  await waitFor(() => expect(screen.getByTestId('signin-face')).toHaveAttribute('data-done', 'true'));
  expect(faceSteps).toEqual(['start', 'capture', 'complete']);
  expect(approveButton()).toBeEnabled();
  fireEvent.click(approveButton());
  expect(await screen.findByTestId('signin-result')).toHaveAttribute('data-state', 'approved');
  expect(approvals[0]).toMatchObject({ controlCode: CONTROL, passcode: '582046', reauthToken: 'reauth-1' });
  expect(signedOver(approvals[0]!, 3)).toBe(true);
});

it('when the return origin is not the one the registration signs, then a warning says so with both origins and nothing can be approved', async () => {
  const elsewhere = 'https://hotel-login.example.net';
  openAnswer = () => [200, viewOf({ returnOrigin: elsewhere })];
  render(<Approve />);
  const warning = await screen.findByTestId('signin-warning');
  expect(warning).toHaveAttribute('data-problem', 'origin');
  expect(warning).toHaveTextContent('请不要登录');
  expect(warning).toHaveTextContent(`这次登录会回到 ${elsewhere}，但 ${HOTEL} 登记的网址是 ${ORIGIN}。`);
  expect(screen.getByTestId('signin-origin')).toHaveTextContent(elsewhere);
  expect(screen.queryByTestId('registration-verified')).toBeNull();
  expect(screen.queryByTestId('signin-approve')).toBeNull();
  expect(screen.queryByTestId(`signin-code-${CONTROL}`)).toBeNull();
  expect(screen.getByTestId('signin-decline')).toBeEnabled();
});

it('when the registration is not signed by a registry key, then it is shown as not checking out and nothing can be approved', async () => {
  openAnswer = () => [
    200,
    viewOf({
      party: { ...viewOf().party, registration: registrationBy(rogue.secretKey) },
    }),
  ];
  render(<Approve />);
  const forged = await screen.findByTestId('registration-forged');
  expect(forged).toHaveAttribute('data-problem', 'signature');
  expect(forged).toHaveTextContent('登记信息的签名无效（被伪造或被改动）');
  expect(screen.queryByTestId('signin-approve')).toBeNull();
});

it('when the party’s registration has no sign-in, or the level is below its registered one, or the choices miss the scanned code, then each is a warning of its own', async () => {
  const { signIn: _none, ...withoutSignIn } = PAYLOAD;
  const cases: [Partial<SignInView>, string][] = [
    [
      { party: { ...viewOf().party, registration: registrationBy(registry.secretKey, withoutSignIn) } },
      'unregistered',
    ],
    [
      {
        party: {
          ...viewOf().party,
          registration: registrationBy(registry.secretKey, {
            ...PAYLOAD,
            signIn: { origin: ORIGIN, level: 2 },
          }),
        },
      },
      'level',
    ],
    [{ controlCodeChoices: [decoy(1111), decoy(2222), decoy(3333)] }, 'choices'],
  ];
  for (const [over, problem] of cases) {
    openAnswer = () => [200, viewOf(over)];
    render(<Approve />);
    expect(await screen.findByTestId('signin-warning')).toHaveAttribute('data-problem', problem);
    expect(screen.queryByTestId('signin-approve')).toBeNull();
    cleanup();
  }
});

it('when the resident declines, then the BFF is told and the page says the party does not sign them in', async () => {
  render(<Approve />);
  fireEvent.click(await screen.findByTestId('signin-decline'));
  const result = await screen.findByTestId('signin-result');
  expect(result).toHaveAttribute('data-state', 'declined');
  expect(result).toHaveTextContent(`您已拒绝，${HOTEL} 不会为您登录。`);
  expect(declines).toBe(1);
  expect(approvals).toEqual([]);
});

it.each([
  ['SIGNIN_EXPIRED', 410, '这次登录已超时。请回到网站，重新选择用电子身份证登录。'],
  ['SIGNIN_WRONG_STATE', 409, '这次登录已由其他人打开，或已经处理过，不能由您确认。'],
] as const)(
  'when opening answers %s, then the page says so in a sentence and offers no steps',
  async (code, status, sentence) => {
    openAnswer = () => [status, { code, message: 'x', requestId: 'r' }];
    render(<Approve />);
    const refused = await screen.findByTestId('signin-refused');
    expect(refused).toHaveTextContent(sentence);
    expect(refused).toHaveAttribute('data-code', code);
    expect(screen.queryByTestId('signin-approve')).toBeNull();
  },
);

it('when the link carries no sign-in code, then nothing is sent and the page says it is not one', async () => {
  setRouterParams({ code: 'EIDC1%3Anot-a-sign-in' });
  render(<Approve />);
  expect(await screen.findByTestId('signin-invalid')).toHaveTextContent('这不是有效的登录二维码。');
  expect(opened).toEqual([]);
});

it('when a sign-in link is pasted on the page, then its code is opened', async () => {
  setRouterParams({});
  render(<Approve />);
  fireEvent.change(screen.getByLabelText('登录请求码'), {
    target: { value: `https://eid.example.cn/#/signin/pages/approve/index?code=${encodeURIComponent(CODE)}` },
  });
  fireEvent.click(screen.getByTestId('signin-code-open'));
  expect(await screen.findByTestId('registration-verified')).toBeInTheDocument();
  expect(opened).toEqual([CODE]);
});

it('when the card is not on this phone, then the page says to move it here and offers no approval', async () => {
  removeStored('wallet');
  render(<Approve />);
  expect(await screen.findByTestId('signin-no-card')).toHaveTextContent('本机上没有您的电子证照');
  expect(screen.queryByTestId('signin-approve')).toBeNull();
  expect(screen.getByTestId('signin-decline')).toBeEnabled();
});

it.each([
  ['CARD_SUSPENDED', 409, '您的电子证照已挂失（暂停使用），不能用它登录。'],
  ['DEVICE_SIGNATURE_INVALID', 403, MESSAGES['error.DEVICE_SIGNATURE_INVALID'].zh],
  ['PARTY_SUSPENDED', 403, `${HOTEL} 的接入已被暂停，暂时不能用电子身份证登录。`],
] as const)(
  'when approving answers %s, then the resident reads what it means',
  async (code, status, sentence) => {
    approveAnswer = () => [status, { code, message: 'x', requestId: 'r' }];
    render(<Approve />);
    fireEvent.click(await screen.findByTestId(`signin-code-${CONTROL}`));
    fireEvent.click(approveButton());
    const error = await screen.findByTestId('signin-error');
    expect(error).toHaveTextContent(sentence);
    expect(error).not.toHaveTextContent(code);
  },
);

it('when the sign-in page is read in English, then the steps are in English too', async () => {
  render(<Approve />);
  await screen.findByTestId('registration-verified');
  act(() => setLang('en'));
  expect(screen.getByText('Step 1: tap the number the computer shows')).toBeInTheDocument();
  expect(screen.getByTestId('signin-approve')).toHaveTextContent('Sign in');
  expect(screen.getByTestId(`signin-code-${CONTROL}`)).toHaveAccessibleName(`The computer shows ${CONTROL}`);
});
