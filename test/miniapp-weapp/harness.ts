import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { createWx, type RequestHandler, type WxCall } from './wx';

export type { RequestHandler, WxCall } from './wx';

/**
 * A stand-in for the WeChat mini-program runtime, enough to run the weapp build in Node: a CommonJS
 * loader with WeChat's globals (App, Page, Component, getApp, getCurrentPages, wx) inside a fresh V8
 * context without Node's (no process, Buffer or require of built-ins), as on a phone. `wx` answers
 * the calls the build makes; network calls fail as if the phone were offline unless a test says so.
 */

export const WEAPP_DIST = path.resolve(__dirname, '../../miniapp/dist/weapp');

export interface TaroNode {
  nn?: string;
  v?: string;
  cl?: string;
  sid?: string;
  uid?: string;
  cn?: TaroNode[];
  [attr: string]: unknown;
}

export interface PageInstance {
  route: string;
  data: { root: TaroNode };
  setData(patch: Record<string, unknown>, cb?: () => void): void;
  [method: string]: unknown;
}

export interface Weapp {
  appJson: { pages: string[]; subPackages?: { root: string; pages: string[] }[] };
  /** Every page route in app.json, main package first. */
  routes: string[];
  registered: Map<string, Record<string, unknown>>;
  components: Record<string, unknown>[];
  calls: WxCall[];
  storage: Map<string, unknown>;
  /** The rectangles painted on the page's 2D canvas, and its width in device pixels. */
  canvas: { painted: number[][]; width: number };
  /** The app instance App() registered. */
  app: Record<string, unknown>;
  /** Loads a page script (as WeChat does on first navigation) and answers whether it called Page(). */
  loadPage(route: string): Record<string, unknown> | undefined;
  /** Creates a page instance and runs onLoad/onShow/onReady, as a navigation would. */
  openPage(route: string, query?: Record<string, string>): Promise<PageInstance>;
  /** Dispatches a tap to the node with this id, through the page's event handler. */
  tap(page: PageInstance, node: TaroNode): Promise<void>;
  /** Lets queued renders and timers run. */
  settle(ms?: number): Promise<void>;
  onRequest(handler: RequestHandler | null): void;
  /** Stops every timer the build started (pages keep intervals running, as on a phone). */
  close(): void;
}

/** Every text in a rendered Taro tree, in document order. */
export function texts(node: TaroNode | undefined, out: string[] = []): string[] {
  if (!node) return out;
  if (typeof node.v === 'string' && node.v.trim() !== '') out.push(node.v);
  for (const child of node.cn ?? []) texts(child, out);
  return out;
}

/** The first node (depth first) for which `match` is true. */
export function findNode(node: TaroNode | undefined, match: (n: TaroNode) => boolean): TaroNode | undefined {
  if (!node) return undefined;
  if (match(node)) return node;
  for (const child of node.cn ?? []) {
    const hit = findNode(child, match);
    if (hit) return hit;
  }
  return undefined;
}

function setPath(target: Record<string, unknown>, key: string, value: unknown): void {
  // Taro writes keys like `root.cn.[0].cn.[2].v` and `root.cn[1]`.
  const parts = key.match(/[^.[\]]+|\[\d+\]/g) ?? [];
  let obj: Record<string, unknown> | unknown[] = target;
  parts.forEach((raw, i) => {
    const k = raw.startsWith('[') ? Number(raw.slice(1, -1)) : raw;
    const last = i === parts.length - 1;
    const holder = obj as Record<string | number, unknown>;
    if (last) {
      holder[k] = value;
      return;
    }
    if (holder[k] === undefined || holder[k] === null) {
      holder[k] = typeof parts[i + 1] === 'string' && parts[i + 1]!.startsWith('[') ? [] : {};
    }
    obj = holder[k] as Record<string, unknown>;
  });
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Boots the weapp build: loads app.js and runs the app's launch hooks. */
export async function bootWeapp(dist = WEAPP_DIST): Promise<Weapp> {
  const appJsonPath = path.join(dist, 'app.json');
  if (!existsSync(appJsonPath)) {
    throw new Error('miniapp/dist/weapp is missing: run `npm run build:miniapp` first (npm test does)');
  }
  const appJson = JSON.parse(readFileSync(appJsonPath, 'utf8')) as Weapp['appJson'];
  const routes = [
    ...appJson.pages,
    ...(appJson.subPackages ?? []).flatMap((p) => p.pages.map((page) => `${p.root}/${page}`)),
  ];
  const registered = new Map<string, Record<string, unknown>>();
  const components: Record<string, unknown>[] = [];
  const calls: WxCall[] = [];
  const storage = new Map<string, unknown>();
  const pageStack: PageInstance[] = [];
  let requestHandler: RequestHandler | null = null;
  let appInstance: Record<string, unknown> | undefined;
  let loadingRoute = '';

  const { wx, canvas, createSelectorQuery } = createWx({
    calls,
    storage,
    requestHandler: () => requestHandler,
  });

  const timers = new Set<ReturnType<typeof setTimeout>>();
  const track =
    <A extends unknown[]>(
      start: (fn: (...a: A) => void, ms?: number, ...args: A) => ReturnType<typeof setTimeout>,
    ) =>
    (fn: (...a: A) => void, ms?: number, ...args: A) => {
      const handle = start(fn, ms, ...args);
      timers.add(handle);
      return handle;
    };
  const context = vm.createContext({
    wx,
    console,
    setTimeout: track(setTimeout),
    clearTimeout,
    setInterval: track(setInterval),
    clearInterval,
    App: (config: Record<string, unknown>) => {
      appInstance = config;
    },
    Page: (config: Record<string, unknown>) => {
      registered.set(loadingRoute, config);
    },
    Component: (config: Record<string, unknown>) => {
      components.push(config);
    },
    Behavior: (config: unknown) => config,
    getApp: () => appInstance,
    getCurrentPages: () => [...pageStack],
    requirePlugin: () => ({}),
  });

  const cache = new Map<string, { exports: unknown }>();
  const load = (file: string): unknown => {
    const resolved = file.endsWith('.js') ? file : `${file}.js`;
    const hit = cache.get(resolved);
    if (hit) return hit.exports;
    const module = { exports: {} as unknown };
    cache.set(resolved, module);
    const code = readFileSync(resolved, 'utf8');
    const fn = vm.runInContext(`(function (require, module, exports) {${code}\n})`, context, {
      filename: resolved,
    }) as (req: (p: string) => unknown, m: typeof module, e: unknown) => void;
    fn((rel) => load(path.resolve(path.dirname(resolved), rel)), module, module.exports);
    return module.exports;
  };

  load(path.join(dist, 'app.js'));
  if (!appInstance) throw new Error('app.js did not call App()');
  const launch = { path: appJson.pages[0], query: {}, scene: 1001, referrerInfo: {} };
  (appInstance.onLaunch as ((o: unknown) => void) | undefined)?.call(appInstance, launch);
  (appInstance.onShow as ((o: unknown) => void) | undefined)?.call(appInstance, launch);

  const settle = async (ms = 30) => {
    for (let i = 0; i < 3; i += 1) await delay(ms / 3);
  };

  const weapp: Weapp = {
    appJson,
    routes,
    registered,
    components,
    calls,
    storage,
    canvas,
    app: appInstance,
    loadPage(route) {
      loadingRoute = route;
      load(path.join(dist, route));
      return registered.get(route);
    },
    async openPage(route, query = {}) {
      const config = registered.get(route) ?? weapp.loadPage(route);
      if (!config) throw new Error(`${route} did not call Page()`);
      const page = Object.create(config) as PageInstance;
      page.route = route;
      page.data = structuredClone(config.data ?? { root: { cn: [] } }) as PageInstance['data'];
      page.setData = (patch, cb) => {
        for (const [key, value] of Object.entries(patch))
          setPath(page.data as Record<string, unknown>, key, value);
        if (cb) setTimeout(cb, 0);
      };
      page.__wxWebviewId__ = pageStack.length + 1;
      page.options = query;
      page.getOpenerEventChannel = () => ({ on() {}, emit() {}, once() {}, off() {} });
      page.selectComponent = () => null;
      page.createSelectorQuery = createSelectorQuery;
      pageStack.push(page);
      const call = (hook: string, ...args: unknown[]) =>
        (config[hook] as ((...a: unknown[]) => void) | undefined)?.apply(page, args);
      call('onLoad', query);
      call('onShow');
      call('onReady');
      // Taro mounts and renders asynchronously; wait (bounded) for the first render to land.
      for (let i = 0; i < 50 && (page.data.root.cn ?? []).length === 0; i += 1) await delay(10);
      await settle();
      return page;
    },
    async tap(page, node) {
      const id = (node.uid as string | undefined) ?? node.sid ?? '';
      const target = { id, dataset: { sid: node.sid }, offsetLeft: 0, offsetTop: 0 };
      (page.eh as (e: unknown) => void).call(page, {
        type: 'tap',
        timeStamp: Date.now(),
        target,
        currentTarget: target,
        detail: { x: 1, y: 1 },
        touches: [],
        changedTouches: [],
      });
      await settle();
    },
    settle,
    onRequest(handler) {
      requestHandler = handler;
    },
    close() {
      for (const handle of timers) clearTimeout(handle);
      timers.clear();
    },
  };
  return weapp;
}
