import { useQuery } from '@tanstack/react-query';
import { X } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { invoiceQuery } from '../api/queries';
import { daysUntil } from '../lib/dates';
import { canFund } from '../lib/invoices';
import { formatBps, formatPaise } from '../lib/money';
import { useListingAlerts } from '../realtime/RealTimeProvider';

const SHOW_FOR_MS = 12_000;

/**
 * "New invoice listed" pop-up with a quick Invest Now, for investors away from the
 * marketplace (there, the new card itself slides in with its "New" mark).
 */
export function NewListingAlert() {
  const { ids } = useListingAlerts();
  const newest = ids[0] ?? null;
  const [hiddenId, setHiddenId] = useState<number | null>(null);
  const onMarketplace = useLocation().pathname === '/marketplace';
  const navigate = useNavigate();
  // The event put the invoice in the cache; later events keep it current (it leaves when funded).
  const { data: invoice } = useQuery({ ...invoiceQuery(newest ?? 0), enabled: newest !== null, staleTime: Infinity });

  useEffect(() => {
    if (newest === null) return;
    const timer = setTimeout(() => setHiddenId(newest), SHOW_FOR_MS);
    return () => clearTimeout(timer);
  }, [newest]);

  if (!invoice || newest === hiddenId || onMarketplace || !canFund(invoice)) return null;

  return (
    <div className="listing-alert" aria-live="polite">
      <div className="listing-alert__pulse" aria-hidden="true" />
      <div className="listing-alert__body">
        <div className="listing-alert__title">New invoice on the marketplace</div>
        <div className="listing-alert__text">
          {invoice.buyer_name}: {formatPaise(invoice.funding_target)} · {formatBps(invoice.annual_yield_bps)} p.a. ·{' '}
          {daysUntil(invoice.due_date)} days
        </div>
      </div>
      <button
        type="button"
        className="btn btn--primary btn--sm"
        onClick={() => {
          setHiddenId(invoice.id);
          navigate(`/marketplace?invest=${invoice.id}`);
        }}
      >
        Invest Now
      </button>
      <button type="button" className="icon-btn icon-btn--sm" aria-label="Dismiss alert" onClick={() => setHiddenId(invoice.id)}>
        <X size={14} aria-hidden="true" />
      </button>
    </div>
  );
}
