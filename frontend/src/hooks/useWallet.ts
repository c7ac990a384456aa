// The wallet shown in the header (and the wallet page): fetched once, then kept live from
// walletUpdated / investmentSuccess events and from funding responses; refetched on reconnect.

import { createContext, createElement, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { walletApi } from '../lib/api';
import type { Wallet } from '../types';
import { useLiveEvent, useRealTimeData } from './useRealTimeData';

interface WalletContextValue {
  wallet: Wallet | null;
  /** Apply a wallet from an API response, unless a newer one is already shown. */
  applyWallet(wallet: Wallet): void;
  reload(): void;
}

const WalletContext = createContext<WalletContextValue | null>(null);

function isNotOlder(candidate: Wallet, current: Wallet | null): boolean {
  if (!current) return true;
  const a = Date.parse(candidate.updated_at);
  const b = Date.parse(current.updated_at);
  if (Number.isNaN(a) || Number.isNaN(b)) return true;
  return a >= b;
}

export function WalletProvider({ children }: { children?: ReactNode }) {
  const [wallet, setWallet] = useState<Wallet | null>(null);
  const { refreshTick } = useRealTimeData();
  const requestSeq = useRef(0);

  const applyWallet = useCallback((next: Wallet) => {
    setWallet((current) => (isNotOlder(next, current) ? next : current));
  }, []);

  const reload = useCallback(() => {
    const seq = ++requestSeq.current;
    walletApi
      .get()
      .then(({ wallet: fetched }) => {
        if (seq === requestSeq.current) applyWallet(fetched);
      })
      .catch(() => {
        // The header keeps the last balance; the next reconnect refetches.
      });
  }, [applyWallet]);

  useEffect(() => {
    reload();
  }, [reload, refreshTick]);

  useLiveEvent('walletUpdated', (event) => {
    if (event.wallet) applyWallet(event.wallet);
  });
  useLiveEvent('investmentSuccess', (event) => {
    if (event.wallet) applyWallet(event.wallet);
  });

  const value = useMemo(() => ({ wallet, applyWallet, reload }), [wallet, applyWallet, reload]);
  return createElement(WalletContext.Provider, { value }, children);
}

export function useWallet(): WalletContextValue {
  const value = useContext(WalletContext);
  if (!value) throw new Error('useWallet() must be used inside <WalletProvider>');
  return value;
}
