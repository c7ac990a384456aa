import { useQuery } from '@tanstack/react-query';
import { PieChart } from 'lucide-react';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { portfolioQuery } from '../api/queries';
import { statementApi } from '../api/statements';
import type { Portfolio, PortfolioInvestment } from '../api/types';
import { Donut, MonthlyBars, type Bar } from '../components/Charts';
import { DataTable, type Column } from '../components/DataTable';
import { Section } from '../components/Section';
import { StatementDownload } from '../components/StatementDownload';
import { StatGrid } from '../components/StatCard';
import { EmptyState, QueryState, SkeletonList } from '../components/States';
import { BuyerName } from '../components/InvoiceColumns';
import { useHighlight } from '../hooks/useHighlight';
import { usePageTitle } from '../hooks/usePageTitle';
import { daysUntil, formatDate, formatDateTime, formatRelativeDays, monthKey } from '../lib/dates';
import { investmentState } from '../lib/investmentStatus';
import { formatPaise } from '../lib/money';
import { financialYearInWords, PORTFOLIO_STATEMENT_WORDS, recentFinancialYears } from '../lib/statements';

const MAX_SLICES = 6;

/** What each investment received, gained or lost in an Indian financial year, as CSV. */
function PortfolioStatement() {
  const [years] = useState(() => recentFinancialYears());
  const [fy, setFy] = useState(years[0]);
  return (
    <StatementDownload title="Statement" fetchFile={() => statementApi.portfolio(fy)} words={PORTFOLIO_STATEMENT_WORDS}>
      <h2 className="card__title statement__title">Statement</h2>
      <div className="toolbar__field">
        <label htmlFor="statement-fy">Financial year</label>
        <select id="statement-fy" value={fy} onChange={(e) => setFy(e.target.value)}>
          {years.map((year) => (
            <option key={year} value={year}>
              FY {year} ({financialYearInWords(year)})
            </option>
          ))}
        </select>
      </div>
    </StatementDownload>
  );
}

export function PortfolioPage() {
  usePageTitle('Portfolio');
  const portfolio = useQuery(portfolioQuery);
  const summary = useQuery({ ...portfolioQuery, select: (p: Portfolio) => p.summary });

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
      <StatGrid
        label="Portfolio summary"
        query={summary}
        cards={(s) => [
          { label: 'Invested', value: formatPaise(s.invested), tone: 'accent', hint: 'In active investments' },
          { label: 'Expected return', value: formatPaise(s.expected_return), hint: `Face value due to you: +${formatPaise(BigInt(s.expected_return) - BigInt(s.invested))}` },
          { label: 'Received', value: formatPaise(s.received), hint: 'Repayments and recoveries so far' },
          { label: 'Realized gain', value: formatPaise(s.realized_gain), tone: 'positive', hint: 'From settled invoices' },
          { label: 'Overdue', value: formatPaise(s.overdue_amount), hint: 'Still owed to you on overdue invoices' },
          { label: 'Defaulted', value: formatPaise(s.defaulted_amount), hint: 'Still owed to you on defaulted invoices' },
          { label: 'Loss', value: formatPaise(s.loss), hint: 'On written-off investments, net of recoveries' },
          { label: 'Active investments', value: s.active_count, hint: `${s.settled_count} settled so far` },
        ]}
        quad
      />
      <QueryState
        query={portfolio}
        what="your investments"
        loading={<SkeletonList rows={4} label="Loading your portfolio" />}
        isEmpty={(p) => p.investments.length === 0}
        empty={
          <section className="card">
            <EmptyState
              icon={<PieChart size={28} aria-hidden="true" />}
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
        }
      >
        {(p) => (
          <>
            <PortfolioCharts investments={p.investments} />
            <InvestmentsTable investments={p.investments} />
            <PortfolioStatement />
          </>
        )}
      </QueryState>
    </>
  );
}

function PortfolioCharts({ investments }: { investments: PortfolioInvestment[] }) {
  const active = useMemo(() => investments.filter((i) => i.status === 'active'), [investments]);

  const cashflows = useMemo(() => {
    const months = new Map<string, Bar>();
    for (const inv of active) {
      const { key, label } = monthKey(inv.invoice.due_date);
      const bar = months.get(key) ?? { key, label, value: 0n };
      bar.value += BigInt(inv.expected_return);
      months.set(key, bar);
    }
    return [...months.values()].sort((a, b) => a.key.localeCompare(b.key)).slice(0, 12);
  }, [active]);

  const allocation = useMemo(() => {
    const byBuyer = new Map<string, Bar>();
    for (const inv of active) {
      const label = inv.invoice.buyer_name;
      const bar = byBuyer.get(label) ?? { key: label, label, value: 0n };
      bar.value += BigInt(inv.amount);
      byBuyer.set(label, bar);
    }
    const sorted = [...byBuyer.values()].sort((a, b) => (b.value > a.value ? 1 : b.value < a.value ? -1 : 0));
    if (sorted.length <= MAX_SLICES) return sorted;
    const rest = sorted.slice(MAX_SLICES - 1).reduce((s, b) => s + b.value, 0n);
    return [...sorted.slice(0, MAX_SLICES - 1), { key: '__other', label: 'Others', value: rest }];
  }, [active]);

  if (active.length === 0) return null;

  return (
    <div className="chart-row">
      <section className="card" aria-labelledby="cashflow-title">
        <h2 id="cashflow-title" className="card__title">
          Expected cash flows by maturity
        </h2>
        <MonthlyBars bars={cashflows} title="Expected repayments per month of maturity" />
      </section>
      <section className="card" aria-labelledby="allocation-title">
        <h2 id="allocation-title" className="card__title">
          Allocation by buyer
        </h2>
        <Donut slices={allocation} title="Active investments by buyer" />
      </section>
    </div>
  );
}

/** How the investment was made, as a tag: by an auto-invest rule, or won at auction. */
const SOURCE_TAGS: Record<PortfolioInvestment['source'], { text: string; title: string } | null> = {
  manual: null,
  auto: { text: 'Auto', title: 'Made by an auto-invest rule' },
  auction: { text: 'Auction', title: 'Won at a rate auction' },
};

function SourceTag({ investment }: { investment: PortfolioInvestment }) {
  const tag = SOURCE_TAGS[investment.source];
  return tag && <span className={`badge badge--${investment.source}`} title={tag.title}>{tag.text}</span>;
}

function StateBadge({ investment }: { investment: PortfolioInvestment }) {
  const { tone, text } = investmentState(investment);
  return <span className={`badge badge--wrap badge--${tone}`}>{text}</span>;
}

const INVESTMENT_COLUMNS: Column<PortfolioInvestment>[] = [
  {
    header: 'Invoice',
    phone: 'title',
    cell: (inv) => (
      <>
        <div className="cell-title">
          {inv.invoice.invoice_number} <SourceTag investment={inv} />
        </div>
        <div className="cell-sub">
          <BuyerName invoice={inv.invoice} />
        </div>
      </>
    ),
  },
  { header: 'Status', phone: 'badge', cell: (inv) => <StateBadge investment={inv} /> },
  {
    header: 'Invested',
    numeric: true,
    cell: (inv) => formatPaise(inv.amount),
  },
  {
    header: 'Expected return',
    numeric: true,
    cell: (inv) => (
      <>
        {formatPaise(inv.expected_return)}
        <div className="cell-sub text-positive">+{formatPaise(BigInt(inv.expected_return) - BigInt(inv.amount))}</div>
      </>
    ),
  },
  { header: 'Received', numeric: true, cell: (inv) => formatPaise(inv.received) },
  {
    header: 'Due',
    cell: (inv) => {
      const days = daysUntil(inv.invoice.due_date);
      return (
        <>
          <div className="nowrap">{formatDate(inv.invoice.due_date)}</div>
          {inv.status === 'active' && days >= 0 && <div className="cell-sub nowrap">{formatRelativeDays(days)}</div>}
        </>
      );
    },
  },
  { header: 'Invested on', phone: 'hide', cell: (inv) => <span className="cell-sub nowrap">{formatDateTime(inv.created_at)}</span> },
];

function InvestmentsTable({ investments }: { investments: PortfolioInvestment[] }) {
  const { rowProps } = useHighlight(true);
  const sorted = [...investments].sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at) || b.id - a.id);
  return (
    <Section title="Investments">
      <DataTable label="Investments" rows={sorted} columns={INVESTMENT_COLUMNS} rowKey={(inv) => inv.id} rowProps={(inv) => rowProps(inv.invoice_id)} />
    </Section>
  );
}
