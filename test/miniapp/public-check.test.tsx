import type { ComponentType } from 'react';
import type { IncomingMessage, ServerResponse } from 'node:http';
import util from 'node:util';
import { act, configure, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { base64urlEncode, fromHex, type LicenceVerifyAnswer, type Verdict } from '@eid/shared';
import { setLang } from '../../miniapp/src/i18n';
import { clock } from '../../miniapp/src/lib/clock';
import { removeStored } from '../../miniapp/src/lib/storage';
import { quietCutConnections, readJson, reply, startFakeBff, type FakeBff } from '../helpers/fake-bff';
import { VECTORS } from '../shared/vectors';
import vectors from '../../docs/formats/vectors/licence-codes.json';

/**
 * The public verification page (no sign-in) against a real HTTP server answering as the BFF does: each
 * verdict in plain words with only what the answer discloses, a PDF upload sent as base64, and, with the
 * network cut, every vector document code and annotated copy checked on the device with the lists the page
 * kept (the vectors' trust list, licence-issuer list and status list; this build pins the vectors' root).
 *
 * Text and test ids relied on: `[data-verdict]` (with `data-offline="true"` when checked on the device),
 * `check-document`, `check-fields` (rows carry `data-field`), `check-annotation`, `check-offline`,
 * `check-status-age`.
 */

const { keys, trustList: trustVector } = VECTORS;
const STATUS_KID = vectors.statusList.kid;
const NOW = 1795420805000;
const MINUTE = 60_000;
/** A PDF whose information names its payload as pdfkit writes it: an indirect object holding a literal. */
const pdfWith = (payload: string) =>
  Buffer.from(
    `%PDF-1.3\n7 0 obj\n(${payload})\nendobj\n8 0 obj\n<<\n/Producer (PDFKit)\n/Keywords 7 0 R\n>>\nendobj\ntrailer\n<<\n/Info 8 0 R\n>>\n%%EOF\n`,
    'latin1',
  );
const PDF = pdfWith(vectors.annotated.text);
/** A PDF with no payload the device can read (an older renderer, or a scan of the paper). */
const BARE_PDF = Buffer.from('%PDF-1.7\n1 0 obj\n<< /Title (scan) >>\nendobj\n%%EOF\n', 'latin1');

const DOCUMENT = {
  type: 'driving_licence',
  zh: '机动车驾驶证',
  en: 'Driving licence',
  identifier: '1.2.156.3005.2.x.11370100EXAMPLE897.3701002020DL00012345.001.K',
  issuer: { uscc: '11370100EXAMPLE897', name: '山东省济南市公安局交通警察支队' },
  validFrom: '2020-03-16',
  validUntil: '2030-03-16',
};
const SHOWN = { holderName: '欧阳明远', documentNumber: '370102199003071238', vehicleClass: 'C1' };

/** Online answers by the code text sent: one per verdict (and both kinds of `expired`). */
const ANSWERS: Record<string, LicenceVerifyAnswer> = {
  'EIDD1:valid': {
    verdict: 'valid',
    checkedAt: NOW,
    format: 'code',
    document: DOCUMENT,
    purpose: 'government_services',
    fields: SHOWN,
    statusAgeMs: 3 * MINUTE,
  },
  'EIDD1:expired-document': {
    verdict: 'expired',
    checkedAt: NOW,
    format: 'code',
    document: { ...DOCUMENT, validUntil: '2020-03-16' },
    fields: SHOWN,
  },
  'EIDD1:expired-code': { verdict: 'expired', checkedAt: NOW, format: 'code', document: DOCUMENT },
  'EIDD1:not-yet': { verdict: 'not_yet_valid', checkedAt: NOW, format: 'code', document: DOCUMENT },
  'EIDD1:revoked': { verdict: 'revoked', checkedAt: NOW, format: 'code', document: DOCUMENT, fields: SHOWN },
  'EIDD1:suspended': { verdict: 'suspended', checkedAt: NOW, format: 'code', document: DOCUMENT },
  'EIDD1:unknown': { verdict: 'unknown_issuer', checkedAt: NOW, format: 'code' },
  'EIDD1:bad': { verdict: 'bad_signature', checkedAt: NOW, format: 'code', document: DOCUMENT },
  'EIDD1:tampered': { verdict: 'tampered', checkedAt: NOW, format: 'code', document: DOCUMENT },
  'EIDD1:status-old': {
    verdict: 'status_unknown',
    checkedAt: NOW,
    format: 'code',
    document: DOCUMENT,
    fields: SHOWN,
    statusAgeMs: 2 * 60 * MINUTE + 5 * MINUTE,
  },
  'EIDD1:status-none': { verdict: 'status_unknown', checkedAt: NOW, format: 'code', document: DOCUMENT },
  'EIDD1:replayed': { verdict: 'replayed', checkedAt: NOW, format: 'code', document: DOCUMENT },
  nonsense: { verdict: 'malformed', checkedAt: NOW },
};

const ANNOTATED_ANSWER: LicenceVerifyAnswer = {
  verdict: 'valid',
  checkedAt: NOW,
  format: 'annotated',
  document: {
    ...DOCUMENT,
    type: 'vehicle_registration',
    zh: '机动车行驶证',
    en: 'Vehicle registration',
    validUntil: null,
  },
  fields: { holderName: '欧阳明远', plateNumber: '鲁A8K2M7' },
  annotation: {
    service: 'vehicle_transfer',
    purpose: '办理机动车转移登记',
    windowName: '3号窗口（机动车登记）',
    organisation: '济南市公安局交通警察支队车辆管理所',
    accessUntil: vectors.annotated.annotation.claims.accessUntil,
    annotatedAt: vectors.annotated.annotation.claims.annotatedAt,
  },
  statusAgeMs: MINUTE,
};

let network: 'up' | 'down' = 'up';
const asked: string[] = [];
const bodies: Record<string, string>[] = [];
const authHeaders: (string | undefined)[] = [];

async function handle(req: IncomingMessage, res: ServerResponse) {
  asked.push(`${req.method} ${req.url}`);
  if (network === 'down') return req.socket.destroy();
  const url = req.url ?? '';
  if (url === '/api/v1/trust-list')
    return reply(res, 200, {
      issuedAt: trustVector.content.issuedAt,
      maxStatusAgeMs: 3_600_000,
      trustList: base64urlEncode(fromHex(trustVector.bytes)),
    });
  if (url === '/api/v1/trust/licence-issuers')
    return reply(res, 200, {
      ...vectors.issuerList.content,
      issuers: undefined,
      licenceIssuers: base64urlEncode(fromHex(vectors.issuerList.bytes)),
    });
  if (url === `/api/v1/licences/status-lists/${STATUS_KID}`)
    return reply(res, 200, {
      kid: STATUS_KID,
      issuedAt: vectors.statusList.issuedAt,
      ttlSeconds: vectors.statusList.ttlSeconds,
      statusList: base64urlEncode(fromHex(vectors.statusList.bytes)),
    });
  if (url === '/api/v1/licences/verify' && req.method === 'POST') {
    authHeaders.push(req.headers.authorization);
    const body = await readJson(req);
    bodies.push(body);
    if (body.pdf !== undefined) {
      if (Buffer.from(body.pdf, 'base64').equals(BARE_PDF)) return reply(res, 200, ANNOTATED_ANSWER);
      return reply(res, 200, { verdict: 'malformed', checkedAt: NOW });
    }
    if (body.code === vectors.annotated.text) return reply(res, 200, ANNOTATED_ANSWER);
    return reply(res, 200, ANSWERS[body.code!] ?? { verdict: 'valid', checkedAt: NOW, format: 'code' });
  }
  reply(res, 404, { code: 'NOT_FOUND', message: 'no', requestId: 'r' });
}

let bff: FakeBff;
let PublicCheck: ComponentType;

// Offline checks verify signatures with tweetnacl in jsdom on a shared machine: waits are generous.
configure({ asyncUtilTimeout: 10_000 });
jest.setTimeout(60_000);

beforeAll(async () => {
  quietCutConnections();
  bff = await startFakeBff(handle);
  process.env.TARO_APP_API_BASE = bff.base;
  process.env.TARO_APP_TRUST_ROOT = keys.root.publicKey;
  clock.now = () => NOW;
  PublicCheck = (await import('../../miniapp/src/check/pages/verify/index')).default;
});

afterAll(async () => {
  await bff.close();
  jest.restoreAllMocks();
});

beforeEach(() => {
  network = 'up';
  act(() => setLang('zh'));
});

const verdict = () => document.querySelector('[data-verdict]');

async function checkText(text: string) {
  fireEvent.change(screen.getByLabelText('证照码或加注件二维码文本'), { target: { value: text } });
  fireEvent.click(screen.getByRole('button', { name: '核验' }));
  await waitFor(() => expect(verdict()).not.toBeNull());
  return verdict()!;
}

describe('public check page, online', () => {
  it('when a valid code is checked, then it reads valid with only the fields the code discloses, and no sign-in is asked', async () => {
    render(<PublicCheck />);
    const title = await checkText('EIDD1:valid');
    expect(title).toHaveAttribute('data-verdict', 'valid');
    expect(title).toHaveTextContent('有效');
    expect(screen.getByText(/证照真实有效，由签发机关签发、从持证人本人手机出示/)).toBeInTheDocument();
    const doc = screen.getByTestId('check-document');
    expect(doc).toHaveTextContent('机动车驾驶证');
    expect(doc).toHaveTextContent('山东省济南市公安局交通警察支队');
    expect(doc).toHaveTextContent('政务服务');
    const shown = Array.from(screen.getByTestId('check-fields').querySelectorAll('[data-field]')).map((el) =>
      el.getAttribute('data-field'),
    );
    expect(shown).toEqual(['holderName', 'documentNumber', 'vehicleClass']);
    expect(screen.getByTestId('check-fields')).toHaveTextContent('欧阳明远');
    expect(screen.queryByRole('button', { name: '登录' })).toBeNull();
    expect(authHeaders.at(-1)).toBeUndefined();
    expect(bodies.at(-1)).toEqual({ code: 'EIDD1:valid' });
  });

  it.each<[string, Verdict, string, RegExp]>([
    ['EIDD1:expired-document', 'expired', '已过期', /证照已超过有效期/],
    ['EIDD1:expired-code', 'expired', '已过期', /二维码已过期（每个码约 1 分钟有效）/],
    ['EIDD1:not-yet', 'not_yet_valid', '尚未生效', /出示手机的时间可能不准确/],
    ['EIDD1:revoked', 'revoked', '已注销', /签发机关已注销此证照/],
    ['EIDD1:suspended', 'suspended', '已暂停', /签发机关已暂停此证照的效力/],
    ['EIDD1:unknown', 'unknown_issuer', '签发机关未知', /不在受信任的签发机关名单中/],
    ['EIDD1:bad', 'bad_signature', '签名无效', /可能是伪造的，或被复制到他人手机/],
    ['EIDD1:tampered', 'tampered', '内容被篡改', /与签发机关签名的不一致/],
    ['EIDD1:status-old', 'status_unknown', '状态暂无法确认', /签发机关状态数据：2 小时前更新/],
    ['EIDD1:status-none', 'status_unknown', '状态暂无法确认', /没有可用的签发机关状态数据/],
    ['EIDD1:replayed', 'replayed', '二维码已使用', /请持证人出示新的二维码/],
    ['nonsense', 'malformed', '无法识别', /不是有效的电子证照码或加注件/],
  ])('when the BFF answers %s, then the page reads "%s" in plain words', async (code, v, title, hint) => {
    render(<PublicCheck />);
    const shown = await checkText(code);
    expect(shown).toHaveAttribute('data-verdict', v);
    expect(shown).toHaveTextContent(title);
    expect(screen.getByText(hint)).toBeInTheDocument();
    // Fields that are not the issuer's are never shown; fields of a genuine but invalid document are for comparison.
    if (v === 'tampered' || v === 'bad_signature' || v === 'unknown_issuer')
      expect(screen.queryByTestId('check-fields')).toBeNull();
    if (ANSWERS[code]!.fields)
      expect(screen.getByTestId('check-fields')).toHaveTextContent('仅供与纸面或持证人核对，不代表证照有效');
    if (v === 'unknown_issuer' || v === 'malformed')
      expect(screen.queryByTestId('check-document')).toBeNull();
  });

  it('when an annotated copy’s PDF is uploaded, then the payload it carries is read on the device and checked, and the verdict shows the annotation', async () => {
    render(<PublicCheck />);
    const input = screen.getByLabelText('上传加注件 PDF') as HTMLInputElement;
    fireEvent.change(input, {
      target: { files: [new File([PDF], 'copy.pdf', { type: 'application/pdf' })] },
    });
    await waitFor(() => expect(verdict()).not.toBeNull());
    // The payload (a few kilobytes), not the file.
    expect(bodies.at(-1)).toEqual({ code: vectors.annotated.text });
    expect(verdict()).toHaveAttribute('data-verdict', 'valid');
    expect(screen.getByText(/加注件真实：内容与签发机关签发的证照一致/)).toBeInTheDocument();
    const annotation = screen.getByTestId('check-annotation');
    expect(annotation).toHaveTextContent(
      '仅供济南市公安局交通警察支队车辆管理所3号窗口（机动车登记）办理“办理机动车转移登记”使用',
    );
    expect(annotation).toHaveTextContent('机动车转移登记');
    expect(annotation).toHaveTextContent('窗口调阅期限至2026年11月24日 16:02');
    expect(screen.getByTestId('check-document')).toHaveTextContent('长期');
  });

  it('when the PDF is one the BFF rendered, then the device finds its payload', async () => {
    // The BFF's own renderer (pdfkit with the CJK font), so the reading here follows what it writes.
    // pdfkit needs the text codecs jsdom leaves out; Node's are the same API.
    Object.assign(globalThis, { TextEncoder: util.TextEncoder, TextDecoder: util.TextDecoder });
    const { renderAnnotatedCopy } = await import('../../bff/src/modules/licence/annotated-copy');
    const rendered = await renderAnnotatedCopy({
      document: {
        typeName: '机动车行驶证',
        licenceIdentifier: vectors.receipt.receipt.documents[0]!.identifier,
        number: vectors.annotated.fields.documentNumber,
        holderName: vectors.annotated.fields.holderName,
        issuerName: vectors.annotated.fields.issuerName,
        issueDate: '2021-06-08',
        validity: { from: '2021-06-08', until: null },
        fields: [{ label: '号牌号码', value: vectors.annotated.fields.plateNumber }],
      },
      annotation: {
        service: '机动车转移登记',
        purpose: '办理机动车转移登记',
        windowName: '3号窗口（机动车登记）',
        organisation: '济南市公安局交通警察支队车辆管理所',
        staffName: '李静',
        expiresAt: vectors.annotated.annotation.claims.accessUntil,
        annotatedAt: vectors.annotated.annotation.claims.annotatedAt,
      },
      qrText: vectors.annotated.text,
    });
    render(<PublicCheck />);
    fireEvent.change(screen.getByLabelText('上传加注件 PDF'), {
      target: {
        files: [new File([Buffer.from(rendered)], 'vehicle_registration.pdf', { type: 'application/pdf' })],
      },
    });
    await waitFor(() => expect(verdict()).not.toBeNull());
    expect(bodies.at(-1)).toEqual({ code: vectors.annotated.text });
  });

  it('when a PDF carries no payload the device can read, then the file goes to the BFF as base64', async () => {
    render(<PublicCheck />);
    fireEvent.change(screen.getByLabelText('上传加注件 PDF'), {
      target: { files: [new File([BARE_PDF], 'scan.pdf', { type: 'application/pdf' })] },
    });
    await waitFor(() => expect(verdict()).not.toBeNull());
    expect(bodies.at(-1)).toEqual({ pdf: BARE_PDF.toString('base64') });
    expect(verdict()).toHaveAttribute('data-verdict', 'valid');
  });

  it('when a file that is not a PDF is chosen, then nothing is sent', async () => {
    render(<PublicCheck />);
    const before = bodies.length;
    fireEvent.change(screen.getByLabelText('上传加注件 PDF'), {
      target: { files: [new File(['hello'], 'notes.txt', { type: 'text/plain' })] },
    });
    expect(await screen.findByText('请选择 PDF 文件。')).toBeInTheDocument();
    expect(bodies.length).toBe(before);
  });

  it('when the field is empty, then the page asks for a code and sends nothing', async () => {
    render(<PublicCheck />);
    const before = bodies.length;
    fireEvent.click(screen.getByRole('button', { name: '核验' }));
    expect(await screen.findByText('请先扫描或粘贴证照码。')).toBeInTheDocument();
    expect(bodies.length).toBe(before);
  });
});

describe('public check page, offline', () => {
  const offlineCases = vectors.cases.filter((c) => c.kind === 'code' || c.kind === 'annotated');

  beforeAll(async () => {
    // Online once: the page keeps the trust and licence-issuer lists on opening, and the issuing body's
    // status list after checking one of its documents.
    clock.now = () => NOW;
    const { unmount } = render(<PublicCheck />);
    await waitFor(() => expect(asked).toContain('GET /api/v1/trust/licence-issuers'));
    await checkText(offlineCases[0]!.input);
    await waitFor(() => expect(asked).toContain(`GET /api/v1/licences/status-lists/${STATUS_KID}`));
    // Written after the answer arrives: give the page the moment to keep it.
    await waitFor(() => expect(localStorage.getItem(`eid.check.status.${STATUS_KID}`)).not.toBeNull());
    unmount();
  });

  afterEach(() => {
    clock.now = () => NOW;
  });

  it.each(offlineCases.map((c) => [c.name, c] as const))(
    'when the network is down and the vector "%s" is checked, then the device gives the vector verdict and says it checked offline',
    async (_name, c) => {
      network = 'down';
      clock.now = () => c.now;
      let kept: string | null = null;
      if (c.statusList === 'none') {
        kept = localStorage.getItem(`eid.check.status.${STATUS_KID}`);
        removeStored(`check.status.${STATUS_KID}`);
      }
      try {
        render(<PublicCheck />);
        const shown = await checkText(c.input);
        expect(shown).toHaveAttribute('data-verdict', c.expect);
        expect(shown).toHaveAttribute('data-offline', 'true');
        const note = screen.getByTestId('check-offline');
        expect(note).toHaveTextContent('离线核验');
        if (c.statusList === 'none') expect(note).toHaveTextContent('本机没有此签发机关的状态数据');
        if (c.expect === 'valid') expect(note).toHaveTextContent(/状态数据 \d+ 分钟前更新/);
        if (c.kind === 'annotated' && c.expect === 'valid')
          expect(screen.getByTestId('check-annotation')).toHaveTextContent('3号窗口（机动车登记）');
      } finally {
        if (kept) localStorage.setItem(`eid.check.status.${STATUS_KID}`, kept);
      }
    },
  );

  it('when the network is down and an annotated copy’s PDF is uploaded, then the device checks the payload it carries', async () => {
    network = 'down';
    clock.now = () => vectors.cases.find((c) => c.name === 'annotated copy of the vehicle registration')!.now;
    render(<PublicCheck />);
    fireEvent.change(screen.getByLabelText('上传加注件 PDF'), {
      target: { files: [new File([PDF], 'copy.pdf', { type: 'application/pdf' })] },
    });
    await waitFor(() => expect(verdict()).not.toBeNull());
    expect(verdict()).toHaveAttribute('data-verdict', 'valid');
    expect(verdict()).toHaveAttribute('data-offline', 'true');
    expect(screen.getByTestId('check-annotation')).toHaveTextContent('3号窗口（机动车登记）');
  });

  it('when the network is down and a PDF without a readable payload is uploaded, then the page says it needs the network', async () => {
    network = 'down';
    render(<PublicCheck />);
    fireEvent.change(screen.getByLabelText('上传加注件 PDF'), {
      target: { files: [new File([BARE_PDF], 'scan.pdf', { type: 'application/pdf' })] },
    });
    expect(await screen.findByText(/需要联网由核验服务读取/)).toBeInTheDocument();
    expect(verdict()).toBeNull();
  });

  it('when the network is down and the device kept nothing, then the page says it cannot check yet', async () => {
    network = 'down';
    const kept = ['eid.check.trustList', 'eid.check.licenceIssuers'].map(
      (k) => [k, localStorage.getItem(k)] as const,
    );
    removeStored('check.trustList');
    removeStored('check.licenceIssuers');
    try {
      render(<PublicCheck />);
      fireEvent.change(screen.getByLabelText('证照码或加注件二维码文本'), {
        target: { value: offlineCases[0]!.input },
      });
      fireEvent.click(screen.getByRole('button', { name: '核验' }));
      expect(await screen.findByText(/本机也没有保存的核验数据/)).toBeInTheDocument();
      expect(verdict()).toBeNull();
    } finally {
      for (const [k, v] of kept) if (v) localStorage.setItem(k, v);
    }
  });

  it('when the language is English, then an offline verdict reads in English', async () => {
    network = 'down';
    act(() => setLang('en'));
    clock.now = () => offlineCases[0]!.now;
    render(<PublicCheck />);
    fireEvent.change(screen.getByLabelText('Document code or annotated copy QR text'), {
      target: { value: offlineCases[0]!.input },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Check' }));
    await waitFor(() => expect(verdict()).not.toBeNull());
    expect(verdict()).toHaveTextContent('Valid');
    expect(within(screen.getByTestId('check-offline')).getByText(/checked offline/)).toBeInTheDocument();
  });
});
