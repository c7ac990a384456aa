import { useCallback, useSyncExternalStore } from 'react';

/** Below this width a table of seven columns no longer fits: rows become cards. */
export const NARROW_QUERY = '(max-width: 899px)';

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
