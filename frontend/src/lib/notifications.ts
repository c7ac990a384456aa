// Turning server events into the notifications that the bell lists. Pure functions, so the
// wording is tested without a socket.

import type { Role, ServerEvents } from '../types';
import { formatDate } from './dates';
import { formatBps, formatPaise } from './money';

export type NotificationKind = 'new_invoice' | 'invoice_funded' | 'investment' | 'repayment' | 'refund';

export interface AppNotification {
  /** The event_id it came from (or a made-up one for several per event). */
  id: string;
  kind: NotificationKind;
  title: string;
  body: string;
  /** Where "open" goes. */
  href: string;
  invoiceId: number | null;
  occurredAt: string;
  receivedAt: number;
  read: boolean;
}

type Draft = Omit<AppNotification, 'receivedAt' | 'read'>;

function eventTime(payload: { occurred_at?: string }): string {
  return payload.occurred_at ?? new Date().toISOString();
}

export function notificationsFor<E extends keyof ServerEvents>(
  event: E,
  payload: ServerEvents[E],
  role: Role | null,
): Draft[] {
  switch (event) {
    case 'newInvoiceListed': {
      const { invoice, event_id } = payload as ServerEvents['newInvoiceListed'];
      if (role === 'seller') return [];
      return [
        {
          id: event_id,
          kind: 'new_invoice',
          title: 'New invoice listed',
          body: `${invoice.invoice_number} · ${invoice.buyer_name}: ${formatPaise(invoice.funding_target)} at ${formatBps(invoice.annual_yield_bps)} p.a.`,
          href: `/marketplace?invoice=${invoice.id}`,
          invoiceId: invoice.id,
          occurredAt: eventTime(payload),
        },
      ];
    }
    case 'invoiceFunded': {
      const { invoice, investment, fully_funded, event_id } = payload as ServerEvents['invoiceFunded'];
      return [
        {
          id: event_id,
          kind: 'invoice_funded',
          title: fully_funded ? 'Invoice fully funded' : 'New funding received',
          body: fully_funded
            ? `${invoice.invoice_number} (${invoice.buyer_name}) is fully funded: ${formatPaise(invoice.funding_target)} paid into your wallet.`
            : `${formatPaise(investment.amount)} invested in ${invoice.invoice_number} (${invoice.buyer_name}); ${formatPaise(invoice.remaining)} left to fund.`,
          href: `/dashboard?invoice=${invoice.id}`,
          invoiceId: invoice.id,
          occurredAt: eventTime(payload),
        },
      ];
    }
    case 'investmentSuccess': {
      const { invoice, investment, event_id } = payload as ServerEvents['investmentSuccess'];
      return [
        {
          id: event_id,
          kind: 'investment',
          title: 'Investment confirmed',
          body: `${formatPaise(investment.amount)} in ${invoice.invoice_number} (${invoice.buyer_name}); ${formatPaise(investment.expected_return)} expected on ${formatDate(invoice.due_date)}.`,
          href: `/portfolio?investment=${investment.id}`,
          invoiceId: invoice.id,
          occurredAt: eventTime(payload),
        },
      ];
    }
    case 'walletUpdated': {
      const { transactions, event_id } = payload as ServerEvents['walletUpdated'];
      return (transactions ?? [])
        .filter((t) => t.kind === 'repayment_received' || t.kind === 'refund')
        .map((t, index) => ({
          id: `${event_id}:${t.id ?? index}`,
          kind: t.kind === 'refund' ? ('refund' as const) : ('repayment' as const),
          title: t.kind === 'refund' ? 'Investment refunded' : 'Repayment received',
          body: `${formatPaise(t.amount)} credited to your wallet${t.invoice_id ? ` for invoice #${t.invoice_id}` : ''}.`,
          href: '/wallet',
          invoiceId: t.invoice_id ?? null,
          occurredAt: eventTime(payload),
        }));
    }
    default:
      return [];
  }
}
