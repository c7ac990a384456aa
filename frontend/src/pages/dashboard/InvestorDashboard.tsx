import { useQuery } from '@tanstack/react-query';
import { Store } from 'lucide-react';
import { Link } from 'react-router';
import { investorStatsQuery, marketplaceQuery } from '../../api/queries';
import type { Invoice } from '../../api/types';
import { Section } from '../../components/Section';
import { StatGrid } from '../../components/StatCard';
import { EmptyState, QueryState, SkeletonList } from '../../components/States';
import { daysUntil } from '../../lib/dates';
import { isPriced, sortInvoices } from '../../lib/invoices';
import { formatBps, formatPaise } from '../../lib/money';

const LATEST_COUNT = 6;

/** A listing's yield and what is left, or that an auction sets them. */
function ListingFigures({ invoice }: { invoice: Invoice }) {
  const due = `${daysUntil(invoice.due_date)} days`;
  if (!isPriced(invoice)) {
    return (
      <span className="mini-list__figures">
        <span>Rate auction</span>
        <span className="cell-sub">{due}</span>
      </span>
    );
  }
  return (
    <span className="mini-list__figures">
      <span className={invoice.annual_yield_bps > 0 ? 'text-positive' : undefined}>{formatBps(invoice.annual_yield_bps)} p.a.</span>
      <span className="cell-sub">
        {formatPaise(invoice.remaining)} left · {due}
      </span>
    </span>
  );
}

export function InvestorDashboard() {
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
          { label: 'Received', value: formatPaise(s.received), hint: 'Repayments and recoveries so far' },
          { label: 'Realized gain', value: formatPaise(s.realized_gain), tone: 'positive', hint: 'From settled invoices' },
          { label: 'Active investments', value: s.active_count },
          { label: 'Open on marketplace', value: s.marketplace_count, hint: 'Invoices you can fund now' },
        ]}
      />

      <Section
        title="Latest listings"
        extra={
          <Link to="/marketplace" className="link">
            See all open invoices →
          </Link>
        }
      >
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
                    <ListingFigures invoice={invoice} />
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </QueryState>
      </Section>
    </>
  );
}
