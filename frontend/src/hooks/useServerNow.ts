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

/** While nothing ticks, the time read at the last render may be old: read it again (at most once a second, so it is stable between reads). */
function getSnapshot(): number {
  if (!timer) {
    const fresh = serverClock.now();
    if (Math.abs(fresh - now) >= 1000) now = fresh;
  }
  return now;
}

/** The server's clock (ms since the epoch), re-rendering once a second. */
export function useServerNow(): number {
  return useSyncExternalStore(subscribe, getSnapshot);
}
