import {
  base64urlEncode,
  issueCredential,
  parseCode,
  PORTRAIT_DIGEST_LENGTH,
  tweetnaclEd25519,
  verifyCodeSignature,
} from '@eid/shared';
import { findDynamicCode, MAIN_PACKAGE_BUDGET, measureWeappBuild } from '../../scripts/check-bundle-size';
import { bootWeapp, findNode, texts, type TaroNode, type Weapp } from './harness';
import { paintedCodeAfter } from './qr-read';

/**
 * The weapp build, run in Node with stand-ins for WeChat's globals: no DevTools exists here, but a
 * missing page, a Node-only import, an eval or a page that throws on first render shows up.
 */

// What the first render of each page must show (Chinese, offline, signed out).
const FIRST_RENDER: Record<string, string[]> = {
  'pages/index/index': ['电子居民身份证', '不联网也能亮证，二维码每 30 秒自动更新。', '个人信息保护告知'],
  'pages/home/index': ['电子居民身份证', '隐私与授权'],
  'enroll/pages/real-name/index': ['实名认证', '第 1 步，共 2 步', '姓名', '公民身份号码', '提交核对'],
  'enroll/pages/real-person/index': ['人脸核验', '第 2 步，共 2 步', '开始人脸核验'],
  'card/pages/mine/index': ['我的电子证照'],
  'card/pages/bright/index': ['亮证', '本机上还没有电子证照。', '领取电子证照'],
  'usage/pages/list/index': ['使用记录', '全部', '窗口工作人员'],
  'usage/pages/detail/index': ['记录详情'],
  'account/pages/manage/index': ['证照管理'],
  'account/pages/privacy/index': ['隐私与授权'],
  'account/pages/passcode/index': ['电子身份证密码'],
  'staff/pages/verify/index': ['证照核验', '工作人员登录', '用户名', '密码'],
  'staff/pages/window/index': ['窗口调证', '工作人员登录', '用户名', '密码'],
  'staff/pages/window-call/index': ['调证请求', '工作人员登录'],
  'check/pages/verify/index': ['电子证照核验', '证照码或加注件二维码文本', '核验', '扫码', '上传加注件 PDF'],
  'licences/pages/wallet/index': ['电子证照夹'],
  'licences/pages/link/index': ['关联电子证照'],
  'licences/pages/detail/index': ['证照详情'],
  'calls/pages/scan/index': ['窗口调证', '扫描窗口的请求码', '扫描请求码', '或粘贴请求码'],
  'calls/pages/approve/index': ['确认调证请求', '没有要确认的请求，请先扫描窗口的请求码。'],
  'calls/pages/receipt/index': ['调证收据'],
  'consent/pages/open/index': ['授权请求', '授权请求码', '打开请求'],
  'consent/pages/parties/index': ['第三方授权', '打开授权请求'],
  'signin/pages/approve/index': ['网站登录确认', '登录请求码', '打开登录请求'],
};

const SEED = new Uint8Array(32).fill(7);
const ISSUER = tweetnaclEd25519.keyPairFromSeed(new Uint8Array(32).fill(9));
const START = Date.UTC(2026, 10, 23, 8, 0, 0);

function credentialFor(devicePublicKey: Uint8Array): Uint8Array {
  return issueCredential(
    'smoke-37-1',
    {
      province: '37',
      cardId: new Uint8Array(16).fill(1),
      issuedAt: START,
      expiresAt: START + 365 * 24 * 3600 * 1000,
      devicePublicKey,
      statusIndex: 5,
      holder: {
        name: '测试居民',
        sex: 1,
        birthDate: '1990-03-07',
        idNumberMasked: '1101**********1234',
        portraitDigest: new Uint8Array(PORTRAIT_DIGEST_LENGTH),
      },
    },
    (tbs) => tweetnaclEd25519.sign(ISSUER.secretKey, tbs),
  );
}

describe('the weapp build', () => {
  let weapp: Weapp;

  beforeAll(async () => {
    weapp = await bootWeapp();
  });

  afterAll(() => weapp?.close());

  it('when app.js loads, then App() registers an app whose pages match app.json', () => {
    expect(typeof weapp.app.onLaunch).toBe('function');
    expect(weapp.routes).toEqual(Object.keys(FIRST_RENDER));
    expect(weapp.appJson.subPackages?.map((p) => p.root)).toEqual([
      'enroll',
      'card',
      'usage',
      'account',
      'staff',
      'check',
      'licences',
      'calls',
      'consent',
      'signin',
    ]);
  });

  it('when every page script in app.json is loaded, then each registers with Page()', () => {
    const missing = weapp.routes.filter((route) => !weapp.loadPage(route));
    expect(missing).toEqual([]);
    for (const route of weapp.routes) {
      expect(typeof weapp.registered.get(route)?.onLoad).toBe('function');
      expect(typeof weapp.registered.get(route)?.eh).toBe('function');
    }
  });

  it.each(Object.entries(FIRST_RENDER))(
    'when %s opens, then its first render shows what it should',
    async (route, expected) => {
      const page = await weapp.openPage(route);
      const shown = texts(page.data.root);
      for (const text of expected) expect(shown).toContain(text);
      // Whatever failed (offline, signed out) is said in words, never as a code.
      expect(shown.join(' ')).not.toMatch(/[A-Z]{3,}_[A-Z_]+/);
    },
  );

  it('when the welcome page cannot reach the service, then it says so in a sentence with a retry', async () => {
    const page = await weapp.openPage('pages/index/index');
    const shown = texts(page.data.root);
    expect(shown).toContain('暂时无法连接服务，请检查网络后重试。');
    expect(shown).toContain('重试');
    expect(weapp.calls.some((c) => c.api === 'request')).toBe(true);
  });

  it('when the language switch is tapped, then the page re-renders in English', async () => {
    const page = await weapp.openPage('pages/index/index');
    const button = findNode(page.data.root, (n: TaroNode) => (n.cl ?? '').includes('lang-switch'));
    expect(button).toBeDefined();
    await weapp.tap(page, button!);
    const shown = texts(page.data.root);
    expect(shown).toContain('Electronic Resident ID Card');
    expect(shown).toContain('中文');
    expect(JSON.parse(String(weapp.storage.get('eid.lang')))).toBe('en');
    await weapp.tap(
      page,
      findNode(page.data.root, (n: TaroNode) => (n.cl ?? '').includes('lang-switch'))!,
    );
    expect(texts(page.data.root)).toContain('电子居民身份证');
  });

  it('when a card is on the device, then the bright page draws a code offline with the brightness raised', async () => {
    const device = tweetnaclEd25519.keyPairFromSeed(SEED);
    weapp.storage.set(
      'eid.wallet',
      JSON.stringify({
        devicePublicKey: base64urlEncode(device.publicKey),
        deviceSecretKey: base64urlEncode(device.secretKey),
        cardId: 'card-1',
        credential: base64urlEncode(credentialFor(device.publicKey)),
        status: 'active',
      }),
    );
    const page = await weapp.openPage('card/pages/bright/index');
    await weapp.settle(100);
    const shown = texts(page.data.root);
    expect(shown).toContain('请向工作人员出示此二维码');
    expect(shown).toContain('测试居民');
    expect(shown).toContain('1101**********1234');
    expect(shown).toContain('30 秒后自动更新');
    expect(shown.some((t) => t.startsWith('截图无效'))).toBe(true);
    // The device key's randomness comes from WeChat's secure generator; the code is painted on a canvas.
    expect(weapp.calls.some((c) => c.api === 'getRandomValues')).toBe(true);
    expect(weapp.calls.some((c) => c.api === 'setScreenBrightness')).toBe(true);
    expect(weapp.canvas.painted.length).toBeGreaterThan(200);
  });

  it("when the bright page draws a code, then the code read back from its canvas carries the wallet's credential and verifies", async () => {
    const device = tweetnaclEd25519.keyPairFromSeed(SEED);
    const credential = credentialFor(device.publicKey);
    weapp.storage.set(
      'eid.wallet',
      JSON.stringify({
        devicePublicKey: base64urlEncode(device.publicKey),
        deviceSecretKey: base64urlEncode(device.secretKey),
        cardId: 'card-1',
        credential: base64urlEncode(credential),
        status: 'active',
      }),
    );
    const before = Date.now();
    const paintedBefore = weapp.canvas.painted.length;
    await weapp.openPage('card/pages/bright/index');
    // What the bundle's own code (its CBOR, base45, tweetnacl signature and QR encoder) put on the canvas.
    const text = await paintedCodeAfter(weapp.canvas, paintedBefore);
    const after = Date.now();
    expect(text.startsWith('EID1:')).toBe(true);
    const code = parseCode(text);
    expect(code.credential).toEqual(credential);
    expect(code.timestamp).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(code.timestamp).toBeLessThanOrEqual(after);
    expect(verifyCodeSignature(code, device.publicKey, tweetnaclEd25519)).toBe(true);
    // A code the bundle signed with another key would not pass: the check is not vacuous.
    const stranger = tweetnaclEd25519.keyPairFromSeed(new Uint8Array(32).fill(8));
    expect(verifyCodeSignature(code, stranger.publicKey, tweetnaclEd25519)).toBe(false);
  });

  it('when the build is measured, then the main package is within the 1 MB budget and has no eval', () => {
    const sizes = measureWeappBuild();
    expect(sizes.main).toBeGreaterThan(0);
    expect(sizes.main).toBeLessThanOrEqual(MAIN_PACKAGE_BUDGET);
    expect(Object.keys(sizes.subpackages)).toEqual([
      'enroll',
      'card',
      'usage',
      'account',
      'staff',
      'check',
      'licences',
      'calls',
      'consent',
      'signin',
    ]);
    expect(findDynamicCode()).toEqual([]);
  });
});
