/** What the camera loop needs from a QR decoder: the Barcode Detection API's `detect`. */
export interface QrDetector {
  detect(source: ImageBitmapSource): Promise<{ rawValue: string }[]>;
}

/** `native`: the browser's own BarcodeDetector; `polyfill`: ZXing in WebAssembly, served by our build. */
export type DecoderKind = 'native' | 'polyfill';

export interface Decoder {
  kind: DecoderKind;
  detector: QrDetector;
}

interface NativeDetectorClass {
  new (options?: { formats?: string[] }): QrDetector;
  getSupportedFormats?: () => Promise<string[]>;
}

// Where miniapp/config/index.ts copies ZXing's reader: named by the first 8 hex digits of its SHA-256,
// the same digest the package reports, so a mismatched copy is a 404 rather than a wrong module, and
// the H5 server may cache the file for good.
const WASM_DIR = 'static/wasm/';

/** The URL our H5 build serves ZXing's reader WebAssembly from, for the digest the package expects. */
export function zxingWasmUrl(sha256: string, publicPath = webpackPublicPath()): string {
  return `${publicPath}${WASM_DIR}zxing_reader.${sha256.slice(0, 8)}.wasm`;
}

// Set by webpack at run time (the H5 config's publicPath); declared here because not every project
// compiling this file (the tests) loads webpack's types, and absent outside webpack.
declare const __webpack_public_path__: string | undefined;

function webpackPublicPath(): string {
  return typeof __webpack_public_path__ === 'string' && __webpack_public_path__
    ? __webpack_public_path__
    : '/';
}

/**
 * The browser's own detector when it has one that reads QR codes. Chromium on Linux and desktop Firefox
 * have none; some builds expose the class with an empty format list, which counts as none.
 */
export async function nativeDetector(scope: object = globalThis): Promise<QrDetector | null> {
  const Native = (scope as { BarcodeDetector?: NativeDetectorClass }).BarcodeDetector;
  if (typeof Native !== 'function') return null;
  try {
    const formats = Native.getSupportedFormats ? await Native.getSupportedFormats() : ['qr_code'];
    if (!formats.includes('qr_code')) return null;
    return new Native({ formats: ['qr_code'] });
  } catch {
    return null;
  }
}

/**
 * The QR decoder for the H5 camera: native where the browser has it, otherwise the `barcode-detector`
 * polyfill. The polyfill is imported only here, so webpack puts it (and ZXing's glue) in a chunk the
 * scanning pages load on demand; its WebAssembly comes from our own server, never from the package's CDN
 * default. The wasm itself is fetched on the first `detect`.
 */
export async function loadDecoder(scope: object = globalThis): Promise<Decoder> {
  const native = await nativeDetector(scope);
  if (native) return { kind: 'native', detector: native };
  // A build-time branch: the weapp build drops it, import and all, so the mini-program never carries ZXing.
  if (process.env.TARO_ENV === 'h5') {
    const zxing = await import('barcode-detector/ponyfill');
    const wasm = zxingWasmUrl(zxing.ZXING_WASM_SHA256);
    zxing.prepareZXingModule({
      overrides: {
        locateFile: (file: string, prefix: string) => (file.endsWith('.wasm') ? wasm : prefix + file),
      },
    });
    return { kind: 'polyfill', detector: new zxing.BarcodeDetector({ formats: ['qr_code'] }) };
  }
  throw new Error('no QR decoder on this platform');
}
