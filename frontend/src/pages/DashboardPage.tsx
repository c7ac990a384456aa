import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { EmptyState, ErrorBanner, SkeletonList } from '../components/EmptyState';
import { FileIcon, PlusIcon, StoreIcon } from '../components/Icons';
import { ProgressBar } from '../components/ProgressBar';
import { StatCard } from '../components/StatCard';
import { StatusBadge } from '../components/StatusBadge';
import { useToast } from '../components/Toasts';
import { useUser } from '../hooks/useAuth';
import { useLoader } from '../hooks/useLoader';
import { useLiveEvent, useRealTimeData, useRefetchOn } from '../hooks/useRealTimeData';
import { useWallet } from '../hooks/useWallet';
import { dashboardApi, fetchAllPages, invoiceApi } from '../lib/api';
import { daysUntil, formatDate, formatRelativeDays } from '../lib/dates';
import { mergeInvoice, reconcile, sortInvoices } from '../lib/invoices';
import { formatBps, formatPaise } from '../lib/money';
import type { Invoice, InvoiceStatus, InvestorStats, SellerStats } from '../types';

function greeting(): string {
  const hour = new Date().getHours();
  if (hour < 12) return 'Good morning';
  if (hour < 17) return 'Good afternoon';
  return 'Good evening';
}

export function DashboardPage() {
  const user = useUser();
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
            <PlusIcon size={16} /> List an invoice
          </Link>
        ) : (
          <Link to="/marketplace" className="btn btn--primary">
            <StoreIcon size={16} /> Find invoices to fund
          </Link>
        )}
      </div>
      {user.role === 'seller' ? <SellerDashboard /> : <InvestorDashboard />}
    </>
  );
}

// ---------------------------------------------------------------- seller

function SellerDashboard() {
  const stats = useLoader(() => dashboardApi.stats() as Promise<SellerStats>);
  useRefetchOn(['invoice', 'invoiceFunded', 'walletUpdated'], stats.reload);
  const s = stats.data;

  return (
    <>
      {stats.error && !s && <ErrorBanner message={stats.error} onRetry={stats.reload} />}
      <section className="stats" aria-label="Your figures">
        <StatCard label="Total raised" value={s && formatPaise(s.total_raised)} tone="accent" loading={!s} hint="Paid out to you by investors" />
        <StatCard
          label="Face value outstanding"
          value={s && formatPaise(s.face_value_outstanding)}
          loading={!s}
          hint="Owed by your buyers on funded invoices"
        />
        <StatCard label="Listed" value={s?.listed_count} loading={!s} hint="Waiting for investors" />
        <StatCard label="Funded" value={s?.funded_count} loading={!s} hint="To settle at maturity" />
        <StatCard label="Settled" value={s?.settled_count} loading={!s} hint="Repaid to investors" />
      </section>
      <MyInvoices />
    </>
  );
}

const STATUS_TABS: { value: InvoiceStatus | 'all'; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'listed', label: 'Listed' },
  { value: 'funded', label: 'Funded' },
  { value: 'settled', label: 'Settled' },
  { value: 'cancelled', label: 'Cancelled' },
];

type PendingAction = { kind: 'cancel' | 'settle'; invoice: Invoice };

function MyInvoices() {
  const user = useUser();
  const toast = useToast();
  const { latestInvoice } = useRealTimeData();
  const { wallet, reload: reloadWallet } = useWallet();
  const [params] = useSearchParams();
  const highlight = Number(params.get('invoice')) || null;
  const [tab, setTab] = useState<InvoiceStatus | 'all'>('all');
  const [pending, setPending] = useState<PendingAction | null>(null);

  const isMine = (invoice: Invoice) => invoice.seller_id === user.id;
  const invoices = useLoader(async () =>
    reconcile(await fetchAllPages((cursor) => invoiceApi.mine({ cursor })), latestInvoice, isMine),
  );
  useRefetchOn([], invoices.reload);

  useLiveEvent('invoice', (invoice) => {
    if (!isMine(invoice)) return;
    invoices.setData((list) => (list ? mergeInvoice(list, invoice, isMine, true) : list));
  });

  useEffect(() => {
    if (!highlight || !invoices.data) return;
    document.getElementById(`invoice-row-${highlight}`)?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }, [highlight, invoices.data]);

  const all = useMemo(() => sortInvoices(invoices.data ?? [], 'newest'), [invoices.data]);
  const shown = tab === 'all' ? all : all.filter((i) => i.status === tab);
  const counts = useMemo(() => {
    const c: Record<string, number> = { all: all.length };
    for (const i of all) c[i.status] = (c[i.status] ?? 0) + 1;
    return c;
  }, [all]);

  const runAction = async ({ kind, invoice }: PendingAction) => {
    const { invoice: updated } = kind === 'cancel' ? await invoiceApi.cancel(invoice.id) : await invoiceApi.settle(invoice.id);
    invoices.setData((list) => (list ? mergeInvoice(list, updated, isMine, true) : list));
    reloadWallet();
    toast({
      tone: 'success',
      title: kind === 'cancel' ? 'Invoice cancelled' : 'Invoice settled',
      body:
        kind === 'cancel'
          ? `${invoice.invoice_number} left the marketplace; any investors were refunded.`
          : `${formatPaise(invoice.amount)} paid to the investors in ${invoice.invoice_number}.`,
    });
  };

  return (
    <section className="card" aria-labelledby="my-invoices-title">
      <div className="card__header">
        <h2 id="my-invoices-title" className="card__title">
          My invoices
        </h2>
        <div className="tabs" role="tablist" aria-label="Filter by status">
          {STATUS_TABS.map((t) => (
            <button
              key={t.value}
              type="button"
              role="tab"
              aria-selected={tab === t.value}
              className={`tabs__tab ${tab === t.value ? 'tabs__tab--active' : ''}`}
              onClick={() => setTab(t.value)}
            >
              {t.label}
              <span className="tabs__count">{counts[t.value] ?? 0}</span>
            </button>
          ))}
        </div>
      </div>

      {invoices.error && <ErrorBanner message={invoices.error} onRetry={invoices.reload} />}
      {invoices.loading ? (
        <SkeletonList rows={4} label="Loading your invoices" />
      ) : shown.length === 0 ? (
        all.length === 0 ? (
          <EmptyState
            icon={<FileIcon size={28} />}
            title="No invoices yet"
            action={
              <Link to="/invoices/new" className="btn btn--primary">
                List your first invoice
              </Link>
            }
          >
            List an unpaid invoice and investors can fund it within minutes. You get paid as soon as it is fully funded.
          </EmptyState>
        ) : (
          <EmptyState title={`No ${tab} invoices`}>Invoices with this status will show up here.</EmptyState>
        )
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Invoice</th>
                <th scope="col" className="num">
                  Face value
                </th>
                <th scope="col" className="num">
                  You receive
                </th>
                <th scope="col">Funding</th>
                <th scope="col">Due</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((invoice) => {
                const days = daysUntil(invoice.due_date);
                return (
                  <tr
                    key={invoice.id}
                    id={`invoice-row-${invoice.id}`}
                    className={invoice.id === highlight ? 'row--highlight' : undefined}
                    data-status={invoice.status}
                  >
                    <td>
                      <div className="cell-title">{invoice.invoice_number}</div>
                      <div className="cell-sub">{invoice.buyer_name}</div>
                    </td>
                    <td className="num">{formatPaise(invoice.amount)}</td>
                    <td className="num">
                      {formatPaise(invoice.funding_target)}
                      <div className="cell-sub">at {formatBps(invoice.discount_rate_bps)} discount</div>
                    </td>
                    <td className="cell-progress">
                      <ProgressBar
                        funded={invoice.funded_amount}
                        target={invoice.funding_target}
                        label={`Funding progress of ${invoice.invoice_number}`}
                      />
                    </td>
                    <td>
                      <div>{formatDate(invoice.due_date)}</div>
                      {(invoice.status === 'listed' || invoice.status === 'funded') && (
                        <div className={`cell-sub ${days < 0 ? 'text-negative' : ''}`}>{formatRelativeDays(days)}</div>
                      )}
                    </td>
                    <td>
                      <StatusBadge status={invoice.status} overdue={invoice.overdue} />
                    </td>
                    <td className="cell-actions">
                      {invoice.status === 'listed' && (
                        <button
                          type="button"
                          className="btn btn--ghost btn--sm"
                          onClick={() => setPending({ kind: 'cancel', invoice })}
                          aria-label={`Cancel ${invoice.invoice_number}`}
                        >
                          Cancel
                        </button>
                      )}
                      {invoice.status === 'funded' && (
                        <button
                          type="button"
                          className="btn btn--primary btn--sm"
                          onClick={() => setPending({ kind: 'settle', invoice })}
                          aria-label={`Settle ${invoice.invoice_number}`}
                        >
                          Settle
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      {pending && (
        <ConfirmDialog
          title={pending.kind === 'cancel' ? `Cancel ${pending.invoice.invoice_number}?` : `Settle ${pending.invoice.invoice_number}?`}
          message={
            pending.kind === 'cancel'
              ? `The invoice leaves the marketplace and every investor in it gets their ${formatPaise(pending.invoice.funded_amount)} back. This cannot be undone.`
              : `Your wallet pays the face value of ${formatPaise(pending.invoice.amount)} to the investors who funded this invoice.${
                  wallet && wallet.balance < pending.invoice.amount
                    ? ` Your wallet holds only ${formatPaise(wallet.balance)}, so this will fail.`
                    : ''
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

function InvestorDashboard() {
  const stats = useLoader(() => dashboardApi.stats() as Promise<InvestorStats>);
  useRefetchOn(['invoice', 'newInvoiceListed', 'portfolioUpdate', 'walletUpdated'], stats.reload);
  const s = stats.data;
  const { latestInvoice } = useRealTimeData();

  const listed = (i: Invoice) => i.status === 'listed' && i.remaining > 0;
  const latest = useLoader(async () => reconcile((await invoiceApi.list({ limit: 6 })).items, latestInvoice, listed));
  useRefetchOn([], latest.reload);
  useLiveEvent('invoice', (invoice) => {
    latest.setData((list) => (list ? mergeInvoice(list, invoice, listed, invoice.status === 'listed').slice(0, 6) : list));
  });

  return (
    <>
      {stats.error && !s && <ErrorBanner message={stats.error} onRetry={stats.reload} />}
      <section className="stats" aria-label="Your figures">
        <StatCard label="Invested" value={s && formatPaise(s.invested)} tone="accent" loading={!s} hint="In active investments" />
        <StatCard label="Expected return" value={s && formatPaise(s.expected_return)} loading={!s} hint="Due at maturity" />
        <StatCard label="Realized gain" value={s && formatPaise(s.realized_gain)} tone="positive" loading={!s} hint="From settled invoices" />
        <StatCard label="Active investments" value={s?.active_count} loading={!s} />
        <StatCard label="Open on marketplace" value={s?.marketplace_count} loading={!s} hint="Invoices you can fund now" />
      </section>

      <section className="card" aria-labelledby="latest-title">
        <div className="card__header">
          <h2 id="latest-title" className="card__title">
            Latest listings
          </h2>
          <Link to="/marketplace" className="link">
            See all open invoices →
          </Link>
        </div>
        {latest.error && <ErrorBanner message={latest.error} onRetry={latest.reload} />}
        {latest.loading ? (
          <SkeletonList rows={3} label="Loading listings" />
        ) : (latest.data ?? []).length === 0 ? (
          <EmptyState icon={<StoreIcon size={28} />} title="Nothing to fund right now">
            New invoices appear here the moment sellers list them.
          </EmptyState>
        ) : (
          <ul className="mini-list">
            {(latest.data ?? []).map((invoice) => (
              <li key={invoice.id}>
                <Link to={`/marketplace?invoice=${invoice.id}`} className="mini-list__row">
                  <span>
                    <span className="cell-title">{invoice.buyer_name}</span>
                    <span className="cell-sub">
                      {invoice.invoice_number} · {invoice.seller_name}
                    </span>
                  </span>
                  <span className="mini-list__figures">
                    <span className="text-positive">{formatBps(invoice.annual_yield_bps)} p.a.</span>
                    <span className="cell-sub">
                      {formatPaise(invoice.remaining)} left · {daysUntil(invoice.due_date)} days
                    </span>
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
