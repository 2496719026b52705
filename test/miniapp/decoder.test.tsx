import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  BarcodeDetector as Polyfill,
  prepareZXingModule,
  ZXING_WASM_SHA256,
} from 'barcode-detector/ponyfill';
import { loadDecoder, nativeDetector, zxingWasmUrl } from '../../miniapp/src/lib/decoder';

/**
 * The staff camera's choice of QR decoder: the browser's own BarcodeDetector when it reads QR codes,
 * otherwise the barcode-detector polyfill, whose WebAssembly is asked of our own server. The "native"
 * classes here stand in for the browser's API (jsdom has none); the polyfill is the real package.
 */

class NativeQr {
  static made: { formats?: string[] }[] = [];
  static getSupportedFormats = () => Promise.resolve(['aztec', 'qr_code']);
  constructor(options?: { formats?: string[] }) {
    NativeQr.made.push(options ?? {});
  }
  detect() {
    return Promise.resolve([{ rawValue: 'EID1:NATIVE' }]);
  }
}

class NativeWithoutQr extends NativeQr {
  static override getSupportedFormats = () => Promise.resolve(['ean_13']);
}

class NativeBroken extends NativeQr {
  static override getSupportedFormats = () => Promise.reject(new Error('not here'));
}

const shipped = require.resolve('zxing-wasm/reader/zxing_reader.wasm', {
  paths: [require.resolve('barcode-detector')],
});

// jsdom has no fetch: this one stands in for the network, records what the polyfill asks for and answers
// with the file our build copies (miniapp/config), so the real ZXing module compiles here.
const asked: string[] = [];
// The stand-in answer is no fetch Response, so ZXing's streaming compile falls back to an ArrayBuffer
// and says so on the console (the first polyfill made starts the load); nothing else may be reported.
let errors: jest.SpyInstance;
beforeAll(() => {
  errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  Object.assign(window, {
    fetch: (url: unknown) => {
      asked.push(String(url));
      const bytes = readFileSync(shipped);
      return Promise.resolve({ ok: true, status: 200, url: String(url), arrayBuffer: async () => bytes });
    },
  });
});

afterAll(() => errors.mockRestore());

beforeEach(() => {
  NativeQr.made = [];
});

describe('the QR decoder of the staff camera', () => {
  it('when the browser has a BarcodeDetector that reads QR codes, then that one is used, for QR codes only', async () => {
    const decoder = await loadDecoder({ BarcodeDetector: NativeQr });
    expect(decoder.kind).toBe('native');
    expect(decoder.detector).toBeInstanceOf(NativeQr);
    expect(NativeQr.made).toEqual([{ formats: ['qr_code'] }]);
    await expect(decoder.detector.detect(new Blob())).resolves.toEqual([{ rawValue: 'EID1:NATIVE' }]);
  });

  it('when the browser’s BarcodeDetector cannot read QR codes or fails to answer, then the polyfill is used', async () => {
    await expect(nativeDetector({ BarcodeDetector: NativeWithoutQr })).resolves.toBeNull();
    await expect(nativeDetector({ BarcodeDetector: NativeBroken })).resolves.toBeNull();
    const decoder = await loadDecoder({ BarcodeDetector: NativeWithoutQr });
    expect(decoder.kind).toBe('polyfill');
    expect(decoder.detector).toBeInstanceOf(Polyfill);
  });

  it('when the browser has no BarcodeDetector (as jsdom and Chromium on Linux), then the polyfill is used', async () => {
    expect('BarcodeDetector' in window).toBe(false);
    const decoder = await loadDecoder();
    expect(decoder.kind).toBe('polyfill');
    expect(decoder.detector).toBeInstanceOf(Polyfill);
    expect(decoder.detector).not.toBeInstanceOf(NativeQr);
  });

  it('when the polyfill looks for its WebAssembly, then it asks our build under the file’s own digest, never the CDN', async () => {
    await loadDecoder({});
    const zxing = await prepareZXingModule({ fireImmediately: true });
    expect(typeof zxing).toBe('object');
    const digest = createHash('sha256').update(readFileSync(shipped)).digest('hex');
    // The digest the package expects is the file's: the name miniapp/config copies it under.
    expect(ZXING_WASM_SHA256).toBe(digest);
    expect(zxingWasmUrl(ZXING_WASM_SHA256)).toBe(`/static/wasm/zxing_reader.${digest.slice(0, 8)}.wasm`);
    expect(zxingWasmUrl(ZXING_WASM_SHA256, '/h5/')).toBe(
      `/h5/static/wasm/zxing_reader.${digest.slice(0, 8)}.wasm`,
    );
    expect(asked.length).toBeGreaterThan(0);
    expect(new Set(asked)).toEqual(new Set([zxingWasmUrl(ZXING_WASM_SHA256)]));
    for (const [message] of errors.mock.calls)
      expect(String(message)).toMatch(/wasm streaming compile failed|falling back to ArrayBuffer/);
  });
});
