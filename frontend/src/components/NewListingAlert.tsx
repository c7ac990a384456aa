import { useEffect, useRef, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { useRealTimeData } from '../hooks/useRealTimeData';
import { daysUntil } from '../lib/dates';
import { formatBps, formatPaise } from '../lib/money';
import type { Invoice } from '../types';
import { CloseIcon } from './Icons';

const SHOW_FOR_MS = 12_000;

/**
 * "New invoice listed" pop-up with a quick Invest Now, for investors away from the
 * marketplace (there, the new card itself slides in with its "New" mark).
 */
export function NewListingAlert() {
  const {
    realTimeData: { newInvoices },
  } = useRealTimeData();
  const [alert, setAlert] = useState<Invoice | null>(null);
  const alerted = useRef(new Set<number>());
  const location = useLocation();
  const navigate = useNavigate();
  const onMarketplace = location.pathname === '/marketplace';

  useEffect(() => {
    const latest = newInvoices[0];
    if (!latest || alerted.current.has(latest.id)) return;
    alerted.current.add(latest.id);
    if (!onMarketplace) setAlert(latest);
  }, [newInvoices, onMarketplace]);

  // Follow the invoice while shown; it leaves when funded.
  const current = alert ? (newInvoices.find((i) => i.id === alert.id) ?? null) : null;

  useEffect(() => {
    if (!alert) return;
    const timer = setTimeout(() => setAlert(null), SHOW_FOR_MS);
    return () => clearTimeout(timer);
  }, [alert]);

  if (!current || onMarketplace) return null;

  return (
    <div className="listing-alert" aria-live="polite">
      <div className="listing-alert__pulse" aria-hidden="true" />
      <div className="listing-alert__body">
        <div className="listing-alert__title">New invoice on the marketplace</div>
        <div className="listing-alert__text">
          {current.buyer_name}: {formatPaise(current.funding_target)} · {formatBps(current.annual_yield_bps)} p.a. ·{' '}
          {daysUntil(current.due_date)} days
        </div>
      </div>
      <button
        type="button"
        className="btn btn--primary btn--sm"
        onClick={() => {
          setAlert(null);
          navigate(`/marketplace?invest=${current.id}`);
        }}
      >
        Invest Now
      </button>
      <button type="button" className="icon-btn icon-btn--sm" aria-label="Dismiss alert" onClick={() => setAlert(null)}>
        <CloseIcon size={14} />
      </button>
    </div>
  );
}
