// An investment's state in words a person reads: "12 days overdue", "Defaulted: ₹3,400.00
// recovered of ₹50,000.00", "Written off: loss ₹46,600.00".

import type { InvestmentStatus, InvoiceStatus, PortfolioInvestment } from '../api/types';
import { formatRelativeDays } from './dates';
import { formatPaise } from './money';

export interface InvestmentState {
  /** The badge's colour: the investment's status, or its invoice's when that is the news. */
  tone: InvestmentStatus | InvoiceStatus;
  text: string;
}

export function investmentState({ status, invoice, amount, received, loss }: PortfolioInvestment): InvestmentState {
  switch (status) {
    case 'settled':
      return { tone: 'settled', text: 'Repaid' };
    case 'refunded':
      return { tone: 'refunded', text: 'Refunded' };
    case 'written_off':
      return { tone: 'written_off', text: `Written off: loss ${formatPaise(loss ?? Math.max(0, amount - received))}` };
    case 'active':
      if (invoice.status === 'overdue') return { tone: 'overdue', text: formatRelativeDays(-invoice.days_past_due) };
      if (invoice.status === 'defaulted') {
        return { tone: 'defaulted', text: `Defaulted: ${formatPaise(received)} recovered of ${formatPaise(amount)}` };
      }
      return { tone: 'active', text: invoice.status === 'listed' ? 'Active: being funded' : 'Active' };
  }
}
