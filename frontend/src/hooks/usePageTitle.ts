import { useEffect } from 'react';

/** The tab's title for this page: "Marketplace · FactorFlow". */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · FactorFlow`;
  }, [title]);
}
