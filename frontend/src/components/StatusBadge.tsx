import type { Invoice, InvestmentStatus, InvoiceStatus } from '../api/types';
import { formatRelativeDays } from '../lib/dates';

export const INVOICE_STATUS_LABELS: Record<InvoiceStatus, string> = {
  pending_acceptance: 'Awaiting buyer',
  rejected: 'Rejected',
  listed: 'Listed',
  funded: 'Funded',
  overdue: 'Overdue',
  defaulted: 'Defaulted',
  settled: 'Settled',
  written_off: 'Written off',
  cancelled: 'Cancelled',
};

export const INVESTMENT_STATUS_LABELS: Record<InvestmentStatus, string> = {
  active: 'Active',
  settled: 'Repaid',
  refunded: 'Refunded',
  written_off: 'Written off',
};

/** A status as a coloured pill (the colour comes from the status's own class). */
export function StatusBadge({ status, label }: { status: InvoiceStatus | InvestmentStatus; label: string }) {
  return <span className={`badge badge--${status}`}>{label}</span>;
}

/** An invoice's status, and how late it is when it is. */
export function InvoiceStatusBadge({ invoice }: { invoice: Pick<Invoice, 'status' | 'days_past_due'> }) {
  const late = invoice.status === 'overdue' || invoice.status === 'defaulted';
  return (
    <span className="status-badges">
      <StatusBadge status={invoice.status} label={INVOICE_STATUS_LABELS[invoice.status]} />
      {late && invoice.days_past_due > 0 && <span className="cell-sub nowrap">{formatRelativeDays(-invoice.days_past_due)}</span>}
    </span>
  );
}
