import {
  base64urlEncode,
  cardClaimSlot,
  decodeCredentialV2,
  encodeHolderSecrets,
  findPurpose,
  openDisclosure,
  parseCodeV2,
  tweetnaclEd25519,
  verifyCodeV2Signature,
} from '@eid/shared';
import { bootWeapp, findNode, texts, type PageInstance, type TaroNode, type Weapp } from './harness';
import { paintedCodeAfter } from './qr-read';
import { testCredentialV2, testHolderSecrets } from '../helpers/holder-v2';

/**
 * Selective disclosure in the weapp build (issue 14), run in Node with stand-ins for WeChat's globals: a
 * wallet holding a v2 credential and its holder secrets; the bright page's purpose list, the disclosure
 * it shows before the code, and the code the bundle painted on its canvas, read back and opened against
 * the credential's signed root.
 */

const START = Date.UTC(2026, 10, 23, 8, 0, 0);
const ISSUER = tweetnaclEd25519.keyPairFromSeed(new Uint8Array(32).fill(9));
const DEVICE = tweetnaclEd25519.keyPairFromSeed(new Uint8Array(32).fill(7));

const SECRETS = testHolderSecrets({ name: '测试居民', idNumberMasked: '3701**********1234' });

const credential = testCredentialV2(SECRETS, {
  kid: 'smoke-37-1',
  issuer: ISSUER,
  device: DEVICE,
  issuedAt: START,
  expiresAt: START + 365 * 24 * 3600 * 1000,
});

/** The button whose label is `label`. */
function button(page: PageInstance, label: string): TaroNode {
  const node = findNode(
    page.data.root,
    (n) => (n.cl ?? '').split(' ').includes('btn') && texts(n).join('') === label,
  );
  if (!node) throw new Error(`no button ${label} in ${texts(page.data.root).join(' | ')}`);
  return node;
}

describe('the weapp build, choosing what the code shows', () => {
  let weapp: Weapp;

  beforeAll(async () => {
    weapp = await bootWeapp();
  });

  afterAll(() => weapp?.close());

  beforeEach(() => {
    weapp.storage.delete('eid.card.disclosurePurpose');
    weapp.storage.set(
      'eid.wallet',
      JSON.stringify({
        devicePublicKey: base64urlEncode(DEVICE.publicKey),
        deviceSecretKey: base64urlEncode(DEVICE.secretKey),
        cardId: 'card-1',
        credential: base64urlEncode(credential),
        holderSecrets: base64urlEncode(encodeHolderSecrets(SECRETS)),
        status: 'active',
      }),
    );
  });

  it('when over 18 is picked and confirmed, then the canvas carries a v2 code disclosing that claim only', async () => {
    const page = await weapp.openPage('card/pages/bright/index');
    await weapp.settle(100);
    const listed = texts(page.data.root);
    expect(listed.slice(listed.indexOf('满18周岁'), listed.indexOf('满18周岁') + 4)).toEqual([
      '满18周岁',
      '本省居民',
      '仅证明持证',
      '药店实名',
    ]);
    await weapp.tap(page, button(page, '满18周岁'));
    const preview = texts(page.data.root);
    expect(preview).toContain('已满18周岁：是');
    expect(preview.join(' ')).not.toContain('测试居民');
    const paintedBefore = weapp.canvas.painted.length;
    await weapp.tap(page, button(page, '出示二维码'));
    const text = await paintedCodeAfter(weapp.canvas, paintedBefore);
    const shown = texts(page.data.root);
    expect(shown).toContain('出示事由：满18周岁');
    expect(shown).toContain('已满18周岁：是');
    expect(shown.join(' ')).not.toContain('测试居民');

    const code = parseCodeV2(text);
    expect(code.credential).toEqual(credential);
    expect([...code.disclosure.values.keys()]).toEqual([cardClaimSlot('ageOver18')]);
    expect(code.purposeId).toBe(findPurpose('age_over_18')!.id);
    expect(openDisclosure(code, decodeCredentialV2(credential).claims.sdRoot)).toEqual({ ageOver18: true });
    expect(verifyCodeV2Signature(code, DEVICE.publicKey, tweetnaclEd25519)).toBe(true);
    expect(JSON.parse(String(weapp.storage.get('eid.card.disclosurePurpose')))).toBe('age_over_18');
  });

  it('when the page opens with ?purpose=holder_only, then it offers that purpose and its code shows no claim', async () => {
    const page = await weapp.openPage('card/pages/bright/index', { purpose: 'holder_only' });
    await weapp.settle(100);
    const preview = texts(page.data.root);
    expect(preview).toContain('工作人员请求的事由');
    expect(preview).toContain('出示事由：仅证明持证');
    const paintedBefore = weapp.canvas.painted.length;
    await weapp.tap(page, button(page, '出示二维码'));
    const code = parseCodeV2(await paintedCodeAfter(weapp.canvas, paintedBefore));
    expect(code.disclosure.values.size).toBe(0);
    expect(code.purposeId).toBe(findPurpose('holder_only')!.id);
  });
});
