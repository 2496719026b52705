import type { ComponentType } from 'react';
import { act, cleanup, configure, fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import {
  AppError,
  base64urlEncode,
  CARD_SCOPES,
  findPurpose,
  formatConsentCode,
  PARTY_CATEGORIES,
  signRegistration,
  signRegistryKeys,
  toHex,
  tweetnaclEd25519 as ed,
  type ConsentState,
  type PartyRegistrationPayload,
  type ResidentConsentView,
} from '@eid/shared';
import { setLang } from '../../miniapp/src/i18n';
import { MESSAGES } from '../../miniapp/src/i18n/messages';
import { clock } from '../../miniapp/src/lib/clock';
import { describeError } from '../../miniapp/src/lib/errors';
import { readJson, reply, startFakeBff, type FakeBff } from '../helpers/fake-bff';
import { signInResident } from '../helpers/resident-session';
import { setRouterParams } from './support/taro';

/**
 * The resident's consent page for a relying party's request (`EIDC1:` code), against a server answering as
 * the BFF does, with the registration and the registry-keys document signed by real keys: "registration
 * verified" only when the registration checks out on the phone under the pinned trust root and matches the
 * party, purpose, scopes and retention shown; who, why, exactly which fields, retention, the time left;
 * approve, decline with confirmation; expired, answered and invalid codes each said in a sentence.
 *
 * Relied on: `data-testid` registration-verified, registration-forged, registration, asker, consent-reason,
 * consent-items (items with data-scope), consent-retention, consent-countdown, consent-approved,
 * consent-declined, consent-answered, consent-expired, consent-invalid, consent-not-yours; buttons 同意提供,
 * 拒绝, 确定拒绝, 打开请求; the field 授权请求码.
 */

configure({ asyncUtilTimeout: 5000 });

const NOW = Date.UTC(2026, 11, 2, 2, 0, 0);
const root = ed.keyPairFromSeed(new Uint8Array(32).fill(41));
const registry = ed.keyPairFromSeed(new Uint8Array(32).fill(42));
const rogue = ed.keyPairFromSeed(new Uint8Array(32).fill(43));
const REGISTRY_KID = 'party-registry-1';

const part = (fill: number) => base64urlEncode(new Uint8Array(16).fill(fill));
const CODE = formatConsentCode(part(1), part(2));
const ID = 'c_hotel_1';
const PARTY_ID = 'rp_HOTELHOTELHOTEL';
const hotel = PARTY_CATEGORIES.find((c) => c.code === 'hotel')!;
const purpose = findPurpose('hotel_check_in')!;

const FIELD_LABELS: Record<string, [string, string]> = {
  name: ['姓名', 'Name'],
  idNumberMasked: ['部分隐藏的身份号码', 'Partly hidden ID number'],
  ageOver18: ['已满18周岁', 'Over 18'],
};

const PAYLOAD: PartyRegistrationPayload = {
  v: 1,
  partyId: PARTY_ID,
  name: '泉城如家酒店（历下店）',
  uscc: '91370102MA3C8XYZ1K',
  category: 'hotel',
  grants: [
    { purpose: 'hotel_check_in', scopes: ['result', 'name_masked_id', 'age_over_18'] },
    { purpose: 'age_over_18', scopes: ['result', 'age_over_18'] },
  ],
  retentionDays: 30,
  kids: ['hotel-key-1'],
  version: 3,
  signedAt: NOW - 86_400_000,
};

function itemsOf(scopes: string[]) {
  return scopes.map((code) => {
    const s = CARD_SCOPES.find((x) => x.code === code)!;
    return {
      scope: code,
      zh: s.zh,
      en: s.en,
      fields: s.fields.map((f) => ({ key: f, zh: FIELD_LABELS[f]?.[0] ?? f, en: FIELD_LABELS[f]?.[1] ?? f })),
    };
  });
}

function viewOf(state: ConsentState, over: Partial<ResidentConsentView> = {}): ResidentConsentView {
  return {
    id: ID,
    state,
    party: {
      id: PARTY_ID,
      name: PAYLOAD.name,
      uscc: PAYLOAD.uscc,
      category: 'hotel',
      categoryZh: hotel.zh,
      categoryEn: hotel.en,
      registration: signRegistration(PAYLOAD, REGISTRY_KID, (m) => ed.sign(registry.secretKey, m)),
    },
    purpose: { code: purpose.code, zh: purpose.zh, en: purpose.en },
    reason: '入住登记：核对住客身份（订单 A1024）',
    items: itemsOf(['result', 'name_masked_id']),
    retentionDays: 30,
    createdAt: NOW - 60_000,
    expiresAt: NOW + 9 * 60_000,
    ...over,
  };
}

const keysDoc = (sign: (m: Uint8Array) => Uint8Array) =>
  signRegistryKeys(
    { v: 1, keys: [{ kid: REGISTRY_KID, publicKey: base64urlEncode(registry.publicKey) }], issuedAt: NOW },
    sign,
  );

let bff: FakeBff;
let opened: string[];
let answers: string[];
let keysAnswer: () => [number, unknown];
let openAnswer: () => [number, unknown];
let answerAnswer: (step: string) => [number, unknown];
let forgetRegistryKeys: () => void;
let Open: ComponentType;
let Scan: ComponentType;

beforeAll(async () => {
  bff = await startFakeBff(async (req, res) => {
    const url = req.url ?? '';
    if (url === '/api/v1/party-registry-keys') return reply(res, ...keysAnswer());
    if (url === '/api/v1/consents/open') {
      const { requestCode } = await readJson(req);
      opened.push(requestCode!);
      return reply(res, ...openAnswer());
    }
    const step = /^\/api\/v1\/consents\/c_hotel_1\/(approve|decline)$/.exec(url)?.[1];
    if (step) {
      answers.push(step);
      return reply(res, ...answerAnswer(step));
    }
    if (url === `/api/v1/consents/${ID}`) return reply(res, 200, viewOf('approved', { answeredAt: NOW }));
    if (url.startsWith('/api/v1/document-calls/')) return reply(res, 200, { items: [] });
    reply(res, 404, { code: 'NOT_FOUND', message: 'no', requestId: 'r' });
  });
  process.env.TARO_APP_API_BASE = bff.base;
  process.env.TARO_APP_TRUST_ROOT = toHex(root.publicKey);
  clock.now = () => NOW;
  await signInResident(NOW);
  // Loaded only now: the request module fixes the BFF's origin when it loads.
  ({ forgetRegistryKeys } = await import('../../miniapp/src/lib/registration'));
  Open = (await import('../../miniapp/src/consent/pages/open/index')).default;
  Scan = (await import('../../miniapp/src/calls/pages/scan/index')).default;
});

afterAll(() => {
  delete process.env.TARO_APP_TRUST_ROOT;
  return bff.close();
});

beforeEach(() => {
  act(() => setLang('zh'));
  clock.now = () => NOW;
  forgetRegistryKeys();
  opened = [];
  answers = [];
  keysAnswer = () => [200, keysDoc((m) => ed.sign(root.secretKey, m))];
  openAnswer = () => [200, viewOf('pending')];
  answerAnswer = (step) => [200, viewOf(step === 'approve' ? 'approved' : 'declined', { answeredAt: NOW })];
  setRouterParams({ code: encodeURIComponent(CODE) });
});

afterEach(() => {
  cleanup();
  jest.restoreAllMocks();
});

const approveButton = () => screen.queryByRole('button', { name: '同意提供' });

it('when a genuine request is opened from its link, then who asks is shown with the registration verified, why, exactly which fields, the retention and the time left', async () => {
  render(<Open />);
  expect(await screen.findByTestId('registration-verified')).toHaveTextContent(
    '登记信息已核验：由平台签发，内容未被改动。',
  );
  const asker = screen.getByTestId('asker');
  expect(asker).toHaveTextContent('泉城如家酒店（历下店）');
  expect(asker).toHaveTextContent('91370102MA3C8XYZ1K');
  expect(asker).toHaveTextContent('旅馆');
  const registration = screen.getByTestId('registration');
  expect(registration).toHaveTextContent('登记用途：旅馆住宿登记、年龄核验（满18周岁）');
  expect(registration).toHaveTextContent(
    '此用途可请求：仅核验结果、姓名和部分隐藏的身份证号、是否年满18周岁',
  );
  expect(registration).toHaveTextContent(REGISTRY_KID);
  expect(screen.getByText('旅馆住宿登记')).toBeInTheDocument();
  expect(screen.getByTestId('consent-reason')).toHaveTextContent('入住登记：核对住客身份（订单 A1024）');
  const items = screen.getByTestId('consent-items');
  expect(Array.from(items.querySelectorAll('[data-scope]')).map((i) => i.getAttribute('data-scope'))).toEqual(
    ['result', 'name_masked_id'],
  );
  expect(items).toHaveTextContent('姓名和部分隐藏的身份证号');
  expect(items).toHaveTextContent('姓名、部分隐藏的身份号码');
  expect(items).toHaveTextContent('只告知核验结果，不提供具体信息');
  expect(screen.getByText('30 天')).toBeInTheDocument();
  expect(screen.getByTestId('consent-retention')).toHaveTextContent('对方最多保存 30 天');
  expect(screen.getByTestId('consent-countdown')).toHaveTextContent(
    '请在 9 分 00 秒 内答复（2026年12月2日 10:09 前）',
  );
  expect(approveButton()).toBeEnabled();
  expect(opened).toEqual([CODE]);
});

it('when time passes, then the countdown follows the clock and at the expiry the request says it lapsed with no approval', async () => {
  render(<Open />);
  await screen.findByTestId('registration-verified');
  act(() => {
    clock.now = () => NOW + 8 * 60_000 + 15_000;
  });
  await waitFor(() => expect(screen.getByTestId('consent-countdown')).toHaveTextContent('请在 45 秒 内答复'));
  act(() => {
    clock.now = () => NOW + 9 * 60_000;
  });
  expect(await screen.findByTestId('consent-expired')).toHaveTextContent(
    '这个请求已过期，请让对方重新发起。',
  );
  expect(approveButton()).toBeNull();
  expect(screen.queryByTestId('consent-countdown')).toBeNull();
});

it('when the resident approves, then the BFF is told and the page says the party may now read the data', async () => {
  render(<Open />);
  await screen.findByTestId('registration-verified');
  fireEvent.click(approveButton()!);
  expect(await screen.findByTestId('consent-approved')).toHaveTextContent(
    '您已同意，泉城如家酒店（历下店） 现在可以读取上述信息。',
  );
  expect(answers).toEqual(['approve']);
  expect(approveButton()).toBeNull();
  expect(screen.getByRole('button', { name: '查看我的第三方授权' })).toBeInTheDocument();
});

it('when the resident declines and confirms, then the BFF is told and the party gets nothing', async () => {
  render(<Open />);
  fireEvent.click(await screen.findByRole('button', { name: '拒绝' }));
  expect(screen.getByText('确定拒绝吗？对方将不会得到您的任何信息。')).toBeInTheDocument();
  expect(answers).toEqual([]);
  fireEvent.click(screen.getByRole('button', { name: '确定拒绝' }));
  expect(await screen.findByTestId('consent-declined')).toHaveTextContent(
    '您已拒绝，泉城如家酒店（历下店） 不会得到您的信息。',
  );
  expect(answers).toEqual(['decline']);
  expect(approveButton()).toBeNull();
});

it('when the request expired between opening and approving, then the page says it expired', async () => {
  answerAnswer = () => [410, { code: 'CONSENT_REQUEST_EXPIRED', message: 'x', requestId: 'r' }];
  render(<Open />);
  await screen.findByTestId('registration-verified');
  fireEvent.click(approveButton()!);
  expect(await screen.findByTestId('consent-expired')).toHaveTextContent('这个请求已过期');
  expect(approveButton()).toBeNull();
});

it.each([
  [
    'the registration is signed by a key the registry list does not hold',
    () => {
      const v = viewOf('pending');
      v.party.registration = signRegistration(PAYLOAD, REGISTRY_KID, (m) => ed.sign(rogue.secretKey, m));
      openAnswer = () => [200, v];
    },
    '登记信息的签名无效（被伪造或被改动）',
  ],
  [
    'the registration was changed after signing (more scopes)',
    () => {
      const v = viewOf('pending', { items: itemsOf(['result', 'card_face']) });
      v.party.registration.payload = {
        ...PAYLOAD,
        grants: [{ purpose: 'hotel_check_in', scopes: ['result', 'card_face'] }],
      };
      openAnswer = () => [200, v];
    },
    '登记信息的签名无效（被伪造或被改动）',
  ],
  [
    'the registry keys are not signed by the pinned trust root',
    () => {
      keysAnswer = () => [200, keysDoc((m) => ed.sign(rogue.secretKey, m))];
    },
    '平台的登记签名密钥未经信任根签发',
  ],
  [
    'the BFF shows another name than the signed registration',
    () => {
      const v = viewOf('pending');
      v.party.name = '泉城大酒店';
      openAnswer = () => [200, v];
    },
    '登记信息与请求方的名称或信用代码不一致',
  ],
  [
    'the request asks for a scope the registration does not hold for the purpose',
    () => {
      openAnswer = () => [200, viewOf('pending', { items: itemsOf(['result', 'residence_province']) })];
    },
    '该机构没有登记这个用途，或没有登记其中某些信息',
  ],
  [
    'the request keeps the data longer than registered',
    () => {
      openAnswer = () => [200, viewOf('pending', { retentionDays: 90 })];
    },
    '请求的保存期限超过了其登记的期限',
  ],
])(
  'when %s, then the registration shows as not checking out and there is no approval',
  async (_, arrange, reason) => {
    arrange();
    render(<Open />);
    const forged = await screen.findByTestId('registration-forged');
    expect(forged).toHaveTextContent('登记信息无法核验');
    expect(forged).toHaveTextContent(reason);
    expect(screen.queryByTestId('registration-verified')).toBeNull();
    expect(approveButton()).toBeNull();
    // Declining stays possible.
    expect(screen.getByRole('button', { name: '拒绝' })).toBeEnabled();
  },
);

it('when the registry keys cannot be fetched, then the page says so with a retry and approves only after the check', async () => {
  keysAnswer = () => [503, { code: 'UPSTREAM_UNAVAILABLE', message: 'x', requestId: 'r' }];
  render(<Open />);
  expect(await screen.findByText('暂时无法核验登记信息，请检查网络后重试。')).toBeInTheDocument();
  expect(approveButton()).toBeNull();
  keysAnswer = () => [200, keysDoc((m) => ed.sign(root.secretKey, m))];
  fireEvent.click(screen.getByRole('button', { name: '重试' }));
  await screen.findByTestId('registration-verified');
  expect(approveButton()).toBeEnabled();
});

it.each([
  ['CONSENT_REQUEST_INVALID', 400, 'consent-invalid', '这不是有效的授权请求码'],
  ['CONSENT_REQUEST_EXPIRED', 410, 'consent-expired', '这个请求已过期，请让对方重新发起。'],
  ['CONSENT_WRONG_STATE', 409, 'consent-not-yours', '这个请求已由其他人打开，或已答复过'],
])(
  'when the BFF answers %s on opening, then the page says it in a sentence',
  async (code, status, id, text) => {
    openAnswer = () => [status, { code, message: 'x', requestId: 'r' }];
    render(<Open />);
    expect(await screen.findByTestId(id)).toHaveTextContent(text);
    expect(approveButton()).toBeNull();
    expect(document.body.textContent).not.toMatch(/CONSENT_/);
  },
);

it('when the code is not a consent request code, then it never reaches the BFF and the page says it is invalid', async () => {
  setRouterParams({ code: encodeURIComponent(`${CODE}x`) });
  render(<Open />);
  expect(await screen.findByTestId('consent-invalid')).toHaveTextContent(
    '这不是有效的授权请求码，请重新扫描，或核对后重新输入。',
  );
  expect(opened).toEqual([]);
});

it('when the request was already answered, then the page says how, with no buttons to answer again', async () => {
  openAnswer = () => [200, viewOf('approved', { answeredAt: NOW - 30_000 })];
  render(<Open />);
  expect(await screen.findByTestId('consent-answered')).toHaveTextContent('这个请求已经答复过：已同意。');
  expect(approveButton()).toBeNull();
  expect(screen.queryByRole('button', { name: '拒绝' })).toBeNull();
});

it('when the page opens without a code, then the resident types one and it opens', async () => {
  setRouterParams({});
  render(<Open />);
  expect(screen.getByText('请扫描机构出示的授权二维码，或在下方输入授权请求码。')).toBeInTheDocument();
  fireEvent.click(screen.getByRole('button', { name: '打开请求' }));
  expect(screen.getByText('请先输入请求码。')).toBeInTheDocument();
  fireEvent.change(screen.getByLabelText('授权请求码'), { target: { value: `  ${CODE}\n` } });
  fireEvent.click(screen.getByRole('button', { name: '打开请求' }));
  await screen.findByTestId('registration-verified');
  expect(opened).toEqual([CODE]);
});

it('when the language is English, then the page reads in English', async () => {
  act(() => setLang('en'));
  render(<Open />);
  expect(await screen.findByTestId('registration-verified')).toHaveTextContent(
    'Registration verified: issued by the platform and not changed.',
  );
  expect(screen.getByText('Hotel check-in')).toBeInTheDocument();
  expect(screen.getByTestId('consent-items')).toHaveTextContent('Name, Partly hidden ID number');
  expect(screen.getByTestId('consent-countdown')).toHaveTextContent('Answer within 9 min 00 s');
  expect(screen.getByRole('button', { name: 'Approve' })).toBeEnabled();
});

it.each([
  ['its code', ` ${CODE} `],
  ['its link', `https://eid.example.cn/#/consent/pages/open/index?code=${encodeURIComponent(CODE)}`],
])(
  'when a consent request’s %s is scanned or pasted on the scan page, then it opens the consent page rather than a document call',
  async (_, text) => {
    const navigate = jest.spyOn(Taro, 'navigateTo').mockResolvedValue(undefined as never);
    render(<Scan />);
    fireEvent.change(screen.getByLabelText('或粘贴请求码'), { target: { value: text } });
    fireEvent.click(screen.getByRole('button', { name: '打开请求' }));
    expect(navigate).toHaveBeenCalledWith({
      url: `/consent/pages/open/index?code=${encodeURIComponent(CODE)}`,
    });
  },
);

it.each([
  'CONSENT_REQUEST_INVALID',
  'CONSENT_REQUEST_EXPIRED',
  'CONSENT_WRONG_STATE',
  'PARTY_SUSPENDED',
  'PARTY_RATE_LIMITED',
  'PARTY_QUOTA_EXCEEDED',
  'PARTY_PURPOSE_NOT_REGISTERED',
  'PARTY_SCOPE_NOT_REGISTERED',
  'PARTY_GRANT_INVALID',
  'PARTY_KEY_CONFLICT',
  'PARTY_KEY_LIMIT',
] as const)('when the BFF answers %s, then the resident reads its own sentence in both languages', (code) => {
  const err = new AppError(code, 'x');
  for (const lang of ['zh', 'en'] as const) {
    const shown = describeError(err, (key) => MESSAGES[key][lang], lang);
    expect(shown).toBe(MESSAGES[`error.${code}`][lang]);
    expect(shown).not.toBe(MESSAGES['error.generic'][lang]);
  }
});
