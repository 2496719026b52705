import type { ComponentType } from 'react';
import { act, cleanup, configure, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import {
  base64urlDecode,
  base64urlEncode,
  decodeBinding,
  decodeDocumentCredential,
  documentDigest,
  documentPurposeId,
  documentType,
  openDocumentDisclosure,
  parseDocumentCode,
  signBinding,
  tweetnaclEd25519 as ed,
  verifyDocumentCodeSignature,
  type LicenceWallet,
  type WalletDocument,
} from '@eid/shared';
import { setLang } from '../../miniapp/src/i18n';
import { clock } from '../../miniapp/src/lib/clock';
import { removeStored } from '../../miniapp/src/lib/storage';
import { readJson, reply, startFakeBff, type FakeBff } from '../helpers/fake-bff';
import { walletDocument } from '../helpers/licence-wallet';
import { setRouterParams } from './support/taro';
import { signInResident } from '../helpers/resident-session';

/**
 * The licence wallet against a server answering as the BFF does: each document drawn from its type's
 * declarative face (a driving licence with its classes, a vehicle registration with its plate, a passport
 * as a booklet), expired / revoked / suspended said in words and colour, refresh with progress and the
 * licence system's failure in the resident's words.
 *
 * Relied on: `data-testid` wallet-document, document-face (data-type, data-status), face-headline,
 * licence-status, pull-progress, document-fields; the refresh button 刷新.
 */

// Signing with tweetnacl in jsdom on a busy machine can take over a second.
configure({ asyncUtilTimeout: 5000 });

const NOW = Date.UTC(2026, 11, 2, 2, 0, 0);
const LINKS = [
  'driving_licence',
  'vehicle_registration',
  'passport',
  'travel_permit_hk_macao',
  'travel_permit_taiwan',
];

const driving = walletDocument('driving_licence', { id: 'dl' });
const vehicle = walletDocument('vehicle_registration', { id: 'vr' });
const passport = walletDocument('passport', {
  id: 'pp',
  status: 'expired',
  values: { validUntil: '2024-08-10' },
});
const hkMacao = walletDocument('travel_permit_hk_macao', { id: 'hk', status: 'revoked' });
const taiwan = walletDocument('travel_permit_taiwan', { id: 'tw', status: 'suspended' });

function walletOf(documents: WalletDocument[], pulledAt: number | null = NOW - 3600_000): LicenceWallet {
  return {
    links: LINKS.map((type) => ({ type, noticeVersion: '2026-12-01', linkedAt: NOW - 86_400_000 })),
    documents,
    pulledAt,
  };
}

let bff: FakeBff;
let wallet: LicenceWallet;
let refreshAnswer: () => Promise<[number, unknown]>;
let refreshCalls = 0;
let bindings: { id: string; devicePublicKey: string }[] = [];
const bffKey = ed.keyPairFromSeed(new Uint8Array(32).fill(41));
let Wallet: ComponentType;
let Detail: ComponentType;

beforeAll(async () => {
  bff = await startFakeBff(async (req, res) => {
    if (req.method === 'GET' && req.url === '/api/v1/licences') return reply(res, 200, wallet);
    if (req.method === 'POST' && req.url === '/api/v1/licences/refresh') {
      refreshCalls += 1;
      const [status, body] = await refreshAnswer();
      return reply(res, status, body);
    }
    const bind = /^\/api\/v1\/licences\/(\w+)\/binding$/.exec(req.url ?? '');
    if (req.method === 'POST' && bind) {
      const body = (await readJson(req)) as unknown as { devicePublicKey: string };
      bindings.push({ id: bind[1]!, devicePublicKey: body.devicePublicKey });
      const doc = wallet.documents.find((d) => d.id === bind[1])!;
      const binding = signBinding(
        'test-37-bff',
        {
          province: '37',
          issuedAt: NOW,
          expiresAt: NOW + 30 * 86_400_000,
          documentDigest: documentDigest(base64urlDecode(doc.credential)),
          devicePublicKey: base64urlDecode(body.devicePublicKey),
        },
        (tbs) => ed.sign(bffKey.secretKey, tbs),
      );
      return reply(res, 200, {
        binding: base64urlEncode(binding),
        kid: 'test-37-bff',
        issuedAt: NOW,
        expiresAt: NOW + 30 * 86_400_000,
      });
    }
    reply(res, 404, { code: 'NOT_FOUND', message: 'no', requestId: 'r' });
  });
  process.env.TARO_APP_API_BASE = bff.base;
  clock.now = () => NOW;
  await signInResident(NOW);
  Wallet = (await import('../../miniapp/src/licences/pages/wallet/index')).default;
  Detail = (await import('../../miniapp/src/licences/pages/detail/index')).default;
});

afterAll(() => bff.close());

beforeEach(() => {
  act(() => setLang('zh'));
  removeStored('licences.wallet');
  wallet = walletOf([driving, vehicle, passport, hkMacao, taiwan]);
  refreshCalls = 0;
  bindings = [];
  refreshAnswer = async () => [200, { ...wallet, changed: false }];
});

afterEach(cleanup);

const faceOf = (type: string) =>
  screen.getAllByTestId('document-face').find((f) => f.getAttribute('data-type') === type)!;

it('when the wallet opens, then each document has its own face: a driving licence with its classes, a vehicle registration with its plate, a passport as a booklet', async () => {
  render(<Wallet />);
  await waitFor(() => expect(screen.getAllByTestId('wallet-document')).toHaveLength(5));

  const dl = faceOf('driving_licence');
  expect(dl).toHaveClass('docface--driving_licence', 'docface--light');
  expect(within(dl).getByText('中华人民共和国机动车驾驶证')).toBeInTheDocument();
  expect(within(dl).getByText('准驾车型')).toBeInTheDocument();
  expect(within(dl).getByTestId('face-headline')).toHaveTextContent(/^C1$/);
  expect(within(dl).getByText('证号')).toBeInTheDocument();

  const vr = faceOf('vehicle_registration');
  expect(vr).toHaveClass('docface--vehicle_registration');
  expect(within(vr).getByText('中华人民共和国机动车行驶证')).toBeInTheDocument();
  expect(within(vr).getByText('号牌号码')).toBeInTheDocument();
  expect(within(vr).getByTestId('face-headline')).toHaveTextContent(String(vehicle.face.plateNumber));
  expect(vr.querySelector('.docface__headline--plateNumber')).not.toBeNull();

  const pp = faceOf('passport');
  expect(pp).toHaveClass('docface--dark');
  expect(within(pp).getByText('中华人民共和国护照')).toBeInTheDocument();

  // Each face carries its type's own colour (light ones as the card's background).
  expect(dl.style.backgroundColor).not.toBe(vr.style.backgroundColor);
});

it('when documents are expired, revoked or suspended, then each says so in words and colour, on its face and beside it', async () => {
  render(<Wallet />);
  await waitFor(() => expect(screen.getAllByTestId('wallet-document')).toHaveLength(5));
  const expectations: [string, string, string, RegExp][] = [
    ['driving_licence', 'valid', '有效', /^$/],
    ['passport', 'expired', '已过期', /已超过有效期限/],
    ['travel_permit_hk_macao', 'revoked', '已注销', /发证机关已注销此证照/],
    ['travel_permit_taiwan', 'suspended', '已暂停', /发证机关已暂停此证照/],
  ];
  for (const [type, status, word, hint] of expectations) {
    const item = screen
      .getAllByTestId('wallet-document')
      .find((i) => within(i).getByTestId('document-face').getAttribute('data-type') === type)!;
    const face = within(item).getByTestId('document-face');
    expect(face).toHaveAttribute('data-status', status);
    expect(face).toHaveClass(`docface--${status}`);
    const badge = within(item).getByTestId('licence-status');
    expect(badge).toHaveTextContent(word);
    expect(badge).toHaveClass(`lbadge--${status}`);
    if (status === 'valid') {
      expect(face.querySelector('.docface__stamp')).toBeNull();
      expect(within(item).queryByRole('alert')).toBeNull();
    } else {
      expect(face.querySelector('.docface__stamp')).toHaveTextContent(word);
      expect(within(item).getByText(hint)).toBeInTheDocument();
    }
  }
  // The expired passport's validity reads as a date, the way the document prints it.
  expect(screen.getByText('有效期至 2024年8月10日')).toBeInTheDocument();
});

it('when the resident presses refresh, then progress shows while the licence system is pulled and a revocation it reports appears', async () => {
  let release: () => void = () => undefined;
  refreshAnswer = () =>
    new Promise((resolve) => {
      release = () =>
        resolve([
          200,
          {
            ...walletOf([{ ...driving, status: 'revoked' }, vehicle, passport, hkMacao, taiwan], NOW),
            changed: true,
          },
        ]);
    });
  render(<Wallet />);
  await waitFor(() => expect(screen.getAllByTestId('wallet-document')).toHaveLength(5));

  fireEvent.click(screen.getByRole('button', { name: '刷新' }));
  const progress = await screen.findByTestId('pull-progress');
  expect(progress).toHaveTextContent('正在从电子证照系统更新您的证照…');
  await waitFor(() => expect(refreshCalls).toBe(1));
  act(() => release());

  await waitFor(() => expect(faceOf('driving_licence')).toHaveAttribute('data-status', 'revoked'));
  expect(screen.queryByTestId('pull-progress')).toBeNull();
  expect(screen.getByText('已更新：发证机关变更了您的证照。')).toBeInTheDocument();
});

it('when the licence system is down during a refresh, then the resident reads "try again later" and still sees their documents', async () => {
  refreshAnswer = async () => [
    503,
    { code: 'LICENCE_SYSTEM_UNAVAILABLE', message: 'Licence system unavailable', requestId: 'r' },
  ];
  render(<Wallet />);
  await waitFor(() => expect(screen.getAllByTestId('wallet-document')).toHaveLength(5));
  fireEvent.click(screen.getByRole('button', { name: '刷新' }));
  expect(await screen.findByText('电子证照系统暂时无法访问，请稍后再试。')).toBeInTheDocument();
  expect(screen.getAllByTestId('wallet-document')).toHaveLength(5);
  expect(document.body.textContent).not.toMatch(/LICENCE_SYSTEM_UNAVAILABLE|503/);
});

it('when nothing is linked yet, then the wallet explains and offers to link documents', async () => {
  wallet = { links: [], documents: [], pulledAt: null };
  render(<Wallet />);
  expect(await screen.findByRole('button', { name: '关联电子证照' })).toBeInTheDocument();
  expect(screen.getByText(/您还没有关联电子证照/)).toBeInTheDocument();
});

it('when the interface is in English, then the face keeps its printed title and labels its fields in English', async () => {
  act(() => setLang('en'));
  render(<Wallet />);
  await waitFor(() => expect(screen.getAllByTestId('wallet-document')).toHaveLength(5));
  const dl = faceOf('driving_licence');
  expect(within(dl).getByText('中华人民共和国机动车驾驶证')).toBeInTheDocument();
  expect(within(dl).getByText('Driving Licence of the People’s Republic of China')).toBeInTheDocument();
  expect(within(dl).getByText('Permitted vehicle classes')).toBeInTheDocument();
  expect(
    within(faceOf('passport')).getByText('Expired', { selector: '.docface__stamp *' }),
  ).toBeInTheDocument();
});

it('when a document is opened, then every field on it is listed from its secrets, with its licence identifier and status', async () => {
  render(<Wallet />);
  await waitFor(() => expect(screen.getAllByTestId('wallet-document')).toHaveLength(5));
  cleanup();
  setRouterParams({ id: 'vr' });
  render(<Detail />);
  const fields = await screen.findByTestId('document-fields');
  // The face shows ten rows; the document page also lists what only the secrets hold.
  expect(within(fields).getByText('发动机号码')).toBeInTheDocument();
  expect(within(fields).getByText('持证人证件号码')).toBeInTheDocument();
  expect(within(fields).getByText(String(vehicle.face.vin))).toBeInTheDocument();
  expect(screen.getByText(vehicle.identifier)).toBeInTheDocument();
  expect(screen.getByTestId('licence-status')).toHaveTextContent('有效');
  setRouterParams({});
});

it('when a valid document is shown for a purpose, then the page lists what the code tells and draws a device-signed code disclosing exactly that', async () => {
  setRouterParams({ id: 'dl' });
  render(<Detail />);
  fireEvent.click(await screen.findByRole('button', { name: '政务服务' }));
  const tells = screen.getByTestId('code-discloses');
  expect(tells).toHaveTextContent('用于“政务服务”的证照码将告诉对方：');
  expect(tells).toHaveTextContent('准驾车型：C1');
  expect(tells).not.toHaveTextContent('档案编号');

  const qr = await screen.findByRole('img', { name: '证照码，请核验方扫描' });
  const text = qr.getAttribute('data-code') ?? '';
  expect(text.startsWith('EIDD1:')).toBe(true);
  expect(bindings).toEqual([{ id: 'dl', devicePublicKey: expect.any(String) }]);

  const code = parseDocumentCode(text);
  const binding = decodeBinding(code.binding);
  expect(base64urlEncode(binding.claims.devicePublicKey)).toBe(bindings[0]!.devicePublicKey);
  expect(verifyDocumentCodeSignature(code, binding.claims.devicePublicKey, ed)).toBe(true);
  expect(code.purposeId).toBe(documentPurposeId('government_services'));
  const credential = decodeDocumentCredential(code.document);
  const opened = openDocumentDisclosure(
    documentType('driving_licence')!,
    code.disclosure,
    credential.claims.sdRoot,
  );
  expect(Object.keys(opened).sort()).toEqual(
    [...documentType('driving_licence')!.visibility.government_services!].sort(),
  );
  setRouterParams({});
});

it('when a document is revoked, then the page offers no code for it', async () => {
  setRouterParams({ id: 'hk' });
  render(<Detail />);
  expect(await screen.findByText('这份证照当前不是有效状态，不能出示证照码。')).toBeInTheDocument();
  expect(screen.queryByTestId('document-code')).toBeNull();
  setRouterParams({});
});
