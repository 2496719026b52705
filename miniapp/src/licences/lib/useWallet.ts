import type { LicenceWallet } from '@eid/shared';
import { useDidShow } from '@tarojs/taro';
import { useRef, useState } from 'react';
import { getWallet, refreshWallet } from '../../services/licences';
import { cachedWallet, cacheWallet } from './cache';

export interface WalletState {
  /** The wallet to show: the BFF's answer, or this device's saved copy until (or instead of) it. */
  wallet: LicenceWallet | undefined;
  /** True while the wallet shown is the saved copy because the BFF could not be reached. */
  stale: boolean;
  loading: boolean;
  /** The failure of the last load when there is nothing saved to show instead. */
  error: unknown;
  /** A pull from the licence system in flight. */
  refreshing: boolean;
  /** What the last refresh found. */
  refreshed?: 'changed' | 'unchanged';
  refreshError: unknown;
}

/**
 * The resident's wallet: the saved copy at once, the BFF's stored wallet each time the page shows, and a
 * pull from the licence system on `refresh` (pull-down or the button), which keeps what is shown when
 * it fails.
 */
export function useWallet() {
  const [state, setState] = useState<WalletState>(() => {
    const saved = cachedWallet();
    return {
      wallet: saved,
      stale: false,
      loading: true,
      error: undefined,
      refreshing: false,
      refreshError: undefined,
    };
  });
  const inFlight = useRef(false);

  const load = async () => {
    setState((s) => ({ ...s, loading: true, error: undefined }));
    try {
      const wallet = await getWallet();
      cacheWallet(wallet);
      setState((s) => ({ ...s, wallet, stale: false, loading: false }));
    } catch (error) {
      setState((s) => ({
        ...s,
        loading: false,
        stale: s.wallet !== undefined,
        error: s.wallet === undefined ? error : undefined,
        refreshError: s.wallet === undefined ? undefined : error,
      }));
    }
  };

  const refresh = async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    setState((s) => ({ ...s, refreshing: true, refreshed: undefined, refreshError: undefined }));
    try {
      const answer = await refreshWallet();
      const wallet: LicenceWallet = {
        links: answer.links,
        documents: answer.documents,
        pulledAt: answer.pulledAt,
      };
      cacheWallet(wallet);
      setState((s) => ({
        ...s,
        wallet,
        stale: false,
        error: undefined,
        refreshing: false,
        refreshed: answer.changed ? 'changed' : 'unchanged',
      }));
    } catch (refreshError) {
      setState((s) => ({ ...s, refreshing: false, refreshError }));
    } finally {
      inFlight.current = false;
    }
  };

  useDidShow(() => void load());

  return { ...state, load, refresh };
}
