import { useCallback, useSyncExternalStore } from 'react';

/** Below this width rows become cards and the navigation moves to a bar at the bottom. */
export const PHONE_QUERY = '(max-width: 639px)';

/** Whether a CSS media query matches now (false where there is no matchMedia, as in tests). */
export function useMediaQuery(query: string): boolean {
  const subscribe = useCallback(
    (onChange: () => void) => {
      const list = globalThis.matchMedia?.(query);
      list?.addEventListener('change', onChange);
      return () => list?.removeEventListener('change', onChange);
    },
    [query],
  );
  return useSyncExternalStore(subscribe, () => globalThis.matchMedia?.(query).matches ?? false);
}
