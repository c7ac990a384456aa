import type { InvestmentStatus, InvoiceStatus } from '../api/types';

const LABELS: Record<string, string> = {
  listed: 'Listed',
  funded: 'Funded',
  settled: 'Settled',
  cancelled: 'Cancelled',
  active: 'Active',
  refunded: 'Refunded',
};

export function StatusBadge({ status, overdue }: { status: InvoiceStatus | InvestmentStatus; overdue?: boolean }) {
  return (
    <span className="status-badges">
      <span className={`badge badge--${status}`}>{LABELS[status] ?? status}</span>
      {overdue && status !== 'settled' && status !== 'cancelled' && <span className="badge badge--overdue">Overdue</span>}
    </span>
  );
}
