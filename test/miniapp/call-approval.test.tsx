import type { ComponentType } from 'react';
import { act, cleanup, configure, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import {
  base64urlEncode,
  decodeRequestCode,
  findService,
  receiptText,
  requestCodeDigest,
  signReceipt,
  signRequestCode,
  sha256,
  signTrustList,
  toHex,
  tweetnaclEd25519 as ed,
  type DocumentCallAnswer,
  type DocumentCallState,
  type DocumentRequest,
  type OpenedDocumentCall,
} from '@eid/shared';
import { setLang } from '../../miniapp/src/i18n';
import { clock } from '../../miniapp/src/lib/clock';
import { removeStored } from '../../miniapp/src/lib/storage';
import { scannedCode } from '../../miniapp/src/calls/lib/handoff';
import { readJson, reply, startFakeBff, type FakeBff } from '../helpers/fake-bff';
import { testIdentifier } from '../helpers/licence-wallet';
import { setRouterParams } from './support/taro';
import { signInResident } from '../helpers/resident-session';
import { requestView } from '../helpers/call-view';

/**
 * The resident's approval of a window's document request, against a server answering as the BFF does with
 * codes, a trust list and receipts signed by real keys: who is asking is shown as verified only when the
 * request's signature checks out on the phone and the BFF's record agrees; a forged or altered code shows as
 * not genuine with no way to approve it; optional documents can be left out; decline; the receipt verified
 * from its bytes; withdrawal.
 *
 * Relied on: `data-testid` request-verified, requester, request-forged, requested-document (data-type),
 * access-expiry, receipt-verified, receipt-documents, receipt-until; buttons 同意提供, 拒绝, 确定拒绝, 撤回授权,
 * 确定撤回; the optional document's checkbox 提供{name}.
 */

// Signing and verifying with tweetnacl in jsdom on a busy machine can take over a second.
configure({ asyncUtilTimeout: 5000 });

const NOW = Date.UTC(2026, 11, 2, 2, 0, 0);
const DAY = 86_400_000;
const root = ed.keyPairFromSeed(new Uint8Array(32).fill(31));
const bffKey = ed.keyPairFromSeed(new Uint8Array(32).fill(32));
const rogue = ed.keyPairFromSeed(new Uint8Array(32).fill(33));
const KID = 'test-37-call';

const trustListBytes = signTrustList(
  { sequence: 1, issuedAt: NOW - DAY, issuers: [{ kid: KID, province: '37', publicKey: bffKey.publicKey }] },
  'root',
  (tbs) => ed.sign(root.secretKey, tbs),
);

const service = findService('vehicle_transfer')!;
const REQUEST: DocumentRequest = {
  province: '37',
  requestId: new Uint8Array(16).fill(0xab),
  window: { id: 'w-3', name: '3号窗口（机动车登记）', organisation: '济南市公安局交通警察支队车辆管理所' },
  staff: { id: 's-7', displayName: '李静' },
  service: 'vehicle_transfer',
  purpose: '办理机动车转移登记',
  documents: [
    { type: 'vehicle_registration', fields: service.required[0]!.fields, required: true },
    { type: 'residence_permit', fields: service.optional[0]!.fields, required: false },
  ],
  createdAt: NOW - 60_000,
  answerBy: NOW + 9 * 60_000,
  accessForMs: DAY,
};
const sign = (tbs: Uint8Array) => ed.sign(bffKey.secretKey, tbs);
const CODE = signRequestCode(KID, REQUEST, sign);
const ID = toHex(REQUEST.requestId);
const IDENTIFIERS: Record<string, string> = {
  vehicle_registration: testIdentifier('vehicle_registration'),
  residence_permit: testIdentifier('residence_permit'),
};

function viewOf(code: string, state: DocumentCallState): OpenedDocumentCall {
  const r = decodeRequestCode(code).request;
  return {
    id: toHex(r.requestId),
    state,
    ...requestView(r),
    requestDigest: requestCodeDigest(code),
    verified: true,
    kid: KID,
  };
}

function approvedAnswer(omit: string[]): DocumentCallAnswer {
  const approvedAt = NOW;
  const accessUntil = NOW + DAY;
  const docs = REQUEST.documents.filter((d) => !omit.includes(d.type));
  const receipt = {
    province: '37',
    requestId: REQUEST.requestId,
    requestDigest: sha256(decodeRequestCode(CODE).bytes),
    window: REQUEST.window,
    staff: REQUEST.staff,
    service: REQUEST.service,
    purpose: REQUEST.purpose,
    documents: docs.map((d) => ({
      type: d.type,
      identifier: IDENTIFIERS[d.type]!,
      digest: new Uint8Array(16).fill(7),
      fields: d.fields,
    })),
    approvedAt,
    accessUntil,
  };
  const bytes = signReceipt(KID, receipt, receiptSigner);
  return {
    call: { ...viewOf(CODE, 'delivered'), approvedAt, accessUntil, answeredAt: approvedAt, omitted: omit },
    receipt: {
      receipt: base64urlEncode(bytes),
      kid: KID,
      text: receiptText(receipt),
      view: {
        requestId: ID,
        requestDigest: requestCodeDigest(CODE),
        window: REQUEST.window,
        staff: REQUEST.staff,
        service: REQUEST.service,
        purpose: REQUEST.purpose,
        documents: receipt.documents.map((d) => ({
          ...d,
          digest: base64urlEncode(d.digest),
          fields: [...d.fields],
        })),
        approvedAt,
        accessUntil,
      },
    },
    delivered: docs.map((d) => ({
      type: d.type,
      identifier: IDENTIFIERS[d.type]!,
      status: d.type === 'residence_permit' ? ('revoked' as const) : ('valid' as const),
    })),
  };
}

let receiptSigner = sign;
let bff: FakeBff;
let opened: string[];
let approvals: unknown[];
let declines: number;
let withdrawals: number;
let state: DocumentCallState;
let answer: DocumentCallAnswer | undefined;
let openAnswer: (code: string) => [number, unknown];
let approveAnswer: (body: { omit?: string[] }) => [number, unknown];
let forgetTrustList: () => void;
let Approve: ComponentType;
let Receipt: ComponentType;

beforeAll(async () => {
  bff = await startFakeBff(async (req, res) => {
    const url = req.url ?? '';
    if (url === '/api/v1/trust-list') {
      return reply(res, 200, {
        issuedAt: NOW - DAY,
        maxStatusAgeMs: DAY,
        trustList: base64urlEncode(trustListBytes),
      });
    }
    if (url === '/api/v1/document-calls/open') {
      const { requestCode } = await readJson(req);
      opened.push(requestCode!);
      const [status, body] = openAnswer(requestCode!);
      return reply(res, status, body);
    }
    if (url === `/api/v1/document-calls/${ID}/approve`) {
      const body = await readJson(req);
      approvals.push(body);
      const [status, out] = approveAnswer(body as { omit?: string[] });
      return reply(res, status, out);
    }
    if (url === `/api/v1/document-calls/${ID}/decline`) {
      declines += 1;
      state = 'declined';
      return reply(res, 200, { call: viewOf(CODE, 'declined') });
    }
    if (url === `/api/v1/document-calls/${ID}/withdraw`) {
      withdrawals += 1;
      state = 'withdrawn';
      return reply(res, 200, { ...answer, call: { ...answer!.call, state: 'withdrawn' } });
    }
    if (url === `/api/v1/document-calls/${ID}`) return reply(res, 200, { ...answer!.call, state });
    if (url === `/api/v1/document-calls/${ID}/receipt`) return reply(res, 200, answer!.receipt);
    reply(res, 404, { code: 'NOT_FOUND', message: 'no', requestId: 'r' });
  });
  process.env.TARO_APP_API_BASE = bff.base;
  process.env.TARO_APP_TRUST_ROOT = toHex(root.publicKey);
  clock.now = () => NOW;
  await signInResident(NOW);
  // Loaded only now: the request module fixes the BFF's origin when it loads.
  ({ forgetTrustList } = await import('../../miniapp/src/calls/lib/trust'));
  Approve = (await import('../../miniapp/src/calls/pages/approve/index')).default;
  Receipt = (await import('../../miniapp/src/calls/pages/receipt/index')).default;
});

afterAll(() => {
  delete process.env.TARO_APP_TRUST_ROOT;
  return bff.close();
});

beforeEach(() => {
  act(() => setLang('zh'));
  removeStored('calls.answers');
  forgetTrustList();
  setRouterParams({});
  opened = [];
  approvals = [];
  declines = 0;
  withdrawals = 0;
  state = 'pending';
  answer = undefined;
  receiptSigner = sign;
  openAnswer = (code) => [200, viewOf(code, 'pending')];
  approveAnswer = (body) => {
    answer = approvedAnswer(body.omit ?? []);
    state = 'delivered';
    return [200, answer];
  };
});

afterEach(cleanup);

function review(code: string) {
  act(() => scannedCode.set(code));
  render(<Approve />);
}

/** The code with its payload changed but the original signature kept: what an attacker editing a code gets. */
function altered(change: Partial<DocumentRequest>): string {
  const { signature } = decodeRequestCode(CODE).sign1;
  return signRequestCode(KID, { ...REQUEST, ...change }, () => signature);
}

it('when a genuine request is scanned, then who is asking is shown verified, with the service, purpose, each document and its fields and the access expiry', async () => {
  review(CODE);
  expect(await screen.findByTestId('request-verified')).toHaveTextContent(
    '已核验：请求由政务服务平台签名，内容未被改动。',
  );
  const who = screen.getByTestId('requester');
  expect(who).toHaveTextContent('济南市公安局交通警察支队车辆管理所');
  expect(who).toHaveTextContent('3号窗口（机动车登记）');
  expect(who).toHaveTextContent('李静');
  expect(screen.getByText('机动车转移登记')).toBeInTheDocument();
  expect(screen.getByText('办理机动车转移登记')).toBeInTheDocument();

  const docs = screen.getAllByTestId('requested-document');
  expect(docs.map((d) => d.getAttribute('data-type'))).toEqual(['vehicle_registration', 'residence_permit']);
  expect(within(docs[0]!).getByText('必需')).toBeInTheDocument();
  expect(
    within(docs[0]!).getByText(/^读取：持证人姓名、持证人证件号码、.*号牌号码.*车辆识别代号.*检验有效期至$/),
  ).toBeInTheDocument();
  expect(within(docs[1]!).getByText('可选')).toBeInTheDocument();
  expect(
    within(docs[1]!).getByText('读取：持证人姓名、持证人证件号码、有效期至、行政区划代码、居住地住址'),
  ).toBeInTheDocument();
  expect(screen.getByTestId('access-expiry')).toHaveTextContent(
    '窗口可在 24 小时 内读取这些证照（约至 2026年12月3日 10:00）',
  );
  expect(screen.getByRole('button', { name: '同意提供' })).toBeEnabled();
  expect(opened).toEqual([CODE]);
});

it.each([
  [
    'signed by a key the trust list does not have',
    () => signRequestCode('rogue-37', REQUEST, (tbs) => ed.sign(rogue.secretKey, tbs)),
    '请求不是由可信的政务服务平台签发',
  ],
  [
    'signed under our key id with another key',
    () => signRequestCode(KID, REQUEST, (tbs) => ed.sign(rogue.secretKey, tbs)),
    '请求签名无效（被伪造或被改动）',
  ],
  [
    'altered after signing (another staff name)',
    () => altered({ staff: { id: 's-7', displayName: '王伟' } }),
    '请求签名无效（被伪造或被改动）',
  ],
  [
    'altered after signing (more fields)',
    () => altered({ purpose: '办理机动车转移登记及其他' }),
    '请求签名无效（被伪造或被改动）',
  ],
  ['not a request code at all', () => 'EIDR1:NOTACODE', '这不是有效的调证请求码'],
])(
  'when the code is %s, then it shows as not genuine, never reaches the BFF and cannot be approved',
  async (_, make, reason) => {
    review(make());
    const forged = await screen.findByTestId('request-forged');
    expect(forged).toHaveTextContent('不是真实的请求');
    expect(forged).toHaveTextContent(reason);
    expect(screen.queryByTestId('request-verified')).toBeNull();
    expect(screen.queryByRole('button', { name: '同意提供' })).toBeNull();
    expect(opened).toEqual([]);
  },
);

it('when the code verifies but the BFF has no such record, then it shows as not genuine with no approve button', async () => {
  openAnswer = () => [
    400,
    {
      code: 'DOCUMENT_REQUEST_INVALID',
      message: 'x',
      requestId: 'r',
      details: { reason: 'not_as_recorded' },
    },
  ];
  review(CODE);
  const forged = await screen.findByTestId('request-forged');
  expect(forged).toHaveTextContent('请求内容与平台记录不一致（被改动），不是真实请求');
  expect(screen.queryByRole('button', { name: '同意提供' })).toBeNull();
});

it('when the BFF describes another request than the signed one, then the page believes the signature and refuses', async () => {
  openAnswer = (code) => [200, { ...viewOf(code, 'pending'), staff: { id: 's-7', displayName: '王伟' } }];
  review(CODE);
  expect(await screen.findByTestId('request-forged')).toHaveTextContent('请求内容与平台记录不一致');
  expect(screen.queryByRole('button', { name: '同意提供' })).toBeNull();
});

it('when the request has passed its answer-by time, then the page says it expired and offers no approval', async () => {
  clock.now = () => NOW + 10 * 60_000;
  try {
    review(CODE);
    expect(await screen.findByText('请求已过期，请窗口重新发起。')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: '同意提供' })).toBeNull();
  } finally {
    clock.now = () => NOW;
  }
});

it('when the resident deselects the optional document and approves, then the approval names the digest and leaves it out', async () => {
  review(CODE);
  fireEvent.click(await screen.findByLabelText('提供居住证'));
  expect(within(screen.getAllByTestId('requested-document')[1]!).getByText('不提供')).toBeInTheDocument();
  // The required one has no such tick.
  expect(screen.queryByLabelText('提供机动车行驶证')).toBeNull();
  fireEvent.click(screen.getByRole('button', { name: '同意提供' }));
  await waitFor(() => expect(approvals).toHaveLength(1));
  expect(approvals[0]).toEqual({ requestDigest: requestCodeDigest(CODE), omit: ['residence_permit'] });
});

it('when the licence system is down at approval, then the resident reads "try again later" and can approve again', async () => {
  approveAnswer = () => [503, { code: 'LICENCE_SYSTEM_UNAVAILABLE', message: 'x', requestId: 'r' }];
  review(CODE);
  fireEvent.click(await screen.findByRole('button', { name: '同意提供' }));
  expect(await screen.findByText(/电子证照系统暂时无法访问，请稍后再试。 请求仍然有效/)).toBeInTheDocument();
  expect(screen.getByRole('button', { name: '同意提供' })).toBeEnabled();
  approveAnswer = (body) => {
    answer = approvedAnswer(body.omit ?? []);
    return [200, answer];
  };
  fireEvent.click(screen.getByRole('button', { name: '同意提供' }));
  await waitFor(() => expect(approvals).toHaveLength(2));
});

it('when the resident declines and confirms, then the BFF is told and the page says the window reads nothing', async () => {
  review(CODE);
  fireEvent.click(await screen.findByRole('button', { name: '拒绝' }));
  expect(screen.getByText('确定拒绝这个请求吗？窗口将无法读取您的证照。')).toBeInTheDocument();
  expect(declines).toBe(0);
  fireEvent.click(screen.getByRole('button', { name: '确定拒绝' }));
  expect(await screen.findByText('您已拒绝这个请求，窗口不会读取您的证照。')).toBeInTheDocument();
  expect(declines).toBe(1);
  expect(approvals).toHaveLength(0);
  expect(screen.queryByRole('button', { name: '同意提供' })).toBeNull();
});

it('when an approval is made, then the receipt shows what was shared with whom until when, verified from its signed bytes, and the resident can withdraw', async () => {
  review(CODE);
  fireEvent.click(await screen.findByRole('button', { name: '同意提供' }));
  await waitFor(() => expect(approvals).toHaveLength(1));
  cleanup();

  setRouterParams({ id: ID });
  render(<Receipt />);
  expect(await screen.findByTestId('receipt-verified')).toHaveTextContent('收据签名有效');
  expect(screen.getByText('济南市公安局交通警察支队车辆管理所')).toBeInTheDocument();
  expect(screen.getByText('李静')).toBeInTheDocument();
  const docs = screen.getByTestId('receipt-documents');
  expect(within(docs).getByText('机动车行驶证')).toBeInTheDocument();
  expect(within(docs).getByText(`证照标识：${IDENTIFIERS.vehicle_registration}`)).toBeInTheDocument();
  // A document the issuer revoked is delivered marked so, and the resident sees it.
  expect(within(docs).getByText('已注销')).toBeInTheDocument();
  expect(screen.getByTestId('receipt-until')).toHaveTextContent('2026年12月3日 10:00');

  fireEvent.click(await screen.findByRole('button', { name: '撤回授权' }));
  fireEvent.click(screen.getByRole('button', { name: '确定撤回' }));
  expect(await screen.findByText('您已撤回授权，窗口已无法再读取这些证照。')).toBeInTheDocument();
  expect(withdrawals).toBe(1);
  expect(screen.queryByRole('button', { name: '撤回授权' })).toBeNull();
});

it('when a receipt is not signed by a trusted key, then the page says it cannot be checked', async () => {
  receiptSigner = (tbs) => ed.sign(rogue.secretKey, tbs);
  review(CODE);
  fireEvent.click(await screen.findByRole('button', { name: '同意提供' }));
  await waitFor(() => expect(approvals).toHaveLength(1));
  cleanup();
  setRouterParams({ id: ID });
  render(<Receipt />);
  expect(await screen.findByText('无法核验这张收据的签名，请以平台记录为准。')).toBeInTheDocument();
  expect(screen.queryByTestId('receipt-verified')).toBeNull();
});
