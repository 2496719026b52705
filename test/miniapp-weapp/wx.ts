/**
 * The fake `wx` of the weapp harness: every API the build may call, recorded in `calls`; the ones whose
 * answer matters (storage, login, randomness, system info, selector queries, the one canvas) answer as
 * WeChat does, and `wx.request` asks the test's handler or fails as if the phone were offline.
 */

export type Options = Record<string, unknown> & {
  success?: (res: unknown) => void;
  fail?: (res: unknown) => void;
  complete?: (res: unknown) => void;
};

export interface WxCall {
  api: string;
  options: unknown;
}

export interface RequestHandler {
  (options: {
    url: string;
    method?: string;
    data?: unknown;
    header?: Record<string, string>;
  }): { statusCode: number; data: unknown; header?: Record<string, string> } | undefined;
}

const WX_APIS = [
  'request',
  'login',
  'getStorageSync',
  'setStorageSync',
  'removeStorageSync',
  'getStorage',
  'setStorage',
  'removeStorage',
  'getSystemInfoSync',
  'getSystemInfo',
  'getWindowInfo',
  'getDeviceInfo',
  'getAppBaseInfo',
  'canIUse',
  'nextTick',
  'setNavigationBarTitle',
  'navigateTo',
  'redirectTo',
  'reLaunch',
  'navigateBack',
  'switchTab',
  'showModal',
  'showToast',
  'hideToast',
  'showLoading',
  'hideLoading',
  'getScreenBrightness',
  'setScreenBrightness',
  'setKeepScreenOn',
  'chooseMedia',
  'chooseImage',
  'getFileSystemManager',
  'scanCode',
  'startFacialRecognitionVerify',
  'setClipboardData',
  'getRandomValues',
  'createSelectorQuery',
  'getMenuButtonBoundingClientRect',
  'pageScrollTo',
  'onAppShow',
  'onAppHide',
  'offAppShow',
  'offAppHide',
  'getLaunchOptionsSync',
  'getEnterOptionsSync',
  'getUpdateManager',
];

/** The 2D canvas a page may draw on (the bright code); it records what was painted. */
export interface FakeCanvas {
  width: number;
  height: number;
  painted: number[][];
  getContext(): { fillStyle: string; fillRect(...rect: number[]): void };
}

/** wx, the canvas it hands out, and its selector query (pages get the same one). */
export function createWx(state: {
  calls: WxCall[];
  storage: Map<string, unknown>;
  /** The test's handler at the moment of each request. */
  requestHandler: () => RequestHandler | null;
}): { wx: Record<string, unknown>; canvas: FakeCanvas; createSelectorQuery: () => unknown } {
  const { calls, storage } = state;
  const ok = (api: string, options: Options | undefined, result: Record<string, unknown> = {}) => {
    const res = { errMsg: `${api}:ok`, ...result };
    setTimeout(() => {
      options?.success?.(res);
      options?.complete?.(res);
    }, 0);
  };
  const systemInfo = {
    platform: 'devtools',
    system: 'iOS 17',
    model: 'iPhone',
    language: 'zh_CN',
    version: '8.0.50',
    SDKVersion: '3.6.0',
    pixelRatio: 2,
    windowWidth: 375,
    windowHeight: 700,
    screenWidth: 375,
    screenHeight: 812,
    statusBarHeight: 44,
    safeArea: { top: 44, bottom: 778, left: 0, right: 375, width: 375, height: 734 },
  };

  const canvas: FakeCanvas = {
    width: 0,
    height: 0,
    painted: [],
    getContext: () => ({
      fillStyle: '',
      fillRect: (...rect: number[]) => void canvas.painted.push(rect),
    }),
  };

  const known: Record<string, (options?: Options, ...rest: unknown[]) => unknown> = {
    getSystemInfoSync: () => systemInfo,
    getWindowInfo: () => systemInfo,
    getDeviceInfo: () => systemInfo,
    getAppBaseInfo: () => systemInfo,
    getSystemInfo: (o) => ok('getSystemInfo', o, systemInfo),
    canIUse: () => true,
    getStorageSync: (key) => storage.get(key as unknown as string) ?? '',
    setStorageSync: (key, value) => void storage.set(key as unknown as string, value),
    removeStorageSync: (key) => void storage.delete(key as unknown as string),
    getStorage: (o) => ok('getStorage', o, { data: storage.get(String(o?.key)) }),
    setStorage: (o) => {
      storage.set(String(o?.key), o?.data);
      ok('setStorage', o);
    },
    login: (o) => ok('login', o, { code: 'weapp-smoke-code' }),
    getRandomValues: (o) => {
      const bytes = new Uint8Array(Number(o?.length ?? 0));
      globalThis.crypto.getRandomValues(bytes);
      ok('getRandomValues', o, { randomValues: bytes.buffer });
    },
    request: (o) => {
      const opts = o as Options & { url: string };
      const answer = state.requestHandler()?.(opts as Parameters<RequestHandler>[0]);
      setTimeout(() => {
        if (answer) {
          const res = { errMsg: 'request:ok', header: {}, ...answer };
          opts.success?.(res);
          opts.complete?.(res);
        } else {
          const res = { errMsg: 'request:fail net::ERR_INTERNET_DISCONNECTED' };
          opts.fail?.(res);
          opts.complete?.(res);
        }
      }, 0);
      return { abort() {}, onHeadersReceived() {}, offHeadersReceived() {} };
    },
    nextTick: (fn) => void Promise.resolve().then(fn as unknown as () => void),
    createSelectorQuery: () => {
      const query = {
        in: () => query,
        select: () => query,
        selectAll: () => query,
        selectViewport: () => query,
        fields: () => query,
        boundingClientRect: () => query,
        scrollOffset: () => query,
        node: () => query,
        exec: (cb?: (res: unknown[]) => void) =>
          setTimeout(() => cb?.([{ node: canvas, width: 300, height: 300 }]), 0),
      };
      return query;
    },
    getMenuButtonBoundingClientRect: () => ({
      top: 48,
      right: 365,
      bottom: 80,
      left: 278,
      width: 87,
      height: 32,
    }),
  };

  // Taro copies the platform's API from `Object.keys(wx)`, so wx is a plain object listing each API
  // the build may call; unlisted ones would surface as "not a function", as on an old WeChat.
  const wx: Record<string, unknown> = {};
  for (const api of WX_APIS) {
    wx[api] = (options?: Options, ...rest: unknown[]) => {
      calls.push({ api, options });
      if (known[api]) return known[api]!(options, ...rest);
      if (options && typeof options === 'object') ok(api, options);
      return undefined;
    };
  }
  return { wx, canvas, createSelectorQuery: known.createSelectorQuery! };
}
