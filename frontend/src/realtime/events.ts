// The server's domain events and what each one does to this tab: one entry per event.
// Adding an event is a payload type below and one handler in EVENT_HANDLERS.

import type { QueryClient, QueryKey } from '@tanstack/react-query';
import { addFill, addNotification, addTransactions, applyAuction, applyBid, applyInvestment, applyInvoice, applyWallet, knownInvoice } from '../api/cache';
import { latestInvoice, queryKeys } from '../api/queries';
import type {
  AppNotification,
  Auction,
  Bid,
  Investment,
  Invoice,
  MarketStats,
  Portfolio,
  PortfolioSummary,
  Role,
  Transaction,
  Wallet,
} from '../api/types';
import type { ToastInput } from '../components/Toasts';
import { rebidPath } from '../lib/rebid';
import { formatDate, formatRelativeDays } from '../lib/dates';
import { isOnMarketplace } from '../lib/invoices';
import { formatBps, formatPaise } from '../lib/money';

/** Carried by every event. `offset` (where to resume after a disconnect) is opaque. */
export interface EventMeta {
  event_id: string;
  occurred_at: string;
  offset: string;
}

export interface ServerEvents {
  newInvoiceListed: { invoice: Invoice };
  invoiceAwaitingAcceptance: { invoice: Invoice };
  invoiceAccepted: { invoice: Invoice };
  invoiceRejected: { invoice: Invoice };
  invoiceFunded: { invoice: Invoice; investment: Investment; fully_funded: boolean };
  investmentSuccess: { investment: Investment; invoice: Invoice; wallet: Wallet };
  repaymentReceived: { invoice: Invoice; investment: Investment; amount: number };
  invoiceOverdue: { invoice: Invoice };
  invoiceDefaulted: { invoice: Invoice };
  invoiceUpdated: { invoice: Invoice };
  portfolioUpdate: { summary: PortfolioSummary };
  walletUpdated: { wallet: Wallet; transactions: Transaction[] };
  notification: { notification: AppNotification; unread_count: number };
  auctionUpdated: { invoice_id: number; auction: Auction };
  bidOutbid: { bid: Bid };
  bidWon: { bid: Bid; investment: Investment };
  bidLost: { bid: Bid };
  auctionClosed: { invoice: Invoice };
  autoInvestFilled: { rule_id: number; investment: Investment; invoice: Invoice };
  /** Never replayed after a reconnect: the next one (at most a second away) replaces it. */
  marketStats: { stats: MarketStats };
}

export type ServerEventName = keyof ServerEvents;

/** What a handler may touch. */
export interface EventContext {
  client: QueryClient;
  viewer: { id: number; role: Role };
  toast(toast: ToastInput): void;
  /** A listing that just arrived (the "New" mark, the pop-up away from the marketplace). */
  announceListing(invoice: Invoice): void;
  /** Refetch this soon; a burst of events costs one request. */
  refetchSoon(key: QueryKey): void;
  /** Go to a page of the app (a toast's action). */
  navigate(path: string): void;
}

type EventHandlers = {
  [E in ServerEventName]: (event: ServerEvents[E] & EventMeta, context: EventContext) => void;
};

const CREDITS_TO_TELL: Partial<Record<Transaction['kind'], string>> = {
  refund: 'Investment refunded',
};

const named = (invoice: Invoice) => `${invoice.invoice_number} (${invoice.buyer_name})`;

/** How a bid's invoice is named in a message, from what the cache knows of it. */
function bidOn(client: QueryClient, bid: Bid): string {
  const invoice = knownInvoice(client, bid.invoice_id);
  return invoice ? named(invoice) : `invoice #${bid.invoice_id}`;
}

/**
 * An invoice that changed for one of the parties: applied by version (a stale one does
 * nothing, not even a toast), then the figures that depend on it are refetched.
 */
function invoiceNews(tell: (invoice: Invoice, viewer: EventContext['viewer']) => ToastInput) {
  return ({ invoice }: { invoice: Invoice }, { client, viewer, toast, refetchSoon }: EventContext) => {
    if (!applyInvoice(client, invoice, viewer.id)) return;
    refetchSoon(queryKeys.stats);
    if (viewer.role === 'investor') refetchSoon(queryKeys.portfolio);
    toast(tell(invoice, viewer));
  };
}

export const EVENT_HANDLERS: EventHandlers = {
  newInvoiceListed({ invoice }, { client, viewer, announceListing, refetchSoon }) {
    applyInvoice(client, invoice, viewer.id);
    if (viewer.role === 'investor' && isOnMarketplace(latestInvoice(client, invoice))) announceListing(invoice);
    refetchSoon(queryKeys.stats);
  },

  invoiceAwaitingAcceptance: invoiceNews((invoice) => ({
    title: 'An invoice awaits your acceptance',
    body: `${invoice.seller_name} listed ${invoice.invoice_number} for ${formatPaise(invoice.amount)}, due ${formatDate(invoice.due_date)}.`,
  })),

  invoiceAccepted: invoiceNews((invoice) => ({
    tone: 'success',
    title: 'Buyer accepted your invoice',
    body: `${named(invoice)} is on the marketplace, marked as confirmed by the buyer.`,
  })),

  invoiceRejected: invoiceNews((invoice) => ({
    tone: 'error',
    title: 'Buyer rejected your invoice',
    body: `${named(invoice)}${invoice.reason ? `: “${invoice.reason}”` : ''}.`,
  })),

  invoiceOverdue: invoiceNews((invoice, viewer) => ({
    tone: 'error',
    title: `${invoice.invoice_number} is overdue`,
    body:
      viewer.role === 'buyer'
        ? `${formatPaise(invoice.owed)} is owed; late interest starts after the grace period.`
        : `${named(invoice)} is ${formatRelativeDays(-invoice.days_past_due)}: ${formatPaise(invoice.owed)} still owed.`,
  })),

  invoiceDefaulted: invoiceNews((invoice) => ({
    tone: 'error',
    title: `${invoice.invoice_number} has defaulted`,
    body: `${named(invoice)}: ${formatPaise(invoice.owed)} still owed, ${formatRelativeDays(-invoice.days_past_due)}.`,
  })),

  invoiceUpdated({ invoice }, { client, viewer, refetchSoon }) {
    if (applyInvoice(client, invoice, viewer.id)) refetchSoon(queryKeys.stats);
  },

  invoiceFunded({ invoice, investment, fully_funded }, { client, viewer, toast, refetchSoon }) {
    applyInvoice(client, invoice, viewer.id);
    refetchSoon(queryKeys.stats);
    toast(
      fully_funded
        ? {
            tone: 'success',
            title: 'Invoice fully funded',
            body: `${named(invoice)}: ${formatPaise(invoice.funded_amount)} paid into your wallet.`,
          }
        : {
            title: 'New funding received',
            body: `${formatPaise(investment.amount)} invested in ${invoice.invoice_number}${
              invoice.remaining === null ? '' : `; ${formatPaise(invoice.remaining)} left to fund`
            }.`,
          },
    );
  },

  investmentSuccess({ invoice, wallet }, { client, viewer, refetchSoon }) {
    applyInvoice(client, invoice, viewer.id);
    applyWallet(client, wallet);
    refetchSoon(queryKeys.portfolio);
    refetchSoon(queryKeys.stats);
  },

  repaymentReceived({ invoice, investment, amount }, { client, viewer, toast, refetchSoon }) {
    applyInvoice(client, invoice, viewer.id);
    applyInvestment(client, investment, invoice);
    refetchSoon(queryKeys.portfolio); // the summary
    refetchSoon(queryKeys.stats);
    toast({
      tone: 'success',
      title: invoice.status === 'settled' ? 'Invoice repaid in full' : 'Payment received',
      body: `${formatPaise(amount)} from ${named(invoice)} credited to your wallet.`,
    });
  },

  portfolioUpdate({ summary }, { client, refetchSoon }) {
    client.setQueryData<Portfolio>(queryKeys.portfolio, (portfolio) => portfolio && { ...portfolio, summary });
    refetchSoon(queryKeys.portfolio); // the investments themselves
    refetchSoon(queryKeys.stats);
  },

  walletUpdated({ wallet, transactions }, { client, toast, refetchSoon }) {
    applyWallet(client, wallet);
    addTransactions(client, transactions);
    refetchSoon(queryKeys.stats);
    for (const transaction of transactions) {
      const title = CREDITS_TO_TELL[transaction.kind];
      if (title) toast({ tone: 'success', title, body: `${formatPaise(transaction.amount)} credited to your wallet.` });
    }
  },

  notification({ notification, unread_count }, { client }) {
    addNotification(client, notification, unread_count);
  },

  auctionUpdated({ invoice_id, auction }, { client, viewer, refetchSoon }) {
    applyAuction(client, invoice_id, auction);
    if (viewer.role === 'seller') refetchSoon(queryKeys.book(invoice_id));
  },

  bidOutbid({ bid }, { client, toast, navigate, refetchSoon }) {
    applyBid(client, bid);
    refetchSoon(queryKeys.stats);
    toast({
      tone: 'error',
      title: 'You were outbid',
      body: `Your bid of ${formatPaise(bid.face_amount)} at ${formatBps(bid.rate_bps)} on ${bidOn(client, bid)} is out of the winning set; the hold is back in your wallet.`,
      durationMs: 12_000,
      action: { label: 'Bid again', ariaLabel: `Bid again on ${bidOn(client, bid)}`, onClick: () => navigate(rebidPath(bid)) },
    });
  },

  bidWon({ bid, investment }, { client, toast, refetchSoon }) {
    applyBid(client, bid);
    refetchSoon(queryKeys.portfolio);
    refetchSoon(queryKeys.stats);
    toast({
      tone: 'success',
      title: 'You won at auction',
      body: `${formatPaise(bid.filled_face)} of ${bidOn(client, bid)} for ${formatPaise(investment.amount)}.`,
    });
  },

  bidLost({ bid }, { client, toast }) {
    applyBid(client, bid);
    toast({ title: 'Auction closed without your bid', body: `${bidOn(client, bid)}: the hold is back in your wallet.` });
  },

  auctionClosed({ invoice }, { client, viewer, toast, refetchSoon }) {
    if (!applyInvoice(client, invoice, viewer.id)) return;
    refetchSoon(queryKeys.stats);
    if (invoice.seller_id === viewer.id && invoice.status === 'cancelled') {
      toast({ tone: 'error', title: 'Your auction closed unfilled', body: `${named(invoice)}: the bids did not cover it, so it was withdrawn.` });
    }
  },

  autoInvestFilled({ rule_id, investment, invoice }, { client, viewer, toast, refetchSoon }) {
    applyInvoice(client, invoice, viewer.id);
    addFill(client, rule_id, investment);
    refetchSoon(queryKeys.rules);
    refetchSoon(queryKeys.portfolio);
    toast({ tone: 'success', title: 'Auto-invest filled', body: `${formatPaise(investment.amount)} in ${named(invoice)}, by rule #${rule_id}.` });
  },

  marketStats({ stats }, { client }) {
    client.setQueryData(queryKeys.marketStats, stats);
  },
};
