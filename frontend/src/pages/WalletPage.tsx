import { useCallback, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { EmptyState, ErrorBanner, SkeletonList } from '../components/EmptyState';
import { ArrowDownLeft, ArrowUpRight, WalletIcon } from '../components/Icons';
import { useUser } from '../hooks/useAuth';
import { useLiveEvent, useRealTimeData } from '../hooks/useRealTimeData';
import { useWallet } from '../hooks/useWallet';
import { describeError, walletApi } from '../lib/api';
import { formatDateTime } from '../lib/dates';
import { formatPaise } from '../lib/money';
import type { Transaction } from '../types';

const PAGE_SIZE = 25;

export const KIND_LABELS: Record<string, string> = {
  demo_credit: 'Demo credit',
  investment: 'Investment',
  funding_received: 'Funding received',
  repayment_paid: 'Repayment paid',
  repayment_received: 'Repayment received',
  refund: 'Refund',
};

function newestFirst(a: Transaction, b: Transaction): number {
  return Date.parse(b.created_at) - Date.parse(a.created_at) || b.id - a.id;
}

/** Add transactions not yet shown (by id), keeping newest first. */
export function mergeTransactions(shown: Transaction[], incoming: Transaction[]): Transaction[] {
  const ids = new Set(shown.map((t) => t.id));
  const fresh = incoming.filter((t) => !ids.has(t.id));
  return fresh.length === 0 ? shown : [...fresh, ...shown].sort(newestFirst);
}

export function WalletPage() {
  const user = useUser();
  const { wallet } = useWallet();
  const { refreshTick } = useRealTimeData();
  const [items, setItems] = useState<Transaction[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);

  // First page: on mount and after every reconnect / resync (the history may have moved).
  const loadFirst = useCallback(() => {
    const mine = ++seq.current;
    walletApi
      .transactions(null, PAGE_SIZE)
      .then((page) => {
        if (mine !== seq.current) return;
        setItems(page.items);
        setCursor(page.next_cursor);
        setError(null);
      })
      .catch((err) => {
        if (mine === seq.current) setError(describeError(err));
      });
  }, []);

  useEffect(() => {
    loadFirst();
  }, [loadFirst, refreshTick]);

  const loadMore = async () => {
    if (!cursor || loadingMore) return;
    setLoadingMore(true);
    const mine = seq.current;
    try {
      const page = await walletApi.transactions(cursor, PAGE_SIZE);
      if (mine !== seq.current) return;
      setItems((shown) => mergeTransactions(shown ?? [], page.items));
      setCursor(page.next_cursor);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setLoadingMore(false);
    }
  };

  useLiveEvent('walletUpdated', (event) => {
    if (event.transactions?.length) setItems((shown) => (shown ? mergeTransactions(shown, event.transactions) : shown));
  });

  return (
    <>
      <div className="page__header">
        <div>
          <h1 className="page__title">Wallet</h1>
          <p className="page__subtitle">Every rupee in and out, newest first.</p>
        </div>
      </div>

      <section className="balance-card">
        <div>
          <div className="balance-card__label">Available balance</div>
          <div className="balance-card__value">{wallet ? formatPaise(wallet.balance) : <span className="skeleton skeleton--text" />}</div>
          {wallet && <div className="balance-card__sub">Updated {formatDateTime(wallet.updated_at)}</div>}
        </div>
        <div className="balance-card__actions">
          {user.role === 'investor' ? (
            <Link to="/marketplace" className="btn btn--light">
              Invest
            </Link>
          ) : (
            <Link to="/invoices/new" className="btn btn--light">
              Raise cash on an invoice
            </Link>
          )}
        </div>
        <WalletIcon size={120} className="balance-card__art" />
      </section>

      <section className="card" aria-labelledby="history-title">
        <div className="card__header">
          <h2 id="history-title" className="card__title">
            Transactions
          </h2>
        </div>
        {error && <ErrorBanner message={error} onRetry={loadFirst} />}
        {items === null ? (
          !error && <SkeletonList rows={5} label="Loading transactions" />
        ) : items.length === 0 ? (
          <EmptyState icon={<WalletIcon size={28} />} title="No transactions yet">
            Money moving in or out of your wallet will be listed here.
          </EmptyState>
        ) : (
          <>
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Date</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Invoice</th>
                    <th scope="col">Direction</th>
                    <th scope="col" className="num">
                      Amount
                    </th>
                    <th scope="col" className="num">
                      Balance after
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((t) => (
                    <tr key={t.id}>
                      <td className="cell-sub">{formatDateTime(t.created_at)}</td>
                      <td>
                        <div className="cell-title">{KIND_LABELS[t.kind] ?? t.kind}</div>
                        {t.description && <div className="cell-sub">{t.description}</div>}
                      </td>
                      <td>{t.invoice_id !== null && t.invoice_id !== undefined ? `#${t.invoice_id}` : '—'}</td>
                      <td>
                        <span className={`direction direction--${t.direction}`}>
                          {t.direction === 'credit' ? <ArrowDownLeft size={14} /> : <ArrowUpRight size={14} />}
                          {t.direction === 'credit' ? 'Credit' : 'Debit'}
                        </span>
                      </td>
                      <td className={`num ${t.direction === 'credit' ? 'text-positive' : 'text-negative'}`}>
                        {t.direction === 'credit' ? '+' : '−'}
                        {formatPaise(t.amount)}
                      </td>
                      <td className="num">{formatPaise(t.balance_after)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div className="load-more">
              {cursor ? (
                <button type="button" className="btn btn--ghost" onClick={loadMore} disabled={loadingMore} aria-busy={loadingMore || undefined}>
                  {loadingMore && <span className="spinner" aria-hidden="true" />}
                  Load more
                </button>
              ) : (
                <span className="muted">That's everything.</span>
              )}
            </div>
          </>
        )}
      </section>
    </>
  );
}
