import type { ComponentType } from 'react';
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import {
  base64urlEncode,
  encodeHolderSecrets,
  issueCredential,
  issueCredentialV2,
  tweetnaclEd25519 as ed,
} from '@eid/shared';
import { setLang } from '../../miniapp/src/i18n';
import { clock } from '../../miniapp/src/lib/clock';
import { readStored, writeStored } from '../../miniapp/src/lib/storage';
import type { WalletRecord } from '../../miniapp/src/wallet';
import { reply, startFakeBff, type FakeBff } from '../helpers/fake-bff';
import { testHolderSecrets } from '../helpers/holder-v2';

/**
 * The card page and a credential from before selective disclosure (issue 14): a wallet holding a v1
 * credential is renewed at once (same device key, no face check) so that its codes can disclose chosen
 * claims; the v2 credential and its holder secrets replace it. A v2 wallet is left alone.
 */

const NOW = Date.UTC(2026, 10, 23, 8, 0, 0);
const DAY = 24 * 3600_000;
const issuer = ed.keyPairFromSeed(new Uint8Array(32).fill(9));
const device = ed.keyPairFromSeed(new Uint8Array(32).fill(7));
const CLAIMS = {
  province: '37',
  cardId: new Uint8Array(16).fill(1),
  issuedAt: NOW - DAY,
  expiresAt: NOW + 30 * DAY,
  devicePublicKey: device.publicKey,
  statusIndex: 5,
};
const SECRETS = testHolderSecrets();
const sign = (tbs: Uint8Array) => ed.sign(issuer.secretKey, tbs);
const v1 = base64urlEncode(
  issueCredential('test-37-1', { ...CLAIMS, holder: { ...SECRETS.values, sex: 1 } }, sign),
);
const v2 = base64urlEncode(issueCredentialV2('test-37-1', CLAIMS, SECRETS, sign));
const holderSecrets = base64urlEncode(encodeHolderSecrets(SECRETS));

const CARD = {
  cardId: 'card-1',
  status: 'active',
  issuedAt: NOW - DAY,
  expiresAt: NOW + 30 * DAY,
  kid: 'test-37-1',
  face: {
    name: '张三',
    sex: '男',
    ethnicity: '汉',
    birthDate: '1990-03-07',
    address: '山东省济南市历下区泉城路1号',
    idNumberMasked: '3701**********002X',
    issuingAuthority: '济南市公安局历下分局',
    validFrom: '2020-01-01',
    validUntil: '2040-01-01',
  },
};

const issued: string[] = [];
let bff: FakeBff;
let MyCard: ComponentType;

beforeAll(async () => {
  bff = await startFakeBff((req, res) => {
    if (req.url === '/api/v1/card') return reply(res, 200, CARD);
    if (req.url === '/api/v1/card/issue') {
      issued.push(req.url);
      return reply(res, 200, { card: { ...CARD, issuedAt: NOW }, credential: v2, holderSecrets });
    }
    reply(res, 404, { code: 'NOT_FOUND', message: 'no', requestId: 'r' });
  });
  process.env.TARO_APP_API_BASE = bff.base;
  clock.now = () => NOW;
  const { sessionStore } = await import('../../miniapp/src/services/session');
  sessionStore.set({
    tokens: { accessToken: 'a', refreshToken: 'r', accessExpiresAt: NOW + 3600_000, residentId: 'res-1' },
    enrollment: null,
    signOutReason: null,
  });
  MyCard = (await import('../../miniapp/src/card/pages/mine/index')).default;
});

afterAll(async () => {
  // Unmounted first, so no request of the page's is left on a kept-alive connection.
  cleanup();
  bff.server.closeAllConnections();
  await bff.close();
});

beforeEach(() => {
  act(() => setLang('zh'));
  issued.length = 0;
});

function hold(credential: string, secrets?: string): void {
  writeStored('wallet', {
    devicePublicKey: base64urlEncode(device.publicKey),
    deviceSecretKey: base64urlEncode(device.secretKey),
    cardId: 'card-1',
    credential,
    ...(secrets && { holderSecrets: secrets }),
    status: 'active',
    expiresAt: NOW + 30 * DAY,
  });
}

describe('the card page and a credential from before v2', () => {
  it('when the wallet holds a v1 credential, then it is renewed at once and the v2 one comes with its secrets', async () => {
    hold(v1);
    render(<MyCard />);
    await screen.findByText('张三');
    await waitFor(() => expect(readStored<WalletRecord>('wallet')?.credential).toBe(v2));
    expect(issued).toHaveLength(1);
    expect(readStored<WalletRecord>('wallet')?.holderSecrets).toBe(holderSecrets);
    expect(readStored<WalletRecord>('wallet')?.devicePublicKey).toBe(base64urlEncode(device.publicKey));
  });

  it('when the wallet already holds a v2 credential well before expiry, then nothing is renewed', async () => {
    hold(v2, holderSecrets);
    render(<MyCard />);
    await screen.findByText('张三');
    expect(issued).toEqual([]);
  });
});
