import type { ComponentType } from 'react';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import {
  base64urlEncode,
  cardClaimSlot,
  decodeCredentialV2,
  encodeHolderSecrets,
  findPurpose,
  issueCredential,
  openDisclosure,
  parseCode,
  parseCodeV2,
  tweetnaclEd25519 as ed,
  verifyCodeV2Signature,
} from '@eid/shared';
import { setLang } from '../../miniapp/src/i18n';
import { clock } from '../../miniapp/src/lib/clock';
import { readStored, removeStored, writeStored } from '../../miniapp/src/lib/storage';
import { makeCode } from '../../miniapp/src/wallet/code';
import { reply, startFakeBff, type FakeBff } from '../helpers/fake-bff';
import { testCredentialV2, testHolderSecrets } from '../helpers/holder-v2';
// The same module the page gets as @tarojs/taro (jest.config.js maps it here).
import { setRouterParams } from './support/taro';

/**
 * The bright page choosing what a code discloses (issue 14): a real v2 credential and its holder secrets in
 * the wallet, the page's list and disclosure sentences in Chinese and English, and the code it draws read
 * back (`data-code` of the QR) and opened with the shared parser against the credential's signed root.
 *
 * Relied on: the QR `img` named 亮证二维码，请工作人员扫描 with `data-code`; `data-testid` disclosure,
 * disclosure-hidden, disclosure-online, disclosure-nothing, bright-purpose; `.disclosure__claim`.
 */

const NOW = Date.UTC(2026, 10, 23, 8, 0, 0);
const issuer = ed.keyPairFromSeed(new Uint8Array(32).fill(9));
const device = ed.keyPairFromSeed(new Uint8Array(32).fill(7));

const SECRETS = testHolderSecrets({ portraitDigest: new Uint8Array(16).fill(5) });

const credential = testCredentialV2(SECRETS, {
  kid: 'test-37-1',
  issuer,
  device,
  issuedAt: NOW - 3600_000,
  expiresAt: NOW + 30 * 24 * 3600_000,
});
const sdRoot = decodeCredentialV2(credential).claims.sdRoot;

function holdV2(): void {
  writeStored('wallet', {
    devicePublicKey: base64urlEncode(device.publicKey),
    deviceSecretKey: base64urlEncode(device.secretKey),
    cardId: 'card-1',
    credential: base64urlEncode(credential),
    holderSecrets: base64urlEncode(encodeHolderSecrets(SECRETS)),
    status: 'active',
    expiresAt: NOW + 30 * 24 * 3600_000,
  });
}

let bff: FakeBff;
let Bright: ComponentType;

beforeAll(async () => {
  // The page refreshes the card's status when it can; here the BFF has nothing to say.
  bff = await startFakeBff((_req, res) =>
    reply(res, 404, { code: 'NOT_FOUND', message: 'x', requestId: 'r' }),
  );
  process.env.TARO_APP_API_BASE = bff.base;
  clock.now = () => NOW;
  Bright = (await import('../../miniapp/src/card/pages/bright/index')).default;
});

afterAll(() => bff.close());

beforeEach(() => {
  act(() => setLang('zh'));
  setRouterParams({});
  removeStored('card.disclosurePurpose');
  holdV2();
});

const claimLines = () =>
  within(screen.getByTestId('disclosure'))
    .queryAllByText(/./, { selector: '.disclosure__claim' })
    .map((e) => e.textContent);

async function qrText(name = '亮证二维码，请工作人员扫描'): Promise<string> {
  const qr = await screen.findByRole('img', { name });
  return qr.getAttribute('data-code') ?? '';
}

/** Opens the page, picks a purpose from the list by its button name and reads what the page lists. */
async function pick(label: string) {
  render(<Bright />);
  fireEvent.click(await screen.findByRole('button', { name: label }));
  await screen.findByTestId('disclosure');
}

describe('the bright page, choosing what the code shows', () => {
  it('when it opens with no earlier choice, then the minimal purposes head the list, before the rest', async () => {
    render(<Bright />);
    const list = await screen.findByTestId('purpose-list');
    const names = within(list)
      .getAllByRole('button')
      .map((b) => b.textContent);
    expect(names.slice(0, 4)).toEqual(['满18周岁', '本省居民', '仅证明持证', '药店实名']);
    expect(names).toContain('旅馆住宿登记');
    expect(names.indexOf('旅馆住宿登记')).toBeGreaterThan(3);
    // No code before the resident has chosen and seen what it shows.
    expect(screen.queryByRole('img', { name: '亮证二维码，请工作人员扫描' })).toBeNull();
  });

  it('when over 18 is picked, then the page lists only 已满18周岁：是 and names what is not shown', async () => {
    await pick('满18周岁');
    expect(claimLines()).toEqual(['已满18周岁：是']);
    const hidden = screen.getByTestId('disclosure-hidden').textContent ?? '';
    expect(hidden).toMatch(/^不会显示：/);
    for (const label of ['姓名', '性别', '出生日期', '部分隐藏的身份号码', '完整身份号码', '住址'])
      expect(hidden).toContain(label);
    expect(screen.getByTestId('disclosure').textContent).not.toContain('张三');
    expect(screen.queryByRole('img', { name: '亮证二维码，请工作人员扫描' })).toBeNull();
  });

  it('when over 18 is confirmed, then the code carries exactly that claim, names the purpose and verifies', async () => {
    await pick('满18周岁');
    fireEvent.click(screen.getByRole('button', { name: '出示二维码' }));
    const code = parseCodeV2(await qrText());
    expect([...code.disclosure.values.keys()]).toEqual([cardClaimSlot('ageOver18')]);
    expect(code.purposeId).toBe(findPurpose('age_over_18')!.id);
    expect(openDisclosure(code, sdRoot)).toEqual({ ageOver18: true });
    expect(verifyCodeV2Signature(code, device.publicKey, ed)).toBe(true);
    expect(code.credential).toEqual(credential);
    // The screen under the code shows what the code shows, and no name.
    expect(screen.getByTestId('bright-purpose')).toHaveTextContent('出示事由：满18周岁');
    expect(screen.getByTestId('bright-claims')).toHaveTextContent('已满18周岁：是');
    expect(document.body.textContent).not.toContain('张三');
  });

  it('when hotel check-in is picked, then the five hotel claims are listed with their values and carried by the code', async () => {
    await pick('旅馆住宿登记');
    expect(claimLines()).toEqual([
      '姓名：张三',
      '性别：男',
      '出生日期：1990年3月7日',
      '部分隐藏的身份号码：3701**********002X',
      '民族：汉',
    ]);
    const hidden = screen.getByTestId('disclosure-hidden').textContent ?? '';
    expect(hidden).toContain('住址');
    expect(hidden).not.toContain('姓名');
    fireEvent.click(screen.getByRole('button', { name: '出示二维码' }));
    const code = parseCodeV2(await qrText());
    expect([...code.disclosure.values.keys()]).toEqual(
      (['name', 'sex', 'birthDate', 'idNumberMasked', 'ethnicity'] as const).map(cardClaimSlot),
    );
    expect(openDisclosure(code, sdRoot)).toEqual({
      name: '张三',
      sex: 1,
      birthDate: '1990-03-07',
      idNumberMasked: '3701**********002X',
      ethnicity: '汉',
    });
  });

  it('when only holding an e-ID is picked, then nothing personal is listed and the code discloses no claim', async () => {
    await pick('仅证明持证');
    expect(claimLines()).toEqual([]);
    expect(screen.getByTestId('disclosure-nothing')).toHaveTextContent(
      '仅证明您持有本机上的有效电子证照，不显示任何个人信息。',
    );
    fireEvent.click(screen.getByRole('button', { name: '出示二维码' }));
    const code = parseCodeV2(await qrText());
    expect(code.disclosure.values.size).toBe(0);
    expect(code.disclosure.salts.length).toBe(0);
    expect(code.purposeId).toBe(findPurpose('holder_only')!.id);
    expect(openDisclosure(code, sdRoot)).toEqual({});
  });

  it('when the purpose needs data a code cannot carry, then the page says the BFF adds it online', async () => {
    await pick('金融业务');
    expect(screen.getByTestId('disclosure-online').textContent).toBe(
      '联网核验且事由相同时，工作人员还会从电子证照服务获得：住址、完整身份号码、有效期至',
    );
  });

  it('when resident of province is picked, then the province is shown by its name', async () => {
    await pick('本省居民');
    expect(claimLines()).toEqual(['居住省份：山东省']);
  });

  it('when the page comes back, then the last choice is offered again before any code is shown', async () => {
    await pick('满18周岁');
    fireEvent.click(screen.getByRole('button', { name: '出示二维码' }));
    await qrText();
    expect(readStored('card.disclosurePurpose')).toBe('age_over_18');
    screen.getByRole('button', { name: '更换事由' });
    cleanup();
    render(<Bright />);
    expect(await screen.findByTestId('disclosure-purpose')).toHaveTextContent('出示事由：满18周岁');
    expect(screen.queryByRole('img', { name: '亮证二维码，请工作人员扫描' })).toBeNull();
  });

  it('when the change button is pressed while the code is shown, then the list comes back', async () => {
    await pick('满18周岁');
    fireEvent.click(screen.getByRole('button', { name: '出示二维码' }));
    await qrText();
    fireEvent.click(screen.getByRole('button', { name: '更换事由' }));
    await screen.findByTestId('purpose-list');
    expect(screen.queryByRole('img', { name: '亮证二维码，请工作人员扫描' })).toBeNull();
  });

  it('when the purpose comes as a page param, then it is offered as asked for, to confirm', async () => {
    setRouterParams({ purpose: 'pharmacy' });
    render(<Bright />);
    expect(await screen.findByTestId('disclosure-purpose')).toHaveTextContent('出示事由：药店实名');
    expect(screen.getByText('工作人员请求的事由')).toBeInTheDocument();
    expect(claimLines()).toEqual(['姓名：张三']);
    fireEvent.click(screen.getByRole('button', { name: '出示二维码' }));
    expect(openDisclosure(parseCodeV2(await qrText()), sdRoot)).toEqual({ name: '张三' });
  });

  it('when the page param names no purpose this build knows, then the resident chooses, told why', async () => {
    setRouterParams({ purpose: 'no_such_purpose' });
    render(<Bright />);
    await screen.findByTestId('purpose-list');
    expect(screen.getByText('本机无法识别请求的事由，请自行选择。')).toBeInTheDocument();
  });

  it('when the language is English, then the list and the disclosure read in English', async () => {
    act(() => setLang('en'));
    await pick('Over 18');
    expect(claimLines()).toEqual(['Over 18: Yes']);
    expect(screen.getByTestId('disclosure-hidden').textContent).toMatch(
      /^Not shown: Name, Sex, Date of birth/,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Show the QR code' }));
    await qrText('Your card’s QR code, for the staff member to scan');
    expect(screen.getByTestId('bright-purpose')).toHaveTextContent('Purpose: Over 18');
  });

  it('when the wallet holds a credential from before v2, then the code is shown at once, v1, with the update hint', async () => {
    const v1 = issueCredential(
      'test-37-1',
      {
        province: '37',
        cardId: new Uint8Array(16).fill(1),
        issuedAt: NOW - 3600_000,
        expiresAt: NOW + 30 * 24 * 3600_000,
        devicePublicKey: device.publicKey,
        statusIndex: 5,
        holder: {
          name: '李四',
          sex: 2,
          birthDate: '1985-01-02',
          idNumberMasked: '1101**********1234',
          portraitDigest: new Uint8Array(16),
        },
      },
      (tbs) => ed.sign(issuer.secretKey, tbs),
    );
    writeStored('wallet', {
      devicePublicKey: base64urlEncode(device.publicKey),
      deviceSecretKey: base64urlEncode(device.secretKey),
      cardId: 'card-1',
      credential: base64urlEncode(v1),
      status: 'active',
    });
    render(<Bright />);
    expect(parseCode(await qrText()).credential).toEqual(v1);
    expect(screen.getByText('李四')).toBeInTheDocument();
    expect(screen.getByText(/此证照为旧版/)).toBeInTheDocument();
    expect(screen.queryByTestId('purpose-list')).toBeNull();
    // The wallet's own builder says the same, whatever purpose it is asked for.
    expect(makeCode(NOW, 'age_over_18')).toMatch(/^EID1:/);
  });

  it('when the wallet is asked for a v2 code without a known purpose, then it refuses rather than disclose', () => {
    expect(() => makeCode(NOW)).toThrow(/purpose/);
    expect(() => makeCode(NOW, 'no_such_purpose')).toThrow(/purpose/);
  });
});
