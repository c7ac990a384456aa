import { useSyncExternalStore } from 'react';
import { serverClock } from '../lib/serverClock';

// One ticker for every countdown on the page: the server's time, once a second.
const listeners = new Set<() => void>();
let now = serverClock.now();
let timer: ReturnType<typeof setInterval> | null = null;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    now = serverClock.now();
    timer = setInterval(() => {
      now = serverClock.now();
      listeners.forEach((l) => l());
    }, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

/** The server's clock (ms since the epoch), re-rendering once a second. */
export function useServerNow(): number {
  return useSyncExternalStore(subscribe, () => now);
}
