import { useCallback, useEffect } from 'react';
import { useSearchParams } from 'react-router';

/** What marks a row (or card) as showing an invoice, so a link can point at it. */
export interface InvoiceRowProps {
  'data-invoice-id': number;
  className?: string;
}

/**
 * The invoice a link points at (`?invoice=<id>`, from the bell or a toast): scrolled into
 * view once `ready` (the rows are there), and the props that mark each row with its invoice
 * (highlighted when it is that one).
 */
export function useHighlight(ready: boolean) {
  const [params] = useSearchParams();
  const highlight = Number(params.get('invoice')) || null;
  useEffect(() => {
    if (highlight && ready) {
      document.querySelector(`[data-invoice-id="${highlight}"]`)?.scrollIntoView({ block: 'center', behavior: 'smooth' });
    }
  }, [highlight, ready]);
  const rowProps = useCallback(
    (invoiceId: number): InvoiceRowProps => ({
      'data-invoice-id': invoiceId,
      className: invoiceId === highlight ? 'row--highlight' : undefined,
    }),
    [highlight],
  );
  return { highlight, rowProps };
}
