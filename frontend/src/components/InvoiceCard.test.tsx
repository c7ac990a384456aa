import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeInvoice } from '../test/factories';
import { InvoiceCard } from './InvoiceCard';

describe('InvoiceCard: the price', () => {
  it('shows a discounted invoice as an annual yield', () => {
    render(<InvoiceCard invoice={makeInvoice({ annual_yield_bps: 1850 })} isNew={false} highlighted={false} />);
    expect(screen.getByText('annual yield')).toBeInTheDocument();
    expect(screen.getByText('18.50%').parentElement).not.toHaveClass('inv-card__yield--none');
  });

  it('says plainly that a 0% discount earns nothing, not as a yield', () => {
    const invoice = makeInvoice({ amount: 10_000_000, funding_target: 10_000_000, annual_yield_bps: 0 });
    render(<InvoiceCard invoice={invoice} isNew={false} highlighted={false} />);
    expect(screen.getByText('no discount: the price is the face value')).toBeInTheDocument();
    expect(screen.queryByText('annual yield')).not.toBeInTheDocument();
    expect(screen.getByText('0.00%').parentElement).toHaveClass('inv-card__yield--none');
  });
});
