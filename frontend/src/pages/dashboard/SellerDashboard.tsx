import { useQuery, useQueryClient } from '@tanstack/react-query';
import { FileText } from 'lucide-react';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { applyInvoice } from '../../api/cache';
import { invoiceApi } from '../../api/mutations';
import { myInvoicesQuery, queryKeys, sellerStatsQuery, walletQuery } from '../../api/queries';
import type { Invoice, InvoiceStatus } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DataTable, type Column } from '../../components/DataTable';
import { BuyerName, dueColumn, faceValueColumn, invoiceColumn, statusColumn } from '../../components/InvoiceColumns';
import { InvoiceCard } from '../../components/InvoiceCard';
import { ProgressBar } from '../../components/ProgressBar';
import { Section } from '../../components/Section';
import { StatGrid } from '../../components/StatCard';
import { EmptyState, QueryState, SkeletonList } from '../../components/States';
import { INVOICE_STATUS_LABELS } from '../../components/StatusBadge';
import { useToast } from '../../components/Toasts';
import { useUser } from '../../hooks/useAuth';
import { useHighlight } from '../../hooks/useHighlight';
import { auctionOf, openAuctionOf } from '../../lib/auctions';
import { explain, type Words } from '../../lib/explain';
import { idempotencyKeys } from '../../lib/idempotency';
import { isPriced, sortInvoices } from '../../lib/invoices';
import { formatBps, formatPaise } from '../../lib/money';
import { SETTLE_WORDS } from '../../lib/payments';

export function SellerDashboard() {
  const stats = useQuery(sellerStatsQuery);
  return (
    <>
      <StatGrid
        label="Your figures"
        query={stats}
        cards={(s) => [
          { label: 'Total raised', value: formatPaise(s.total_raised), tone: 'accent', hint: 'Paid out to you by investors' },
          { label: 'Face value outstanding', value: formatPaise(s.face_value_outstanding), hint: 'Still to be repaid to investors' },
          { label: 'Awaiting buyers', value: s.pending_count, hint: 'Listed against a registered buyer' },
          { label: 'Listed', value: s.listed_count, hint: 'Waiting for investors' },
          { label: 'Funded', value: s.funded_count, hint: s.overdue_count > 0 ? `${s.overdue_count} overdue` : 'To repay at maturity' },
          { label: 'Settled', value: s.settled_count, hint: 'Repaid to investors' },
        ]}
      />
      <LiveAuctions />
      <MyInvoices />
    </>
  );
}

/** The seller's auctions taking bids: each with its live book and "Accept now". */
function LiveAuctions() {
  const { data: invoices } = useQuery(myInvoicesQuery);
  const open = (invoices ?? []).filter((invoice) => openAuctionOf(invoice) !== null);
  if (open.length === 0) return null;
  return (
    <Section title="Live auctions">
      <div className="inv-grid">
        {open.map((invoice) => (
          <InvoiceCard key={invoice.id} invoice={invoice} isNew={false} highlighted={false} />
        ))}
      </div>
    </Section>
  );
}

/** What the seller receives: the price, or why there is none yet. */
function priceCell(invoice: Invoice) {
  if (!isPriced(invoice)) return <span className="cell-sub">Set by the auction</span>;
  return (
    <>
      {formatPaise(invoice.funding_target)}
      <div className="cell-sub">
        at {formatBps(invoice.discount_rate_bps)} discount{invoice.status === 'pending_acceptance' && ', fixed on acceptance'}
      </div>
    </>
  );
}

/** How far along the invoice is: funding while listed, repayment once funded. */
function progressCell(invoice: Invoice) {
  switch (invoice.status) {
    case 'pending_acceptance':
      return <span className="cell-sub">Waiting for {invoice.buyer_name} to accept</span>;
    case 'rejected':
      return <span className="cell-sub text-negative">Rejected{invoice.reason ? `: “${invoice.reason}”` : ''}</span>;
    case 'listed':
      return isPriced(invoice) ? (
        <div className="cell-progress">
          <ProgressBar funded={invoice.funded_amount} target={invoice.funding_target} label={`Funding progress of ${invoice.invoice_number}`} />
        </div>
      ) : (
        <span className="cell-sub">Auction open</span>
      );
    case 'funded':
    case 'overdue':
    case 'defaulted':
      return (
        <>
          {formatPaise(invoice.owed)} owed
          <div className="cell-sub">
            {invoice.buyer_confirmed ? `${invoice.buyer_name} repays` : 'You repay'}
            {invoice.repaid_amount > 0 && ` · ${formatPaise(invoice.repaid_amount)} repaid`}
          </div>
        </>
      );
    default:
      return <span className="cell-sub">{invoice.reason ?? '—'}</span>;
  }
}

const INVOICE_COLUMNS: Column<Invoice>[] = [
  invoiceColumn((invoice) => <BuyerName invoice={invoice} />),
  statusColumn,
  faceValueColumn,
  { header: 'You receive', numeric: true, cell: priceCell },
  { header: 'Progress', cell: progressCell },
  dueColumn,
];

type Action = 'cancel' | 'settle';
type PendingAction = { kind: Action; invoice: Invoice };

const CANCELLABLE = new Set<InvoiceStatus>(['pending_acceptance', 'listed']);
const SETTLEABLE = new Set<InvoiceStatus>(['funded', 'overdue', 'defaulted']);

const CANCEL_WORDS: Words = {
  invalid_state: 'This invoice can no longer be cancelled: it was funded, accepted or bid on meanwhile.',
};

function confirmText({ kind, invoice }: PendingAction, walletBalance: number | null) {
  if (kind === 'cancel') {
    return invoice.status === 'pending_acceptance'
      ? { title: `Withdraw ${invoice.invoice_number}?`, message: `${invoice.buyer_name} will no longer be asked to accept it. This cannot be undone.` }
      : {
          title: `Cancel ${invoice.invoice_number}?`,
          message: `The invoice leaves the marketplace and every investor in it gets their ${formatPaise(invoice.funded_amount)} back. This cannot be undone.`,
        };
  }
  const recourse = invoice.buyer_confirmed ? ` ${invoice.buyer_name} is the payer of this invoice: settling pays on its behalf (recourse).` : '';
  const short = walletBalance !== null && walletBalance < invoice.owed ? ` Your wallet holds only ${formatPaise(walletBalance)}, so this will fail.` : '';
  const interest = invoice.late_interest > 0 ? ` (including ${formatPaise(invoice.late_interest)} late interest)` : '';
  return {
    title: `Settle ${invoice.invoice_number}?`,
    message: `Your wallet pays everything still owed, ${formatPaise(invoice.owed)}${interest}, to the investors who funded it.${recourse}${short}`,
  };
}

function MyInvoices() {
  const user = useUser();
  const toast = useToast();
  const client = useQueryClient();
  const invoices = useQuery(myInvoicesQuery);
  const { data: wallet } = useQuery(walletQuery);
  const { rowProps } = useHighlight(!!invoices.data);
  const [filter, setFilter] = useState<InvoiceStatus | 'all'>('all');
  const [pending, setPending] = useState<PendingAction | null>(null);
  const [settleKeys] = useState(idempotencyKeys);

  const all = useMemo(() => sortInvoices(invoices.data ?? [], 'newest'), [invoices.data]);
  const counts = useMemo(() => {
    const c = new Map<InvoiceStatus, number>();
    for (const i of all) c.set(i.status, (c.get(i.status) ?? 0) + 1);
    return c;
  }, [all]);
  const shown = filter === 'all' ? all : all.filter((i) => i.status === filter);

  const runAction = async ({ kind, invoice }: PendingAction) => {
    const { invoice: updated } = kind === 'cancel' ? await invoiceApi.cancel(invoice.id) : await settleKeys.send({ settle: invoice.id }, (key) => invoiceApi.settle(invoice.id, key));
    applyInvoice(client, updated, user.id);
    void client.invalidateQueries({ queryKey: queryKeys.wallet });
    void client.invalidateQueries({ queryKey: queryKeys.stats });
    toast({
      tone: 'success',
      title: kind === 'cancel' ? 'Invoice cancelled' : 'Invoice settled',
      body:
        kind === 'cancel'
          ? `${invoice.invoice_number} is withdrawn; any investors were refunded.`
          : `${formatPaise(invoice.owed)} paid to the investors in ${invoice.invoice_number}.`,
    });
  };

  // Bids are firm: an auction with a bid can no longer be withdrawn.
  const cancellable = (invoice: Invoice) => CANCELLABLE.has(invoice.status) && !auctionOf(invoice)?.bid_count;
  const actions = (invoice: Invoice) =>
    cancellable(invoice) ? (
      <button type="button" className="btn btn--ghost btn--sm" onClick={() => setPending({ kind: 'cancel', invoice })} aria-label={`Cancel ${invoice.invoice_number}`}>
        Cancel
      </button>
    ) : SETTLEABLE.has(invoice.status) ? (
      <button type="button" className="btn btn--primary btn--sm" onClick={() => setPending({ kind: 'settle', invoice })} aria-label={`Settle ${invoice.invoice_number}`}>
        Settle
      </button>
    ) : null;

  return (
    <Section
      title="My invoices"
      extra={
        all.length > 0 && (
          <div className="filters" role="group" aria-label="Show invoices by status">
            {(['all', ...counts.keys()] as const).map((value) => (
              <button
                key={value}
                type="button"
                aria-pressed={filter === value}
                className={`filters__option ${filter === value ? 'filters__option--on' : ''}`}
                onClick={() => setFilter(value)}
              >
                {value === 'all' ? 'All' : INVOICE_STATUS_LABELS[value]}
                <span className="filters__count">{value === 'all' ? all.length : counts.get(value)}</span>
              </button>
            ))}
          </div>
        )
      }
    >
      <QueryState
        query={invoices}
        what="your invoices"
        loading={<SkeletonList rows={4} label="Loading your invoices" />}
        isEmpty={(list) => list.length === 0}
        empty={
          <EmptyState
            icon={<FileText size={28} aria-hidden="true" />}
            title="No invoices yet"
            action={
              <Link to="/invoices/new" className="btn btn--primary">
                List your first invoice
              </Link>
            }
          >
            List an unpaid invoice and investors can fund it within minutes. You get paid as soon as it is fully funded.
          </EmptyState>
        }
      >
        {() =>
          shown.length === 0 ? (
            <EmptyState title="No invoices with this status">Pick another status above.</EmptyState>
          ) : (
            <DataTable
              label="My invoices"
              rows={shown}
              columns={INVOICE_COLUMNS}
              rowKey={(invoice) => invoice.id}
              actions={actions}
              rowProps={(invoice) => rowProps(invoice.id)}
            />
          )
        }
      </QueryState>

      {pending && (
        <ConfirmDialog
          {...confirmText(pending, wallet?.balance ?? null)}
          confirmLabel={pending.kind === 'cancel' ? 'Cancel invoice' : 'Settle invoice'}
          tone={pending.kind === 'cancel' ? 'danger' : 'primary'}
          onConfirm={() => runAction(pending)}
          onClose={() => setPending(null)}
          explainError={(err) => explain(err, pending.kind === 'cancel' ? CANCEL_WORDS : SETTLE_WORDS)}
        />
      )}
    </Section>
  );
}
