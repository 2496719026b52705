import type { ComponentType } from 'react';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { act, configure, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import Taro from '@tarojs/taro';
import {
  DOCUMENT_SERVICES,
  base64urlEncode,
  documentType,
  fromHex,
  serviceDocument,
  type CreateDocumentCallRequest,
  type DeliveredDocument,
  type DocumentCallState,
  type WindowDocumentCall,
} from '@eid/shared';
import { setLang } from '../../miniapp/src/i18n';
import { clock } from '../../miniapp/src/lib/clock';
import { readJson, reply, startFakeBff, type FakeBff } from '../helpers/fake-bff';
import { requestView } from '../helpers/call-view';
import { setRouterParams } from './support/taro';
import { VECTORS } from '../shared/vectors';
import vectors from '../../docs/formats/vectors/licence-codes.json';

/**
 * The staff window's document call against a real HTTP server answering as the BFF does: the create form
 * (only what the catalogue allows can be asked), the signed request code with its countdown, the state as
 * the resident answers, the delivered documents with only the service's fields (a revoked one marked),
 * the annotated copy as a download link, the receipt checked against the vectors' trust list (this build
 * is told to pin the vectors' root), and "access ended" when the BFF answers 410.
 */

const { keys, trustList: trustVector } = VECTORS;
const request = vectors.request.request;
const CALL_ID = request.requestId;
const T0 = request.createdAt + 5_000;
const PDF = Buffer.from('%PDF-1.7 annotated copy for the test');

const SESSION = {
  accessToken: 'staff-token',
  expiresIn: 900,
  staff: {
    id: request.staff.id,
    displayName: request.staff.displayName,
    role: 'officer',
    org: request.window.organisation,
    window: { id: request.window.id, name: request.window.name },
  },
};

/** What the fake BFF answers; each test sets the parts it needs. */
const bffState: {
  state: DocumentCallState;
  documents: 'ok' | 'gone';
  created: CreateDocumentCallRequest[];
  pdfAuth: (string | undefined)[];
  addressed: boolean;
} = { state: 'pending', documents: 'ok', created: [], pdfAuth: [], addressed: false };

function callView(state: DocumentCallState): WindowDocumentCall {
  const delivered = state !== 'pending' && state !== 'declined' && state !== 'expired';
  return {
    id: CALL_ID,
    state,
    ...requestView(request),
    requestDigest: vectors.request.digest,
    requestCode: vectors.request.text,
    addressed: bffState.addressed,
    ...(delivered && {
      answeredAt: vectors.receipt.receipt.approvedAt,
      approvedAt: vectors.receipt.receipt.approvedAt,
      accessUntil: vectors.receipt.receipt.accessUntil,
    }),
  };
}

const vehicle = vectors.documents.vehicleRegistration;
const VEHICLE_FIELDS = request.documents[0]!.fields;

/** Delivered documents; the vehicle carries one field (`seats`) beyond the service's, which must not show. */
function delivered(): DeliveredDocument[] {
  const values = vehicle.values as Record<string, string | number>;
  return [
    {
      id: 'doc-vehicle01',
      type: 'vehicle_registration',
      zh: '机动车行驶证',
      en: 'Vehicle registration',
      identifier: vectors.receipt.receipt.documents[0]!.identifier,
      status: 'valid',
      validFrom: '2021-06-08',
      validUntil: null,
      issuer: '11370100EXAMPLE897',
      fields: {
        ...Object.fromEntries(VEHICLE_FIELDS.map((k) => [k, values[k] ?? null])),
        seats: values.seats!,
      },
      credential: base64urlEncode(fromHex(vehicle.credential)),
    },
    {
      id: 'doc-permit001',
      type: 'residence_permit',
      zh: '居住证',
      en: 'Residence permit',
      identifier: '1.2.156.3005.2.x',
      status: 'revoked',
      validFrom: '2024-01-01',
      validUntil: '2027-01-01',
      issuer: '11370100EXAMPLE897',
      fields: {
        holderName: '欧阳明远',
        holderIdNumber: '370102199003071238',
        validUntil: '2027-01-01',
        areaCode: '370102',
        residenceAddress: '山东省济南市历下区泉城路180号',
      },
      credential: base64urlEncode(fromHex(vehicle.credential)),
    },
  ];
}

let receiptBytes = vectors.receipt.bytes;

const gone = (res: ServerResponse) =>
  reply(res, 410, { code: 'DOCUMENT_ACCESS_EXPIRED', message: 'x', requestId: 'r' });

async function handle(req: IncomingMessage, res: ServerResponse) {
  const url = req.url ?? '';
  if (url === '/api/v1/document-services') return reply(res, 200, DOCUMENT_SERVICES);
  if (url === '/api/v1/trust-list')
    return reply(res, 200, {
      issuedAt: trustVector.content.issuedAt,
      maxStatusAgeMs: 3_600_000,
      trustList: base64urlEncode(fromHex(trustVector.bytes)),
    });
  if (req.headers.authorization !== `Bearer ${SESSION.accessToken}`)
    return reply(res, 401, { code: 'UNAUTHENTICATED', message: 'x', requestId: 'r' });
  if (url === '/api/v1/document-calls' && req.method === 'POST') {
    const body = (await readJson(req)) as unknown as CreateDocumentCallRequest;
    bffState.created.push(body);
    return reply(res, 201, callView('pending'));
  }
  const base = `/api/v1/document-calls/${CALL_ID}`;
  if (url === base) return reply(res, 200, callView(bffState.state));
  if (url === `${base}/documents`) {
    if (bffState.documents === 'gone') return gone(res);
    return reply(res, 200, {
      id: CALL_ID,
      accessUntil: vectors.receipt.receipt.accessUntil,
      documents: delivered(),
      missing: [],
    });
  }
  if (url === `${base}/receipt`)
    return reply(res, 200, {
      receipt: base64urlEncode(fromHex(receiptBytes)),
      kid: vectors.receipt.kid,
      text: vectors.receipt.text,
      view: {},
    });
  if (url.startsWith(`${base}/documents/`) && url.endsWith('/annotated.pdf')) {
    bffState.pdfAuth.push(req.headers.authorization);
    if (bffState.documents === 'gone') return gone(res);
    res.writeHead(200, { 'content-type': 'application/pdf', 'access-control-allow-origin': '*' });
    return res.end(PDF);
  }
  reply(res, 404, { code: 'NOT_FOUND', message: 'no', requestId: 'r' });
}

let bff: FakeBff;
let StaffWindow: ComponentType;
let WindowCall: ComponentType;
let staffStore: { set(v: unknown): void };
const blobs: Blob[] = [];

// Receipt signatures are checked with tweetnacl in jsdom on a shared machine: waits are generous.
configure({ asyncUtilTimeout: 10_000 });
jest.setTimeout(30_000);

beforeAll(async () => {
  bff = await startFakeBff(handle);
  process.env.TARO_APP_API_BASE = bff.base;
  process.env.TARO_APP_TRUST_ROOT = keys.root.publicKey;
  clock.now = () => T0;
  // jsdom has no object URLs; the page needs one per downloaded copy.
  URL.createObjectURL = (blob: Blob) => {
    blobs.push(blob);
    return `blob:${bff.base}/${blobs.length}`;
  };
  URL.revokeObjectURL = () => undefined;
  StaffWindow = (await import('../../miniapp/src/staff/pages/window/index')).default;
  WindowCall = (await import('../../miniapp/src/staff/pages/window-call/index')).default;
  const poll = (await import('../../miniapp/src/staff/pages/window-call/useWindowCall')).WINDOW_POLL;
  Object.assign(poll, { pendingMs: 40, deliveredMs: 40, retryMs: 40 });
  ({ staffStore } = (await import('../../miniapp/src/services/request')) as never);
});

afterAll(() => bff.close());

beforeEach(() => {
  act(() => setLang('zh'));
  act(() => staffStore.set(SESSION));
  Object.assign(bffState, { state: 'pending', documents: 'ok', created: [], pdfAuth: [], addressed: false });
});

const serviceSelect = () => screen.getByLabelText('办理事项') as HTMLSelectElement;

describe('staff window: creating a document call', () => {
  it('when the window picks vehicle transfer, then the registration is fixed, the residence permit optional, the fields read-only, and only types are sent', async () => {
    const navigate = jest.spyOn(Taro, 'navigateTo').mockResolvedValue(undefined as never);
    render(<StaffWindow />);
    await screen.findByText(`服务窗口：${request.window.name}`);
    fireEvent.change(await screen.findByLabelText('办理事项'), { target: { value: 'vehicle_transfer' } });

    const required = screen.getByTestId('window-doc-vehicle_registration');
    expect(required).toHaveAttribute('data-required', 'true');
    expect(within(required).queryByRole('checkbox')).toBeNull();
    expect(required).toHaveTextContent('必需');
    expect(required).toHaveTextContent('号牌号码');
    expect(required).toHaveTextContent('车辆识别代号');
    // Fields are words, not inputs: there is nothing to tick or type for them.
    expect(within(required).queryByRole('textbox')).toBeNull();
    const optional = screen.getByTestId('window-doc-residence_permit');
    expect(within(optional).getByRole('checkbox')).not.toBeChecked();

    // The service reads for at most one day: longer choices are not offered.
    const access = screen.getByLabelText('批准后可调阅时长') as HTMLSelectElement;
    expect(Array.from(access.options).map((o) => o.textContent)).toEqual([
      '1 小时',
      '4 小时',
      '1 个工作日（默认）',
    ]);
    expect(access.value).toBe(String(24 * 3_600_000));
    expect(screen.getByLabelText('调证事由')).toHaveValue('办理机动车转移登记');

    fireEvent.click(screen.getByRole('button', { name: '生成调证码' }));
    await waitFor(() => expect(bffState.created).toHaveLength(1));
    expect(bffState.created[0]).toEqual({
      service: 'vehicle_transfer',
      purpose: '办理机动车转移登记',
      documents: [{ type: 'vehicle_registration' }],
      accessForMs: 24 * 3_600_000,
    });
    await waitFor(() => expect(navigate).toHaveBeenCalled());
    expect(navigate.mock.calls[0]![0]).toEqual({ url: `/staff/pages/window-call/index?id=${CALL_ID}` });
    navigate.mockRestore();
  });

  it('when every optional document of every service is ticked, then the request names only the service’s types and never a field', async () => {
    jest.spyOn(Taro, 'navigateTo').mockResolvedValue(undefined as never);
    render(<StaffWindow />);
    await screen.findByLabelText('办理事项');
    for (const service of DOCUMENT_SERVICES) {
      fireEvent.change(serviceSelect(), { target: { value: service.code } });
      const listed = Array.from(document.querySelectorAll('[data-testid^="window-doc-"]')).map((el) =>
        el.getAttribute('data-testid')!.replace('window-doc-', ''),
      );
      expect(listed).toEqual([...service.required, ...service.optional].map((d) => d.type));
      for (const box of screen.queryAllByRole('checkbox'))
        if (!(box as HTMLInputElement).checked) fireEvent.click(box);
      const before = bffState.created.length;
      // The previous round's request may still be settling: the button is back once it has.
      fireEvent.click(await screen.findByRole('button', { name: '生成调证码' }));
      await waitFor(() => expect(bffState.created.length).toBe(before + 1));
      const sent = bffState.created.at(-1)!;
      expect(sent.service).toBe(service.code);
      expect(sent.accessForMs).toBeLessThanOrEqual(service.maxAccessMs);
      for (const d of sent.documents) {
        expect(serviceDocument(service, d.type)).toBeDefined();
        expect(d).toEqual({ type: d.type });
      }
      expect(sent.documents.map((d) => d.type)).toEqual(listed);
    }
    jest.restoreAllMocks();
  });

  it('when a service requires nothing and nothing is ticked, then the form says to choose a document and sends nothing', async () => {
    render(<StaffWindow />);
    fireEvent.change(await screen.findByLabelText('办理事项'), { target: { value: 'business_licence' } });
    fireEvent.click(screen.getByRole('button', { name: '生成调证码' }));
    expect(await screen.findByText('请至少选择一种证照。')).toBeInTheDocument();
    expect(bffState.created).toHaveLength(0);
  });

  it('when the purpose is emptied, then the form asks for one and sends nothing', async () => {
    render(<StaffWindow />);
    fireEvent.change(await screen.findByLabelText('调证事由'), { target: { value: '  ' } });
    fireEvent.click(screen.getByRole('button', { name: '生成调证码' }));
    expect(await screen.findByText('请填写调证事由。')).toBeInTheDocument();
    expect(bffState.created).toHaveLength(0);
  });

  it('when the account has no window, then the page says so instead of the form', async () => {
    act(() => staffStore.set({ ...SESSION, staff: { ...SESSION.staff, window: undefined } }));
    render(<StaffWindow />);
    expect(await screen.findByText(/此账号没有分配服务窗口/)).toBeInTheDocument();
    expect(screen.queryByLabelText('办理事项')).toBeNull();
  });
});

describe('staff window: following a document call', () => {
  beforeEach(() => setRouterParams({ id: CALL_ID }));

  const state = () => screen.getByTestId('window-state').getAttribute('data-state');

  it('when the request waits for the resident, then its signed code is shown with the time left to answer', async () => {
    render(<WindowCall />);
    const qr = await screen.findByRole('img', { name: '调证码：请居民用电子证照扫描' });
    expect(qr).toHaveAttribute('data-code', vectors.request.text);
    expect(state()).toBe('pending');
    expect(screen.getByTestId('window-countdown')).toHaveTextContent('请在 09:55 内答复');
    expect(screen.getByText('等待居民确认')).toBeInTheDocument();
    expect(
      screen.getByText(/3号窗口（机动车登记）（济南市公安局交通警察支队车辆管理所），经办人 李静/),
    ).toBeInTheDocument();
  });

  it('when the answer-by time passes on the window’s clock, then the code goes away', async () => {
    clock.now = () => request.answerBy + 1;
    try {
      render(<WindowCall />);
      expect(await screen.findByTestId('window-code-over')).toHaveTextContent('请求已过期');
      expect(screen.queryByRole('img', { name: '调证码：请居民用电子证照扫描' })).toBeNull();
    } finally {
      clock.now = () => T0;
    }
  });

  it('when the resident approves, then the state changes, the documents show only the service’s fields, the revoked one is marked, and the receipt verifies', async () => {
    render(<WindowCall />);
    await screen.findByTestId('window-code');
    bffState.state = 'delivered';
    await waitFor(() => expect(state()).toBe('delivered'));
    expect(screen.queryByTestId('window-code')).toBeNull();

    const car = await screen.findByTestId('window-delivered-vehicle_registration');
    const shown = Array.from(car.querySelectorAll('[data-field]')).map((el) => el.getAttribute('data-field'));
    const registration = documentType('vehicle_registration')!;
    expect(shown).toEqual(registration.fields.map((f) => f.key).filter((k) => VEHICLE_FIELDS.includes(k)));
    expect(shown).not.toContain('seats');
    expect(car).toHaveTextContent('鲁A8K2M7');
    expect(car).toHaveTextContent('LSVAU218XN2183294');
    expect(car).not.toHaveTextContent('核定载人数');
    expect(car).toHaveAttribute('data-status', 'valid');

    const permit = screen.getByTestId('window-delivered-residence_permit');
    expect(permit).toHaveAttribute('data-status', 'revoked');
    expect(within(permit).getByRole('alert')).toHaveTextContent(
      '签发机关已注销此证照：不能作为有效证照受理。',
    );
    expect(permit).toHaveTextContent('已注销');

    const receipt = await screen.findByTestId('window-receipt');
    await waitFor(() => expect(receipt).toHaveAttribute('data-check', 'verified'));
    expect(receipt).toHaveTextContent(`回执签名已按信任列表核验（签名密钥 ${vectors.receipt.kid}）`);
    expect(receipt).toHaveTextContent('回执编号：c53346a0894443ad909f50d20030a467');
  });

  it('when the window downloads an annotated copy, then the PDF comes with the staff token and is offered as a download link', async () => {
    const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    bffState.state = 'delivered';
    render(<WindowCall />);
    const car = await screen.findByTestId('window-delivered-vehicle_registration');
    fireEvent.click(within(car).getByRole('button', { name: '下载加注件（PDF）' }));
    const link = await within(car).findByTestId('window-pdf-doc-vehicle01');
    expect(link.tagName).toBe('A');
    expect(link).toHaveAttribute('download', 'vehicle_registration-doc-vehicle01.pdf');
    expect(link.getAttribute('href')).toMatch(/^blob:/);
    expect(click).toHaveBeenCalledTimes(1);
    expect(bffState.pdfAuth).toEqual([`Bearer ${SESSION.accessToken}`]);
    const blob = blobs.at(-1)!;
    expect(blob.type).toBe('application/pdf');
    expect(blob.size).toBe(PDF.length);
    click.mockRestore();
  });

  it('when the resident withdraws, then the documents leave the screen and the window reads that access ended', async () => {
    bffState.state = 'delivered';
    render(<WindowCall />);
    await screen.findByTestId('window-delivered-vehicle_registration');
    bffState.state = 'withdrawn';
    expect(await screen.findByTestId('window-access-ended')).toHaveTextContent('调阅已结束');
    expect(state()).toBe('withdrawn');
    expect(screen.queryByTestId('window-delivered-vehicle_registration')).toBeNull();
    // The window keeps its receipt.
    expect(screen.getByTestId('window-receipt')).toBeInTheDocument();
  });

  it('when the receipt was altered, then the window is told not to rely on it', async () => {
    receiptBytes = vectors.receipt.altered;
    try {
      bffState.state = 'delivered';
      render(<WindowCall />);
      const receipt = await screen.findByTestId('window-receipt');
      await waitFor(() => expect(receipt).toHaveAttribute('data-check', 'bad'));
      expect(receipt).toHaveTextContent('回执签名核验未通过');
    } finally {
      receiptBytes = vectors.receipt.bytes;
    }
  });

  it('when the BFF answers 410 for the documents, then the window reads "access ended" and sees no document', async () => {
    bffState.state = 'delivered';
    bffState.documents = 'gone';
    render(<WindowCall />);
    expect(await screen.findByTestId('window-access-ended')).toHaveTextContent(
      '调阅已结束：调阅期限已到或居民已撤回授权，本窗口不能再查看这些证照。',
    );
    expect(screen.queryByTestId('window-delivered-vehicle_registration')).toBeNull();
  });

  it('when the download answers 410, then the page says access ended', async () => {
    bffState.state = 'delivered';
    render(<WindowCall />);
    const car = await screen.findByTestId('window-delivered-vehicle_registration');
    bffState.documents = 'gone';
    fireEvent.click(within(car).getByRole('button', { name: '下载加注件（PDF）' }));
    expect(await screen.findByTestId('window-access-ended')).toBeInTheDocument();
    expect(screen.queryByTestId('window-delivered-vehicle_registration')).toBeNull();
  });

  it.each([
    ['declined', '居民已拒绝', '居民拒绝了此次调证'],
    ['expired', '请求已过期', '请求在答复期限内没有得到答复'],
  ] as const)(
    'when the request is %s, then the window reads it and no code is shown',
    async (s, title, hint) => {
      render(<WindowCall />);
      await screen.findByTestId('window-code');
      bffState.state = s;
      await waitFor(() => expect(state()).toBe(s));
      expect(screen.getByTestId('window-state')).toHaveTextContent(title);
      expect(screen.getByText(new RegExp(hint))).toBeInTheDocument();
      expect(screen.queryByTestId('window-code')).toBeNull();
    },
  );

  it('when the call is another window’s, then the page says it was not found', async () => {
    setRouterParams({ id: 'ffffffffffffffffffffffffffffffff' });
    render(<WindowCall />);
    expect(await screen.findByRole('alert')).toHaveTextContent('没有找到相关内容。');
  });

  it('when the staff member is not signed in, then the page asks for sign-in first', async () => {
    act(() => staffStore.set(null));
    render(<WindowCall />);
    expect(screen.getByRole('button', { name: '登录' })).toBeInTheDocument();
  });
});
