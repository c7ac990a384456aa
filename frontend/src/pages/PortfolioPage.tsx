import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { BarChart, DonutChart, type Bar } from '../components/Charts';
import { EmptyState, ErrorBanner, SkeletonList } from '../components/EmptyState';
import { PieIcon } from '../components/Icons';
import { StatCard } from '../components/StatCard';
import { StatusBadge } from '../components/StatusBadge';
import { useLoader } from '../hooks/useLoader';
import { useLiveEvent, useRefetchOn } from '../hooks/useRealTimeData';
import { invoiceApi, portfolioApi } from '../lib/api';
import { daysUntil, formatDate, formatDateTime, formatRelativeDays, monthKey } from '../lib/dates';
import { formatPaise } from '../lib/money';
import type { Investment, InvestmentInvoice, Portfolio, PortfolioSummary } from '../types';

const MAX_SLICES = 6;

export function PortfolioPage() {
  const portfolio = useLoader(() => portfolioApi.get());
  useRefetchOn(['portfolioUpdate', 'investmentSuccess'], portfolio.reload);
  const [params] = useSearchParams();
  const highlight = Number(params.get('investment')) || null;

  // The summary in the event is authoritative right away; the list follows with the refetch.
  useLiveEvent('portfolioUpdate', (event) => {
    if (event.summary) portfolio.setData((p) => (p ? { ...p, summary: event.summary } : p));
  });

  // Investments should embed their invoice; if the server left it out, look those up once.
  const [extraInvoices, setExtraInvoices] = useState<Record<number, InvestmentInvoice>>({});
  const missing = useMemo(() => {
    const ids = new Set<number>();
    for (const inv of portfolio.data?.investments ?? []) if (!inv.invoice && !extraInvoices[inv.invoice_id]) ids.add(inv.invoice_id);
    return [...ids];
  }, [portfolio.data, extraInvoices]);
  useEffect(() => {
    if (missing.length === 0) return;
    let cancelled = false;
    Promise.allSettled(missing.slice(0, 50).map((id) => invoiceApi.get(id))).then((results) => {
      if (cancelled) return;
      const found: Record<number, InvestmentInvoice> = {};
      for (const r of results) if (r.status === 'fulfilled') found[r.value.invoice.id] = r.value.invoice;
      setExtraInvoices((prev) => ({ ...prev, ...found }));
    });
    return () => {
      cancelled = true;
    };
  }, [missing]);

  const invoiceOf = (inv: Investment): InvestmentInvoice | null => inv.invoice ?? extraInvoices[inv.invoice_id] ?? null;

  return (
    <>
      <div className="page__header">
        <div>
          <h1 className="page__title">Portfolio</h1>
          <p className="page__subtitle">Your investments, what they return and when.</p>
        </div>
        <Link to="/marketplace" className="btn btn--primary">
          Find invoices to fund
        </Link>
      </div>
      {portfolio.error && !portfolio.data && <ErrorBanner message={portfolio.error} onRetry={portfolio.reload} />}
      <Summary summary={portfolio.data?.summary} />
      {portfolio.loading ? (
        <SkeletonList rows={4} label="Loading your portfolio" />
      ) : !portfolio.data || portfolio.data.investments.length === 0 ? (
        <section className="card">
          <EmptyState
            icon={<PieIcon size={28} />}
            title="No investments yet"
            action={
              <Link to="/marketplace" className="btn btn--primary">
                Start investing
              </Link>
            }
          >
            Fund an invoice from ₹1,000 and it shows up here with its expected return and due date.
          </EmptyState>
        </section>
      ) : (
        <>
          <PortfolioCharts portfolio={portfolio.data} invoiceOf={invoiceOf} />
          <InvestmentsTable investments={portfolio.data.investments} invoiceOf={invoiceOf} highlight={highlight} />
        </>
      )}
    </>
  );
}

function Summary({ summary }: { summary: PortfolioSummary | undefined }) {
  const s = summary;
  return (
    <section className="stats" aria-label="Portfolio summary">
      <StatCard label="Invested" value={s && formatPaise(s.invested)} tone="accent" loading={!s} hint="In active investments" />
      <StatCard label="Expected return" value={s && formatPaise(s.expected_return)} loading={!s} hint="Face value due to you" />
      <StatCard
        label="Expected gain"
        value={s && formatPaise(BigInt(s.expected_return) - BigInt(s.invested))}
        tone="positive"
        loading={!s}
        hint="On active investments"
      />
      <StatCard label="Realized gain" value={s && formatPaise(s.realized_gain)} tone="positive" loading={!s} hint="From settled invoices" />
      <StatCard label="Active investments" value={s?.active_count} loading={!s} hint={s ? `${s.settled_count} settled so far` : undefined} />
    </section>
  );
}

function PortfolioCharts({
  portfolio,
  invoiceOf,
}: {
  portfolio: Portfolio;
  invoiceOf: (inv: Investment) => InvestmentInvoice | null;
}) {
  const active = portfolio.investments.filter((i) => i.status === 'active');

  const cashflows = useMemo(() => {
    const months = new Map<string, Bar>();
    for (const inv of active) {
      const invoice = invoiceOf(inv);
      if (!invoice) continue;
      const { key, label } = monthKey(invoice.due_date);
      const bar = months.get(key) ?? { key, label, value: 0n };
      bar.value += BigInt(inv.expected_return);
      months.set(key, bar);
    }
    return [...months.values()].sort((a, b) => a.key.localeCompare(b.key)).slice(0, 12);
  }, [active, invoiceOf]);

  const allocation = useMemo(() => {
    const byBuyer = new Map<string, Bar>();
    for (const inv of active) {
      const invoice = invoiceOf(inv);
      const label = invoice ? invoice.buyer_name : `Invoice #${inv.invoice_id}`;
      const bar = byBuyer.get(label) ?? { key: label, label, value: 0n };
      bar.value += BigInt(inv.amount);
      byBuyer.set(label, bar);
    }
    const sorted = [...byBuyer.values()].sort((a, b) => (b.value > a.value ? 1 : b.value < a.value ? -1 : 0));
    if (sorted.length <= MAX_SLICES) return sorted;
    const rest = sorted.slice(MAX_SLICES - 1).reduce((s, b) => s + b.value, 0n);
    return [...sorted.slice(0, MAX_SLICES - 1), { key: '__other', label: 'Others', value: rest }];
  }, [active, invoiceOf]);

  if (active.length === 0) return null;

  return (
    <div className="chart-row">
      <section className="card" aria-labelledby="cashflow-title">
        <h2 id="cashflow-title" className="card__title">
          Expected cash flows by maturity
        </h2>
        {cashflows.length > 0 ? (
          <BarChart bars={cashflows} title="Expected repayments per month of maturity" />
        ) : (
          <p className="muted">Due dates are loading…</p>
        )}
      </section>
      <section className="card" aria-labelledby="allocation-title">
        <h2 id="allocation-title" className="card__title">
          Allocation by buyer
        </h2>
        <DonutChart slices={allocation} title="Active investments by buyer" />
      </section>
    </div>
  );
}

function InvestmentsTable({
  investments,
  invoiceOf,
  highlight,
}: {
  investments: Investment[];
  invoiceOf: (inv: Investment) => InvestmentInvoice | null;
  highlight: number | null;
}) {
  const sorted = [...investments].sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at) || b.id - a.id);
  return (
    <section className="card" aria-labelledby="investments-title">
      <div className="card__header">
        <h2 id="investments-title" className="card__title">
          Investments
        </h2>
      </div>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Invoice</th>
              <th scope="col" className="num">
                Invested
              </th>
              <th scope="col" className="num">
                Expected return
              </th>
              <th scope="col" className="num">
                Paid out
              </th>
              <th scope="col">Due</th>
              <th scope="col">Status</th>
              <th scope="col">Invested on</th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((inv) => {
              const invoice = invoiceOf(inv);
              const days = invoice ? daysUntil(invoice.due_date) : null;
              return (
                <tr key={inv.id} className={inv.id === highlight ? 'row--highlight' : undefined}>
                  <td>
                    <div className="cell-title">{invoice?.invoice_number ?? `Invoice #${inv.invoice_id}`}</div>
                    <div className="cell-sub">{invoice?.buyer_name ?? '—'}</div>
                  </td>
                  <td className="num">{formatPaise(inv.amount)}</td>
                  <td className="num">
                    {formatPaise(inv.expected_return)}
                    <div className="cell-sub text-positive">+{formatPaise(BigInt(inv.expected_return) - BigInt(inv.amount))}</div>
                  </td>
                  <td className="num">{inv.payout !== null && inv.payout !== undefined ? formatPaise(inv.payout) : '—'}</td>
                  <td>
                    <div>{invoice ? formatDate(invoice.due_date) : '—'}</div>
                    {inv.status === 'active' && days !== null && (
                      <div className={`cell-sub ${days < 0 ? 'text-negative' : ''}`}>{formatRelativeDays(days)}</div>
                    )}
                  </td>
                  <td>
                    <StatusBadge status={inv.status} />
                  </td>
                  <td className="cell-sub">{formatDateTime(inv.created_at)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
