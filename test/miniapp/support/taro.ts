/**
 * `@tarojs/taro` for component tests: Taro's H5 API plus the page hooks, which in a real build the
 * framework plugin injects at compile time. Page hooks map onto React effects of the mounted tree.
 */
import * as h5 from '@tarojs/taro-h5';
import { useEffect, useRef } from 'react';

export * from '@tarojs/taro-h5';

let routerParams: Record<string, string> = {};

/** Sets what `useRouter().params` answers in the next render (tests only). */
export function setRouterParams(params: Record<string, string>): void {
  routerParams = params;
}

function useLatest<T>(value: T) {
  const ref = useRef(value);
  ref.current = value;
  return ref;
}

type Callback = (...args: unknown[]) => void;

function onMount(cb: Callback, arg?: unknown) {
  const latest = useLatest(cb);
  useEffect(() => {
    latest.current(arg);
  }, []);
}

function onUnmount(cb: Callback) {
  const latest = useLatest(cb);
  useEffect(() => () => latest.current(), []);
}

export const useLoad = (cb: Callback) => onMount(cb, routerParams);
export const useReady = (cb: Callback) => onMount(cb);
export const useDidShow = (cb: Callback) => onMount(cb);
export const useDidHide = (cb: Callback) => onUnmount(cb);
export const useUnload = (cb: Callback) => onUnmount(cb);
export const useLaunch = (cb: Callback) => onMount(cb);
export const usePullDownRefresh = () => undefined;
export const useReachBottom = () => undefined;
export const useRouter = () => ({ params: routerParams, path: '' });

// The H5 build rewrites `Taro.x` into named imports of x; here the default export gathers them all.
const Taro = Object.assign({}, h5.default, h5, {
  useLoad,
  useReady,
  useDidShow,
  useDidHide,
  useUnload,
  useLaunch,
  usePullDownRefresh,
  useReachBottom,
  useRouter,
});

export default Taro;
