import type { ComponentType } from 'react';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { act, configure, fireEvent, render, screen, waitFor } from '@testing-library/react';
import {
  base64urlEncode,
  buildCode,
  emptyStatusBits,
  fromHex,
  issueCredential,
  PURPOSES,
  signStatusList,
  tweetnaclEd25519 as ed,
  type OfflineCheck,
} from '@eid/shared';
import { setLang } from '../../miniapp/src/i18n';
import { clock } from '../../miniapp/src/lib/clock';
import { quietCutConnections, readJson, reply, startFakeBff, type FakeBff } from '../helpers/fake-bff';
import { VECTORS, vectorClaims } from '../shared/vectors';

/**
 * The staff page when the BFF cannot be reached, against a real HTTP server answering as the BFF does
 * with real signed documents: the vectors' trust list (this build is told to pin the vectors' root), a
 * status list signed with the vectors' issuer key, codes made with the vectors' device key. "The network
 * is down" is the server cutting every connection; the page's clock is set by the test.
 *
 * Text and test ids relied on: `[data-verdict]` with `data-offline="true"`, `verdict-offline` (the
 * "checked offline, status data N min old" sentence), `offline-lists`, `offline-queue`, `offline-flagged`.
 */

const { keys, trustList: trustVector } = VECTORS;
const T0 = VECTORS.brightCode.now;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const KID = keys.issuer.kid;
const issuer = ed.keyPairFromSeed(fromHex(keys.issuer.seed));
const device = ed.keyPairFromSeed(fromHex(keys.device.seed));
const credential = issueCredential(KID, { ...vectorClaims(), statusIndex: 5 }, (tbs) =>
  ed.sign(issuer.secretKey, tbs),
);
const codeAt = (at: number) =>
  buildCode({ credential, deviceSecretKey: device.secretKey, now: at, ed25519: ed });
const holderName = vectorClaims().holder.name;
// A code carries a random nonce: "the same code" is this one string, shown twice.
const firstCode = codeAt(T0);

const SESSION = {
  accessToken: 'staff-token',
  expiresIn: 900,
  staff: { id: 's-1', displayName: '窗口 3', role: 'officer', org: '历下分局' },
};

function statusListAnswer(issuedAt: number) {
  const size = 16384;
  const bytes = signStatusList(
    { kid: KID, issuedAt, ttlSeconds: 300, size, bits: emptyStatusBits(size) },
    (tbs) => ed.sign(issuer.secretKey, tbs),
  );
  return { kid: KID, issuedAt, ttlSeconds: 300, statusList: base64urlEncode(bytes) };
}

/** `up`: answers; `down`: every connection is cut; `refuse`: /verify answers 400 from a reachable BFF. */
let network: 'up' | 'down' | 'refuse' = 'up';
const asked: string[] = [];
const uploaded = new Map<string, OfflineCheck>();
let bff: FakeBff;
let StaffVerify: ComponentType;
let now = T0;

async function handle(req: IncomingMessage, res: ServerResponse) {
  asked.push(`${req.method} ${req.url}`);
  if (network === 'down') return req.socket.destroy();
  if (req.url === '/api/v1/purposes') return reply(res, 200, PURPOSES);
  if (req.url === '/api/v1/trust-list')
    return reply(res, 200, {
      issuedAt: trustVector.content.issuedAt,
      maxStatusAgeMs: HOUR,
      trustList: base64urlEncode(fromHex(trustVector.bytes)),
    });
  if (req.url === `/api/v1/status-lists/${KID}`) return reply(res, 200, statusListAnswer(T0 - 3 * MINUTE));
  if (req.url?.startsWith('/api/v1/status-lists/'))
    return reply(res, 404, { code: 'ISSUER_UNKNOWN', message: 'x', requestId: 'r' });
  if (req.url === '/api/v1/verify') {
    if (network === 'refuse')
      return reply(res, 400, { code: 'PURPOSE_UNKNOWN', message: 'x', requestId: 'r' });
    return reply(res, 200, { verdict: 'valid', checkedAt: now, card: { name: holderName } });
  }
  if (req.url === '/api/v1/verify/offline-checks') {
    const { checks } = (await readJson(req)) as unknown as { checks: OfflineCheck[] };
    const results = checks.map((c) => {
      const seen = uploaded.has(c.id);
      uploaded.set(c.id, c);
      return {
        id: c.id,
        status: seen ? 'already_recorded' : 'recorded',
        verdict: c.verdict,
        replayedElsewhere: false,
      };
    });
    return reply(res, 200, { results });
  }
  reply(res, 404, { code: 'NOT_FOUND', message: 'no', requestId: 'r' });
}

// Signatures are checked with tweetnacl in jsdom, on a machine other suites share: waits are bounded
// generously so that a slow moment is not a failure (no assertion here is about time).
configure({ asyncUtilTimeout: 10_000 });
jest.setTimeout(30_000);

beforeAll(async () => {
  quietCutConnections();
  bff = await startFakeBff(handle);
  process.env.TARO_APP_API_BASE = bff.base;
  process.env.TARO_APP_TRUST_ROOT = keys.root.publicKey;
  clock.now = () => now;
  StaffVerify = (await import('../../miniapp/src/staff/pages/verify/index')).default;
  const { staffStore } = await import('../../miniapp/src/services/request');
  staffStore.set(SESSION as never);
});

afterAll(async () => {
  await bff.close();
  jest.restoreAllMocks();
});

beforeEach(() => act(() => setLang('zh')));

const verdict = () => document.querySelector('[data-verdict]');

async function checkCode(code: string, purpose = 'hotel_check_in') {
  fireEvent.change(screen.getByLabelText('核验事由'), { target: { value: purpose } });
  fireEvent.change(screen.getByLabelText('亮证码'), { target: { value: code } });
  fireEvent.click(screen.getByRole('button', { name: '核验' }));
  await waitFor(() => expect(verdict()).not.toBeNull());
}

describe('the staff page offline', () => {
  it('when the page opens online, then it downloads the trust list and the status list and says how old they are', async () => {
    render(<StaffVerify />);
    await waitFor(() =>
      expect(screen.getByTestId('offline-lists')).toHaveTextContent('离线核验数据：不到 1 分钟前更新'),
    );
    expect(asked).toEqual(
      expect.arrayContaining(['GET /api/v1/trust-list', `GET /api/v1/status-lists/${KID}`]),
    );
  });

  it('when the BFF cannot be reached, then the code is checked offline: valid, saying so with the status data’s age', async () => {
    render(<StaffVerify />);
    await screen.findByRole('combobox');
    network = 'down';
    now = T0 + 5_000;
    await checkCode(firstCode);
    expect(verdict()).toHaveAttribute('data-verdict', 'valid');
    expect(verdict()).toHaveAttribute('data-offline', 'true');
    expect(verdict()).toHaveTextContent('有效');
    // The status list was issued at T0 - 3 min; it is now T0 + 5 s.
    expect(screen.getByTestId('verdict-offline')).toHaveTextContent('（离线核验，状态数据 3 分钟前）');
    expect(screen.getByText(holderName)).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByTestId('offline-queue')).toHaveTextContent('待上传的离线核验：1 条'),
    );
  });

  it('when the same code is shown to this terminal again offline, then it is refused as already used', async () => {
    render(<StaffVerify />);
    await screen.findByRole('combobox');
    now = T0 + 8_000;
    await checkCode(firstCode);
    expect(verdict()).toHaveAttribute('data-verdict', 'replayed');
    expect(screen.getByTestId('verdict-offline')).toHaveTextContent('离线核验');
    expect(screen.queryByText(holderName)).toBeNull();
    await waitFor(() => expect(screen.getByTestId('offline-queue')).toHaveTextContent('2 条'));
  });

  it('when a purpose allows less, then the offline verdict shows only that, from the code itself', async () => {
    render(<StaffVerify />);
    await screen.findByRole('combobox');
    now = T0 + 20_000;
    await checkCode(codeAt(T0 + 15_000), 'taxation');
    expect(verdict()).toHaveAttribute('data-verdict', 'valid');
    expect(screen.getByText(holderName)).toBeInTheDocument();
    // Taxation sees the name and the full number; the code carries no full number, and no birth date is shown.
    const shown = document.querySelector('.verdict')!.textContent ?? '';
    expect(shown).not.toContain('1993');
    expect(shown).not.toContain('6531');
  });

  it('when the status data is older than the published limit, then the verdict is status unknown and says why', async () => {
    render(<StaffVerify />);
    await screen.findByRole('combobox');
    now = T0 + 2 * HOUR;
    await checkCode(codeAt(now - 5_000));
    expect(verdict()).toHaveAttribute('data-verdict', 'status_unknown');
    expect(screen.getByTestId('verdict-offline')).toHaveTextContent('（离线核验，状态数据 2 小时前）');
    expect(screen.getByText(/离线状态数据超过 1 小时 未更新/)).toBeInTheDocument();
    expect(screen.queryByText(holderName)).toBeNull();
  });

  it('when the network comes back, then the queue uploads by itself and empties', async () => {
    render(<StaffVerify />);
    await waitFor(() => expect(screen.getByTestId('offline-queue')).toHaveTextContent('4 条'));
    network = 'up';
    act(() => void window.dispatchEvent(new Event('online')));
    // Four uploads over real HTTP: on a loaded two-core machine this takes more than waitFor's default second.
    await waitFor(() => expect(screen.queryByTestId('offline-queue')).toBeNull(), { timeout: 15_000 });
    expect([...uploaded.values()].map((c) => c.verdict)).toEqual([
      'valid',
      'replayed',
      'valid',
      'status_unknown',
    ]);
    expect(new Set([...uploaded.values()].map((c) => c.terminalId)).size).toBe(1);
  });

  it('when the BFF is reachable and answers an error, then nothing is checked offline and nothing is queued', async () => {
    render(<StaffVerify />);
    await screen.findByRole('combobox');
    network = 'refuse';
    now = T0 + 2 * HOUR + MINUTE;
    const before = uploaded.size;
    fireEvent.change(screen.getByLabelText('亮证码'), { target: { value: codeAt(now - 5_000) } });
    fireEvent.click(screen.getByRole('button', { name: '核验' }));
    await screen.findByRole('alert');
    expect(verdict()).toBeNull();
    expect(screen.queryByTestId('verdict-offline')).toBeNull();
    expect(screen.queryByTestId('offline-queue')).toBeNull();
    expect(uploaded.size).toBe(before);
  });
});
