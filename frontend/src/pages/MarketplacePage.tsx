import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Search, Store } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { applyAuction, applyBid, applyInvoice, applyWallet } from '../api/cache';
import { invoiceListQuery, invoiceQuery, marketplaceQuery, queryKeys, walletQuery } from '../api/queries';
import type { BidResult, FundResult, Invoice } from '../api/types';
import { BidDialog } from '../components/BidDialog';
import { InvestDialog } from '../components/InvestDialog';
import { InvoiceCard } from '../components/InvoiceCard';
import { ROLE_LABELS } from '../components/AccountMenu';
import { SearchBox } from '../components/SearchBox';
import { EmptyState, QueryState, SkeletonList } from '../components/States';
import { useToast } from '../components/Toasts';
import { useUser } from '../hooks/useAuth';
import { useHighlight } from '../hooks/useHighlight';
import { usePageTitle } from '../hooks/usePageTitle';
import { openAuctionOf } from '../lib/auctions';
import { formatDate } from '../lib/dates';
import { filterInvoices, isPriced, SORT_LABELS, sortInvoices, type MarketplaceSort } from '../lib/invoices';
import { formatBps, formatPaise } from '../lib/money';
import { readRebid } from '../lib/rebid';
import { useListingAlerts } from '../realtime/RealTimeProvider';

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

function openSummary(list: Invoice[], confirmedOnly: boolean): string {
  const priced = list.filter(isPriced);
  const total = priced.reduce((sum, i) => sum + BigInt(i.remaining), 0n);
  const bidding = list.length - priced.length;
  const what = `${confirmedOnly ? 'buyer-confirmed ' : ''}${list.length === 1 ? 'invoice' : 'invoices'}`;
  return [
    `${list.length} ${what} open for funding`,
    priced.length > 0 && `${formatPaise(total)} left to fund`,
    bidding > 0 && `${bidding} taking bids`,
  ]
    .filter(Boolean)
    .join(' · ');
}

const confirmedMarketplaceQuery = invoiceListQuery({ status: 'listed', buyerConfirmed: true });

export function MarketplacePage() {
  usePageTitle('Marketplace');
  const user = useUser();
  const isInvestor = user.role === 'investor';
  // Buyer-confirmed only is asked of the server (`buyer_confirmed=true`); the rest filters here.
  const [confirmedOnly, setConfirmedOnly] = useState(false);
  const listing = useQuery(confirmedOnly ? confirmedMarketplaceQuery : marketplaceQuery);
  const { ids: newIds, dismiss } = useListingAlerts();
  const [params, setParams] = useSearchParams();

  // Deep links: ?invest=<id> (the listing pop-up's quick Invest Now), ?invoice=<id> (highlight).
  // ?bid=<id>&face=<paise> ("Bid again" after being outbid).
  const [investId, setInvestId] = useState<number | null>(() => (isInvestor ? Number(params.get('invest')) || null : null));
  const [bidding, setBidding] = useState<ReturnType<typeof readRebid>>(null);
  const rebid = isInvestor ? readRebid(params) : null;
  if (rebid && rebid.invoiceId !== bidding?.invoiceId) setBidding(rebid);
  useEffect(() => {
    if (!params.has('invest') && !params.has('bid')) return;
    setParams((p) => (p.delete('invest'), p.delete('bid'), p.delete('face'), p), { replace: true });
  }, [params, setParams]);
  const { highlight } = useHighlight(!!listing.data);

  const openInvest = (invoice: Invoice) => {
    setInvestId(invoice.id);
    dismiss(invoice.id);
  };

  const [sort, setSort] = useState<MarketplaceSort>('newest');
  const [text, setText] = useState('');
  const [minYield, setMinYield] = useState('');
  const [maxDays, setMaxDays] = useState('');
  const filtersOn = !!(text || minYield || maxDays);
  const clearFilters = () => {
    setText('');
    setMinYield('');
    setMaxDays('');
    setConfirmedOnly(false);
  };

  return (
    <>
      <div className="page__header">
        <div>
          <h1 className="page__title">Marketplace</h1>
          <p className="page__subtitle">
            {listing.data ? openSummary(listing.data, confirmedOnly) : listing.error ? 'The open invoices could not be loaded.' : 'Loading open invoices…'}
          </p>
        </div>
        <span className="live-hint">
          <span className="live-hint__dot" aria-hidden="true" /> Updates appear here as they happen
        </span>
      </div>

      {!isInvestor && (
        <div className="banner banner--info">
          You are signed in as a {ROLE_LABELS[user.role].toLowerCase()}: this is what investors see. Only investor accounts can fund
          invoices.
        </div>
      )}

      <div className="toolbar" role="search">
        <SearchBox id="market-search" label="Search" placeholder="Search buyer, seller or invoice number" value={text} onChange={setText} />
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
        <label className="toolbar__check">
          <input type="checkbox" checked={confirmedOnly} onChange={(e) => setConfirmedOnly(e.target.checked)} />
          Buyer confirmed only
        </label>
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

      <QueryState
        query={listing}
        what="the open invoices"
        loading={<SkeletonList rows={3} label="Loading invoices" />}
        isEmpty={(list) => list.length === 0}
        empty={
          confirmedOnly ? (
            <EmptyState
              icon={<Store size={28} aria-hidden="true" />}
              title="No buyer-confirmed invoices open"
              action={
                <button type="button" className="btn btn--ghost" onClick={clearFilters}>
                  Show every invoice
                </button>
              }
            >
              Invoices their buyers have confirmed slide in here the moment they are accepted.
            </EmptyState>
          ) : (
            <EmptyState icon={<Store size={28} aria-hidden="true" />} title="No invoices open for funding">
              Every listed invoice has been funded. New listings slide in here the moment a seller lists them, no need to refresh.
            </EmptyState>
          )
        }
      >
        {(all) => {
          const filter = { text, minYieldBps: minYield ? Number(minYield) : null, maxDays: maxDays ? Number(maxDays) : null };
          const shown = sortInvoices(filterInvoices(all, filter), sort);
          if (shown.length === 0 && filtersOn) {
            return (
              <EmptyState
                icon={<Search size={28} aria-hidden="true" />}
                title="No invoices match your filters"
                action={
                  <button type="button" className="btn btn--ghost" onClick={clearFilters}>
                    Clear filters
                  </button>
                }
              >
                {all.length} open {all.length === 1 ? 'invoice is' : 'invoices are'} hidden by the search or filters.
              </EmptyState>
            );
          }
          return (
            <div className="inv-grid">
              {shown.map((invoice) => (
                <InvoiceCard
                  key={invoice.id}
                  invoice={invoice}
                  isNew={newIds.includes(invoice.id)}
                  highlighted={invoice.id === highlight}
                  onInvest={isInvestor ? () => openInvest(invoice) : undefined}
                  onBid={isInvestor ? () => setBidding({ invoiceId: invoice.id, faceAmount: null }) : undefined}
                />
              ))}
            </div>
          );
        }}
      </QueryState>

      {investId !== null && (
        <InvestInto
          invoiceId={investId}
          shown={listing.data?.find((i) => i.id === investId)}
          onClose={() => setInvestId(null)}
        />
      )}
      {bidding !== null && (
        <BidInto
          invoiceId={bidding.invoiceId}
          initialFace={bidding.faceAmount}
          shown={listing.data?.find((i) => i.id === bidding.invoiceId)}
          onClose={() => setBidding(null)}
        />
      )}
    </>
  );
}

/** The bid dialog for one auction, kept current by the cache (bids, extensions, the close). */
function BidInto({ invoiceId, initialFace, shown, onClose }: { invoiceId: number; initialFace: number | null; shown: Invoice | undefined; onClose(): void }) {
  const toast = useToast();
  const client = useQueryClient();
  const invoice = useQuery({ ...invoiceQuery(invoiceId), initialData: shown, initialDataUpdatedAt: 0 });
  const { data: wallet } = useQuery(walletQuery);
  const auction = invoice.data ? openAuctionOf(invoice.data) : null;
  const unavailable = (invoice.isError && !invoice.data) || (!!invoice.data && !auction);
  useEffect(() => {
    if (!unavailable) return;
    toast({ tone: 'error', title: 'That auction is no longer taking bids.' });
    onClose();
  }, [unavailable, toast, onClose]);

  const onPlaced = ({ bid, auction: after }: BidResult) => {
    applyAuction(client, invoiceId, after);
    applyBid(client, bid);
    void client.invalidateQueries({ queryKey: queryKeys.myBids(invoiceId) });
    onClose();
    toast({ tone: 'success', title: 'Bid placed', body: `${formatPaise(bid.face_amount)} at ${formatBps(bid.rate_bps)}; it is held from your wallet until the close.` });
  };

  if (!invoice.data || !auction) return null;
  return <BidDialog invoice={invoice.data} auction={auction} walletBalance={wallet?.balance ?? null} initialFace={initialFace} onClose={onClose} onPlaced={onPlaced} />;
}

/** The invest dialog for one invoice, kept current by the cache (events, refetches). */
function InvestInto({ invoiceId, shown, onClose }: { invoiceId: number; shown: Invoice | undefined; onClose(): void }) {
  const user = useUser();
  const toast = useToast();
  const client = useQueryClient();
  const invoice = useQuery({ ...invoiceQuery(invoiceId), initialData: shown, initialDataUpdatedAt: 0 });
  const { data: wallet } = useQuery(walletQuery);

  const unavailable = invoice.isError && !invoice.data;
  const byAuction = !!invoice.data && !isPriced(invoice.data);
  useEffect(() => {
    if (!unavailable && !byAuction) return;
    toast({
      tone: 'error',
      title: byAuction ? 'That invoice is priced by a rate auction: it takes bids, not fixed-price investments.' : 'That invoice is no longer available.',
    });
    onClose();
  }, [unavailable, byAuction, toast, onClose]);

  const onInvested = (result: FundResult) => {
    applyInvoice(client, result.invoice, user.id);
    applyWallet(client, result.wallet);
    void client.invalidateQueries({ queryKey: queryKeys.portfolio });
    void client.invalidateQueries({ queryKey: queryKeys.stats });
    onClose();
    toast({
      tone: 'success',
      title: 'Investment confirmed',
      body: `${formatPaise(result.investment.amount)} in ${result.invoice.invoice_number}. Expected return ${formatPaise(
        result.investment.expected_return,
      )} on ${formatDate(result.invoice.due_date)}.`,
    });
  };

  if (!invoice.data || !isPriced(invoice.data)) return null;
  return <InvestDialog invoice={invoice.data} walletBalance={wallet?.balance ?? null} onClose={onClose} onInvested={onInvested} />;
}
