// Columns that several invoice tables share (a seller's, a buyer's, the operator's).

import { BadgeCheck } from 'lucide-react';
import type { ReactNode } from 'react';
import type { Invoice } from '../api/types';
import { daysUntil, formatDate, formatRelativeDays } from '../lib/dates';
import { formatPaise } from '../lib/money';
import type { Column } from './DataTable';
import { InvoiceStatusBadge } from './StatusBadge';

/** Still to be paid by someone: the countdown to the due date matters. */
const COUNTING_DOWN = new Set<Invoice['status']>(['pending_acceptance', 'listed', 'funded']);

/** The invoice number, with a second line (its buyer, its seller, …). */
export function invoiceColumn(sub: (invoice: Invoice) => ReactNode): Column<Invoice> {
  return {
    header: 'Invoice',
    phone: 'title',
    cell: (invoice) => (
      <>
        <div className="cell-title">{invoice.invoice_number}</div>
        <div className="cell-sub">{sub(invoice)}</div>
      </>
    ),
  };
}

/** The buyer's name, marked when the buyer itself confirmed the invoice. */
export function BuyerName({ invoice }: { invoice: Pick<Invoice, 'buyer_name' | 'buyer_confirmed'> }) {
  return (
    <>
      {invoice.buyer_name}
      {invoice.buyer_confirmed && (
        <span className="confirmed-mark" title="Buyer confirmed">
          <BadgeCheck size={13} aria-hidden="true" />
          <span className="visually-hidden"> (buyer confirmed)</span>
        </span>
      )}
    </>
  );
}

export const statusColumn: Column<Invoice> = {
  header: 'Status',
  phone: 'badge',
  cell: (invoice) => <InvoiceStatusBadge invoice={invoice} />,
};

export const faceValueColumn: Column<Invoice> = { header: 'Face value', numeric: true, cell: (invoice) => formatPaise(invoice.amount) };

/** Funded and not settled: there is something to repay (the server's `owed` is 0 before). */
const REPAYING = new Set<Invoice['status']>(['funded', 'overdue', 'defaulted', 'written_off']);

/** What is still owed: face value unpaid plus late interest. */
export const owedColumn: Column<Invoice> = {
  header: 'Owed',
  numeric: true,
  cell: (invoice) =>
    REPAYING.has(invoice.status) ? (
      <>
        {formatPaise(invoice.owed)}
        {invoice.late_interest > 0 && <div className="cell-sub">incl. {formatPaise(invoice.late_interest)} late interest</div>}
      </>
    ) : (
      <span className="cell-sub">—</span>
    ),
};

export const dueColumn: Column<Invoice> = {
  header: 'Due',
  cell: (invoice) => {
    const days = daysUntil(invoice.due_date);
    return (
      <>
        <div className="nowrap">{formatDate(invoice.due_date)}</div>
        {COUNTING_DOWN.has(invoice.status) && (
          <div className={`cell-sub nowrap ${days < 0 ? 'text-negative' : ''}`}>{formatRelativeDays(days)}</div>
        )}
      </>
    );
  },
};
