import { useQuery, useQueryClient } from '@tanstack/react-query';
import { FileText, Plus, Store } from 'lucide-react';
import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { applyInvoice } from '../api/cache';
import { invoiceApi } from '../api/mutations';
import { investorStatsQuery, marketplaceQuery, myInvoicesQuery, queryKeys, sellerStatsQuery, walletQuery } from '../api/queries';
import type { Invoice, InvoiceStatus } from '../api/types';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { DataTable, type Column } from '../components/DataTable';
import { ProgressBar } from '../components/ProgressBar';
import { StatGrid } from '../components/StatCard';
import { EmptyState, QueryState, SkeletonList } from '../components/States';
import { StatusBadge } from '../components/StatusBadge';
import { useToast } from '../components/Toasts';
import { useUser } from '../hooks/useAuth';
import { usePageTitle } from '../hooks/usePageTitle';
import { daysUntil, formatDate, formatRelativeDays } from '../lib/dates';
import { sortInvoices } from '../lib/invoices';
import { formatBps, formatPaise } from '../lib/money';

function greeting(): string {
  const hour = new Date().getHours();
  if (hour < 12) return 'Good morning';
  if (hour < 17) return 'Good afternoon';
  return 'Good evening';
}

export function DashboardPage() {
  const user = useUser();
  usePageTitle('Dashboard');
  return (
    <>
      <div className="page__header">
        <div>
          <h1 className="page__title">Dashboard</h1>
          <p className="page__subtitle">
            {greeting()}, {user.name}.
          </p>
        </div>
        {user.role === 'seller' ? (
          <Link to="/invoices/new" className="btn btn--primary">
            <Plus size={16} aria-hidden="true" /> List an invoice
          </Link>
        ) : (
          <Link to="/marketplace" className="btn btn--primary">
            <Store size={16} aria-hidden="true" /> Find invoices to fund
          </Link>
        )}
      </div>
      {user.role === 'seller' ? <SellerDashboard /> : <InvestorDashboard />}
    </>
  );
}

// ---------------------------------------------------------------- seller

function SellerDashboard() {
  const stats = useQuery(sellerStatsQuery);
  return (
    <>
      <StatGrid
        label="Your figures"
        query={stats}
        cards={(s) => [
          { label: 'Total raised', value: formatPaise(s.total_raised), tone: 'accent', hint: 'Paid out to you by investors' },
          { label: 'Face value outstanding', value: formatPaise(s.face_value_outstanding), hint: 'Owed by your buyers on funded invoices' },
          { label: 'Listed', value: s.listed_count, hint: 'Waiting for investors' },
          { label: 'Funded', value: s.funded_count, hint: 'To settle at maturity' },
          { label: 'Settled', value: s.settled_count, hint: 'Repaid to investors' },
        ]}
      />
      <MyInvoices />
    </>
  );
}

const STATUS_FILTERS: { value: InvoiceStatus | 'all'; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'listed', label: 'Listed' },
  { value: 'funded', label: 'Funded' },
  { value: 'settled', label: 'Settled' },
  { value: 'cancelled', label: 'Cancelled' },
];

const INVOICE_COLUMNS: Column<Invoice>[] = [
  {
    header: 'Invoice',
    phone: 'title',
    cell: (invoice) => (
      <>
        <div className="cell-title">{invoice.invoice_number}</div>
        <div className="cell-sub">{invoice.buyer_name}</div>
      </>
    ),
  },
  { header: 'Status', phone: 'badge', cell: (invoice) => <StatusBadge status={invoice.status} overdue={invoice.overdue} /> },
  { header: 'Face value', numeric: true, cell: (invoice) => formatPaise(invoice.amount) },
  {
    header: 'You receive',
    numeric: true,
    cell: (invoice) => (
      <>
        {formatPaise(invoice.funding_target)}
        <div className="cell-sub">at {formatBps(invoice.discount_rate_bps)} discount</div>
      </>
    ),
  },
  {
    header: 'Funding',
    cell: (invoice) => (
      <div className="cell-progress">
        <ProgressBar funded={invoice.funded_amount} target={invoice.funding_target} label={`Funding progress of ${invoice.invoice_number}`} />
      </div>
    ),
  },
  {
    header: 'Due',
    cell: (invoice) => {
      const days = daysUntil(invoice.due_date);
      return (
        <>
          <div className="nowrap">{formatDate(invoice.due_date)}</div>
          {(invoice.status === 'listed' || invoice.status === 'funded') && (
            <div className={`cell-sub nowrap ${days < 0 ? 'text-negative' : ''}`}>{formatRelativeDays(days)}</div>
          )}
        </>
      );
    },
  },
];

type PendingAction = { kind: 'cancel' | 'settle'; invoice: Invoice };

function MyInvoices() {
  const user = useUser();
  const toast = useToast();
  const client = useQueryClient();
  const invoices = useQuery(myInvoicesQuery);
  const { data: wallet } = useQuery(walletQuery);
  const [params] = useSearchParams();
  const highlight = Number(params.get('invoice')) || null;
  const [filter, setFilter] = useState<InvoiceStatus | 'all'>('all');
  const [pending, setPending] = useState<PendingAction | null>(null);

  useEffect(() => {
    if (!highlight || !invoices.data) return;
    document.getElementById(`invoice-row-${highlight}`)?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }, [highlight, invoices.data]);

  const all = useMemo(() => sortInvoices(invoices.data ?? [], 'newest'), [invoices.data]);
  const counts = useMemo(() => {
    const c: Record<string, number> = { all: all.length };
    for (const i of all) c[i.status] = (c[i.status] ?? 0) + 1;
    return c;
  }, [all]);
  const shown = filter === 'all' ? all : all.filter((i) => i.status === filter);

  const runAction = async ({ kind, invoice }: PendingAction) => {
    const { invoice: updated } = kind === 'cancel' ? await invoiceApi.cancel(invoice.id) : await invoiceApi.settle(invoice.id);
    applyInvoice(client, updated, user.id);
    void client.invalidateQueries({ queryKey: queryKeys.wallet });
    void client.invalidateQueries({ queryKey: queryKeys.stats });
    toast({
      tone: 'success',
      title: kind === 'cancel' ? 'Invoice cancelled' : 'Invoice settled',
      body:
        kind === 'cancel'
          ? `${invoice.invoice_number} left the marketplace; any investors were refunded.`
          : `${formatPaise(invoice.amount)} paid to the investors in ${invoice.invoice_number}.`,
    });
  };

  const actions = (invoice: Invoice) =>
    invoice.status === 'listed' ? (
      <button type="button" className="btn btn--ghost btn--sm" onClick={() => setPending({ kind: 'cancel', invoice })} aria-label={`Cancel ${invoice.invoice_number}`}>
        Cancel
      </button>
    ) : invoice.status === 'funded' ? (
      <button type="button" className="btn btn--primary btn--sm" onClick={() => setPending({ kind: 'settle', invoice })} aria-label={`Settle ${invoice.invoice_number}`}>
        Settle
      </button>
    ) : null;

  return (
    <section className="card" aria-labelledby="my-invoices-title">
      <div className="card__header">
        <h2 id="my-invoices-title" className="card__title">
          My invoices
        </h2>
        {invoices.data && invoices.data.length > 0 && (
          <div className="filters" role="group" aria-label="Show invoices by status">
            {STATUS_FILTERS.map((f) => (
              <button
                key={f.value}
                type="button"
                aria-pressed={filter === f.value}
                className={`filters__option ${filter === f.value ? 'filters__option--on' : ''}`}
                onClick={() => setFilter(f.value)}
              >
                {f.label}
                <span className="filters__count">{counts[f.value] ?? 0}</span>
              </button>
            ))}
          </div>
        )}
      </div>

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
            <EmptyState title={`No ${filter} invoices`}>Invoices with this status will show up here.</EmptyState>
          ) : (
            <DataTable
              label="My invoices"
              rows={shown}
              columns={INVOICE_COLUMNS}
              rowKey={(invoice) => invoice.id}
              actions={actions}
              rowProps={(invoice) => ({ id: `invoice-row-${invoice.id}`, className: invoice.id === highlight ? 'row--highlight' : undefined })}
            />
          )
        }
      </QueryState>

      {pending && (
        <ConfirmDialog
          title={pending.kind === 'cancel' ? `Cancel ${pending.invoice.invoice_number}?` : `Settle ${pending.invoice.invoice_number}?`}
          message={
            pending.kind === 'cancel'
              ? `The invoice leaves the marketplace and every investor in it gets their ${formatPaise(pending.invoice.funded_amount)} back. This cannot be undone.`
              : `Your wallet pays the face value of ${formatPaise(pending.invoice.amount)} to the investors who funded this invoice.${
                  wallet && wallet.balance < pending.invoice.amount ? ` Your wallet holds only ${formatPaise(wallet.balance)}, so this will fail.` : ''
                }`
          }
          confirmLabel={pending.kind === 'cancel' ? 'Cancel invoice' : 'Settle invoice'}
          tone={pending.kind === 'cancel' ? 'danger' : 'primary'}
          onConfirm={() => runAction(pending)}
          onClose={() => setPending(null)}
        />
      )}
    </section>
  );
}

// ---------------------------------------------------------------- investor

const LATEST_COUNT = 6;

function InvestorDashboard() {
  const stats = useQuery(investorStatsQuery);
  const latest = useQuery({ ...marketplaceQuery, select: (list: Invoice[]) => sortInvoices(list, 'newest').slice(0, LATEST_COUNT) });

  return (
    <>
      <StatGrid
        label="Your figures"
        query={stats}
        cards={(s) => [
          { label: 'Invested', value: formatPaise(s.invested), tone: 'accent', hint: 'In active investments' },
          { label: 'Expected return', value: formatPaise(s.expected_return), hint: 'Due at maturity' },
          { label: 'Realized gain', value: formatPaise(s.realized_gain), tone: 'positive', hint: 'From settled invoices' },
          { label: 'Active investments', value: s.active_count },
          { label: 'Open on marketplace', value: s.marketplace_count, hint: 'Invoices you can fund now' },
        ]}
      />

      <section className="card" aria-labelledby="latest-title">
        <div className="card__header">
          <h2 id="latest-title" className="card__title">
            Latest listings
          </h2>
          <Link to="/marketplace" className="link">
            See all open invoices →
          </Link>
        </div>
        <QueryState
          query={latest}
          what="the latest listings"
          loading={<SkeletonList rows={3} label="Loading listings" />}
          isEmpty={(list) => list.length === 0}
          empty={
            <EmptyState icon={<Store size={28} aria-hidden="true" />} title="Nothing to fund right now">
              New invoices appear here the moment sellers list them.
            </EmptyState>
          }
        >
          {(list) => (
            <ul className="mini-list">
              {list.map((invoice) => (
                <li key={invoice.id}>
                  <Link to={`/marketplace?invoice=${invoice.id}`} className="mini-list__row">
                    <span>
                      <span className="cell-title">{invoice.buyer_name}</span>
                      <span className="cell-sub">
                        {invoice.invoice_number} · {invoice.seller_name}
                      </span>
                    </span>
                    <span className="mini-list__figures">
                      <span className={invoice.annual_yield_bps > 0 ? 'text-positive' : undefined}>{formatBps(invoice.annual_yield_bps)} p.a.</span>
                      <span className="cell-sub">
                        {formatPaise(invoice.remaining)} left · {daysUntil(invoice.due_date)} days
                      </span>
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </QueryState>
      </section>
    </>
  );
}
