import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { ArrowDownLeft, ArrowUpRight, Wallet } from 'lucide-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { transactionsQuery, walletQuery } from '../api/queries';
import type { Role, Transaction } from '../api/types';
import { statementApi } from '../api/statements';
import { DataTable, type Column } from '../components/DataTable';
import { StatementDownload } from '../components/StatementDownload';
import { LoadMore } from '../components/LoadMore';
import { EmptyState, QueryState, SkeletonList } from '../components/States';
import { useUser } from '../hooks/useAuth';
import { usePageTitle } from '../hooks/usePageTitle';
import { formatDateTime } from '../lib/dates';
import { formatPaise } from '../lib/money';
import { lastThirtyDays, WALLET_STATEMENT_WORDS } from '../lib/statements';

const KIND_LABELS: Record<Transaction['kind'], string> = {
  demo_credit: 'Demo credit',
  investment: 'Investment',
  funding_received: 'Funding received',
  repayment_paid: 'Repayment paid',
  repayment_received: 'Repayment received',
  refund: 'Refund',
  late_interest: 'Late interest',
  recovery: 'Recovery',
  bid_hold: 'Bid held',
  bid_release: 'Bid released',
};

const TRANSACTION_COLUMNS: Column<Transaction>[] = [
  {
    header: 'Kind',
    phone: 'title',
    cell: (t) => (
      <>
        <div className="cell-title">{KIND_LABELS[t.kind]}</div>
        {t.description && <div className="cell-sub">{t.description}</div>}
      </>
    ),
  },
  {
    header: 'Amount',
    numeric: true,
    phone: 'badge',
    cell: (t) => (
      <span className={`direction direction--${t.direction}`}>
        {t.direction === 'credit' ? <ArrowDownLeft size={14} aria-hidden="true" /> : <ArrowUpRight size={14} aria-hidden="true" />}
        <span className="visually-hidden">{t.direction === 'credit' ? 'Credit' : 'Debit'} </span>
        {t.direction === 'credit' ? '+' : '−'}
        {formatPaise(t.amount)}
      </span>
    ),
  },
  { header: 'Date', cell: (t) => <span className="nowrap">{formatDateTime(t.created_at)}</span> },
  { header: 'Invoice', cell: (t) => (t.invoice_id !== null ? `#${t.invoice_id}` : '—') },
  { header: 'Balance after', numeric: true, cell: (t) => formatPaise(t.balance_after) },
];

/** What each role does with its money next. */
const WALLET_ACTION: Record<Role, { to: string; label: string }> = {
  investor: { to: '/marketplace', label: 'Invest' },
  seller: { to: '/invoices/new', label: 'Raise cash on an invoice' },
  buyer: { to: '/dashboard', label: 'See what you owe' },
  operator: { to: '/operator', label: 'Back to the console' },
};

function BalanceCard() {
  const user = useUser();
  const { data: wallet } = useQuery(walletQuery);
  return (
    <section className="balance-card" aria-label="Balance">
      <div>
        <div className="balance-card__label">Available balance</div>
        <div className="balance-card__value">{wallet ? formatPaise(wallet.balance) : <span className="skeleton skeleton--text" />}</div>
        {wallet && <div className="balance-card__sub">Updated {formatDateTime(wallet.updated_at)}</div>}
      </div>
      <div className="balance-card__actions">
        <Link to={WALLET_ACTION[user.role].to} className="btn btn--light">
          {WALLET_ACTION[user.role].label}
        </Link>
      </div>
      <Wallet size={120} className="balance-card__art" aria-hidden="true" />
    </section>
  );
}

/** Every transaction between two IST dates, with the opening and closing balances, as CSV. */
function WalletStatement() {
  const [period, setPeriod] = useState(lastThirtyDays);
  const field = (name: 'from' | 'to', label: string) => (
    <div className="toolbar__field">
      <label htmlFor={`statement-${name}`}>{label}</label>
      <input id={`statement-${name}`} type="date" value={period[name]} onChange={(e) => setPeriod((p) => ({ ...p, [name]: e.target.value }))} />
    </div>
  );
  return (
    <StatementDownload title="Statement" fetchFile={() => statementApi.wallet(period.from, period.to)} words={WALLET_STATEMENT_WORDS}>
      <h2 className="card__title statement__title">Statement</h2>
      {field('from', 'From')}
      {field('to', 'To (IST dates)')}
    </StatementDownload>
  );
}

export function WalletPage() {
  usePageTitle('Wallet');
  const history = useInfiniteQuery(transactionsQuery);

  return (
    <>
      <div className="page__header">
        <div>
          <h1 className="page__title">Wallet</h1>
          <p className="page__subtitle">Every rupee in and out, newest first.</p>
        </div>
      </div>
      <BalanceCard />
      <WalletStatement />
      <section className="card" aria-labelledby="history-title">
        <div className="card__header">
          <h2 id="history-title" className="card__title">
            Transactions
          </h2>
        </div>
        <QueryState
          query={history}
          what="your transactions"
          loading={<SkeletonList rows={5} label="Loading transactions" />}
          isEmpty={(data) => data.pages.every((page) => page.items.length === 0)}
          empty={
            <EmptyState icon={<Wallet size={28} aria-hidden="true" />} title="No transactions yet">
              Money moving in or out of your wallet will be listed here.
            </EmptyState>
          }
        >
          {(data) => (
            <>
              <DataTable label="Transactions" rows={data.pages.flatMap((page) => page.items)} columns={TRANSACTION_COLUMNS} rowKey={(t) => t.id} />
              <LoadMore query={history} label="Load more" done="That's everything." />
            </>
          )}
        </QueryState>
      </section>
    </>
  );
}
