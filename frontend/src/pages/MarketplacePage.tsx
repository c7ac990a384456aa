import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { EmptyState, ErrorBanner, SkeletonList } from '../components/EmptyState';
import { SearchIcon, StoreIcon } from '../components/Icons';
import { InvestDialog } from '../components/InvestDialog';
import { InvoiceCard } from '../components/InvoiceCard';
import { useToast } from '../components/Toasts';
import { useUser } from '../hooks/useAuth';
import { useLoader } from '../hooks/useLoader';
import { useLiveEvent, useRealTimeData, useRefetchOn } from '../hooks/useRealTimeData';
import { useWallet } from '../hooks/useWallet';
import { fetchAllPages, invoiceApi } from '../lib/api';
import { formatDate } from '../lib/dates';
import {
  filterInvoices,
  isOnMarketplace,
  mergeInvoice,
  reconcile,
  SORT_LABELS,
  sortInvoices,
  type MarketplaceFilter,
  type MarketplaceSort,
} from '../lib/invoices';
import { formatPaise } from '../lib/money';
import type { FundResult, Invoice } from '../types';

/** How long a funded invoice stays visible (greyed) before it leaves. */
const LEAVE_MS = 450;

const YIELD_OPTIONS = [
  { value: '', label: 'Any yield' },
  { value: '800', label: '8% or more' },
  { value: '1000', label: '10% or more' },
  { value: '1200', label: '12% or more' },
  { value: '1500', label: '15% or more' },
];

const MATURITY_OPTIONS = [
  { value: '', label: 'Any maturity' },
  { value: '30', label: 'Within 30 days' },
  { value: '60', label: 'Within 60 days' },
  { value: '90', label: 'Within 90 days' },
  { value: '180', label: 'Within 180 days' },
];

export function MarketplacePage() {
  const user = useUser();
  const toast = useToast();
  const isInvestor = user.role === 'investor';
  const {
    latestInvoice,
    realTimeData: { newInvoices },
    dismissNewInvoice,
  } = useRealTimeData();
  const { wallet, applyWallet } = useWallet();
  const [params, setParams] = useSearchParams();

  const listing = useLoader(async () =>
    reconcile(await fetchAllPages((cursor) => invoiceApi.list({ status: 'listed', cursor })), latestInvoice, isOnMarketplace),
  );
  useRefetchOn([], listing.reload);
  const { setData } = listing;

  // Invoices that arrived live (they slide in), and timers for those on their way out.
  const arrivedLive = useRef(new Set<number>());
  const leaveTimers = useRef(new Map<number, ReturnType<typeof setTimeout>>());
  useEffect(() => {
    const timers = leaveTimers.current;
    return () => timers.forEach((t) => clearTimeout(t));
  }, []);

  const applyInvoice = useCallback(
    (invoice: Invoice) => {
      setData((list) => {
        if (!list) return list;
        const present = list.some((i) => i.id === invoice.id);
        if (!present && isOnMarketplace(invoice)) arrivedLive.current.add(invoice.id);
        return mergeInvoice(list, invoice, () => true, isOnMarketplace(invoice));
      });
      if (!isOnMarketplace(invoice) && !leaveTimers.current.has(invoice.id)) {
        leaveTimers.current.set(
          invoice.id,
          setTimeout(() => {
            leaveTimers.current.delete(invoice.id);
            setData((list) => list?.filter((i) => i.id !== invoice.id || isOnMarketplace(i)));
          }, LEAVE_MS),
        );
      }
    },
    [setData],
  );

  useLiveEvent('invoice', applyInvoice);

  // ---- the invest dialog
  const [investId, setInvestId] = useState<number | null>(null);
  const [investSnapshot, setInvestSnapshot] = useState<Invoice | null>(null);
  const listed = listing.data;
  const investInvoice = useMemo(() => {
    if (investId === null) return null;
    const inList = listed?.find((i) => i.id === investId);
    const candidates = [inList, investSnapshot].filter((i): i is Invoice => !!i && i.id === investId);
    if (candidates.length === 0) return null;
    return latestInvoice(candidates.reduce((a, b) => (b.version > a.version ? b : a)));
  }, [investId, listed, investSnapshot, latestInvoice]);

  const openInvest = useCallback(
    (invoice: Invoice) => {
      setInvestSnapshot(invoice);
      setInvestId(invoice.id);
      dismissNewInvoice(invoice.id);
    },
    [dismissNewInvoice],
  );

  const onInvested = (result: FundResult) => {
    applyInvoice(result.invoice);
    applyWallet(result.wallet);
    setInvestId(null);
    toast({
      tone: 'success',
      title: 'Investment confirmed',
      body: `${formatPaise(result.investment.amount)} in ${result.invoice.invoice_number}. Expected return ${formatPaise(
        result.investment.expected_return,
      )} on ${formatDate(result.invoice.due_date)}.`,
    });
  };

  // Deep links: ?invest=<id> (the quick "Invest Now" of the listing alert), ?invoice=<id> (a notification).
  const investParam = params.get('invest');
  useEffect(() => {
    if (!investParam || !isInvestor) return;
    const id = Number(investParam);
    setParams(
      (p) => {
        p.delete('invest');
        return p;
      },
      { replace: true },
    );
    if (!Number.isInteger(id)) return;
    invoiceApi
      .get(id)
      .then(({ invoice }) => openInvest(latestInvoice(invoice)))
      .catch(() => toast({ tone: 'error', title: 'That invoice is no longer available.' }));
  }, [investParam, isInvestor, setParams, openInvest, latestInvoice, toast]);

  const highlight = Number(params.get('invoice')) || null;
  useEffect(() => {
    if (!highlight || !listed) return;
    document.getElementById(`invoice-${highlight}`)?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }, [highlight, listed]);

  // ---- sort and filter
  const [sort, setSort] = useState<MarketplaceSort>('newest');
  const [text, setText] = useState('');
  const [minYield, setMinYield] = useState('');
  const [maxDays, setMaxDays] = useState('');
  const filter: MarketplaceFilter = {
    text,
    minYieldBps: minYield ? Number(minYield) : null,
    maxDays: maxDays ? Number(maxDays) : null,
  };
  const filtersOn = !!(text || minYield || maxDays);
  const all = listed ?? [];
  const shown = sortInvoices(filterInvoices(all, filter), sort);
  const open = all.filter(isOnMarketplace);
  const openTotal = open.reduce((sum, i) => sum + BigInt(i.remaining), 0n);
  const newIds = useMemo(() => new Set(newInvoices.map((i) => i.id)), [newInvoices]);

  return (
    <>
      <div className="page__header">
        <div>
          <h1 className="page__title">Marketplace</h1>
          <p className="page__subtitle">
            {listing.loading
              ? 'Loading open invoices…'
              : `${open.length} ${open.length === 1 ? 'invoice' : 'invoices'} open for funding · ${formatPaise(openTotal)} left to fund`}
          </p>
        </div>
        <span className="live-hint">
          <span className="live-hint__dot" aria-hidden="true" /> Updates appear here as they happen
        </span>
      </div>

      {!isInvestor && (
        <div className="banner banner--info">
          You are signed in as a seller: this is what investors see. Only investor accounts can fund invoices.
        </div>
      )}

      <div className="toolbar" role="search">
        <div className="toolbar__search">
          <SearchIcon size={16} />
          <label htmlFor="market-search" className="visually-hidden">
            Search
          </label>
          <input
            id="market-search"
            type="search"
            placeholder="Search buyer, seller or invoice number"
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </div>
        <div className="toolbar__field">
          <label htmlFor="market-sort">Sort by</label>
          <select id="market-sort" value={sort} onChange={(e) => setSort(e.target.value as MarketplaceSort)}>
            {Object.entries(SORT_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="toolbar__field">
          <label htmlFor="market-yield">Minimum yield</label>
          <select id="market-yield" value={minYield} onChange={(e) => setMinYield(e.target.value)}>
            {YIELD_OPTIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        <div className="toolbar__field">
          <label htmlFor="market-maturity">Maturity</label>
          <select id="market-maturity" value={maxDays} onChange={(e) => setMaxDays(e.target.value)}>
            {MATURITY_OPTIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
      </div>

      {listing.error && <ErrorBanner message={listing.error} onRetry={listing.reload} />}

      {listing.loading ? (
        <SkeletonList rows={3} label="Loading invoices" />
      ) : shown.length === 0 ? (
        filtersOn && all.length > 0 ? (
          <EmptyState
            icon={<SearchIcon size={28} />}
            title="No invoices match your filters"
            action={
              <button
                type="button"
                className="btn btn--ghost"
                onClick={() => {
                  setText('');
                  setMinYield('');
                  setMaxDays('');
                }}
              >
                Clear filters
              </button>
            }
          >
            {all.length} open {all.length === 1 ? 'invoice is' : 'invoices are'} hidden by the search or filters.
          </EmptyState>
        ) : (
          <EmptyState icon={<StoreIcon size={28} />} title="No invoices open for funding">
            Every listed invoice has been funded. New listings slide in here the moment a seller lists them, no need to refresh.
          </EmptyState>
        )
      ) : (
        <div className="inv-grid">
          {shown.map((invoice) => (
            <InvoiceCard
              key={invoice.id}
              invoice={invoice}
              isNew={newIds.has(invoice.id)}
              entering={arrivedLive.current.has(invoice.id)}
              highlighted={invoice.id === highlight}
              onInvest={isInvestor ? () => openInvest(invoice) : undefined}
            />
          ))}
        </div>
      )}

      {investInvoice && (
        <InvestDialog
          key={investInvoice.id}
          invoice={investInvoice}
          walletBalance={wallet?.balance ?? null}
          onClose={() => setInvestId(null)}
          onInvested={onInvested}
        />
      )}
    </>
  );
}
