import { describe, expect, it } from 'vitest';
import { invoiceFormSchema, type InvoiceFormValues } from './invoiceForm';

const today = '2026-03-01';
const valid: InvoiceFormValues = {
  invoiceNumber: 'INV-1',
  buyerName: 'Tata Motors',
  buyerId: null,
  description: '',
  amount: '2,50,000.50',
  dueDate: '2026-04-30',
  rate: '12.5',
  pricing: 'fixed',
  auctionSeconds: '3600',
};

function errors(values: Partial<InvoiceFormValues>): Record<string, string> {
  const result = invoiceFormSchema(today).safeParse({ ...valid, ...values });
  return result.success ? {} : Object.fromEntries(result.error.issues.map((issue) => [String(issue.path[0]), issue.message]));
}

describe('the List invoice form (the API bounds from openapi.json)', () => {
  it('builds the request body in paise and basis points', () => {
    expect(invoiceFormSchema(today).parse(valid)).toEqual({
      invoice_number: 'INV-1',
      buyer_id: null,
      buyer_name: 'Tata Motors',
      description: null,
      amount: 25_000_050,
      due_date: '2026-04-30',
      pricing: 'fixed',
      discount_rate_bps: 1250,
      auction: null,
    });
  });

  it('names a registered buyer by its id alone', () => {
    expect(invoiceFormSchema(today).parse({ ...valid, buyerId: 42 })).toMatchObject({ buyer_id: 42, buyer_name: null });
  });

  it('enforces ₹1,000 to ₹10 crore', () => {
    expect(errors({ amount: '999.99' }).amount).toMatch(/at least ₹\s?1,000\.00/);
    expect(errors({ amount: '1000' }).amount).toBeUndefined();
    expect(errors({ amount: '10,00,00,000' }).amount).toBeUndefined();
    expect(errors({ amount: '10,00,00,000.01' }).amount).toMatch(/at most ₹\s?10,00,00,000\.00/);
    expect(errors({ amount: 'lots' }).amount).toMatch(/in rupees/);
  });

  it('enforces a due date 7 to 365 days after today (inclusive)', () => {
    expect(errors({ dueDate: '2026-03-07' }).dueDate).toMatch(/at least 7 days/);
    expect(errors({ dueDate: '2026-03-08' }).dueDate).toBeUndefined();
    expect(errors({ dueDate: '2027-03-01' }).dueDate).toBeUndefined();
    expect(errors({ dueDate: '2027-03-02' }).dueDate).toMatch(/at most 365 days/);
    expect(errors({ dueDate: '' }).dueDate).toBeDefined();
  });

  it('enforces a rate of 0 to 50% with at most two decimals', () => {
    expect(invoiceFormSchema(today).parse({ ...valid, rate: '0' }).discount_rate_bps).toBe(0);
    expect(invoiceFormSchema(today).parse({ ...valid, rate: '50' }).discount_rate_bps).toBe(5000);
    expect(errors({ rate: '50.01' }).rate).toMatch(/0\.00% to 50\.00%/);
    expect(errors({ rate: '12.345' }).rate).toBeDefined();
  });

  it('requires the invoice number and buyer, within their lengths', () => {
    const found = errors({ invoiceNumber: ' ', buyerName: 'x'.repeat(201) });
    expect(found.invoiceNumber).toBe('Enter your reference for this invoice.');
    expect(found.buyerName).toBe('Use at most 200 characters.');
    expect(errors({ invoiceNumber: 'x'.repeat(65) }).invoiceNumber).toBe('Use at most 64 characters.');
  });

  it('keeps a description, trimmed', () => {
    expect(invoiceFormSchema(today).parse({ ...valid, description: '  steel coils ' }).description).toBe('steel coils');
  });
});

describe('an auction listing', () => {
  it('sends auction terms instead of a discount rate', () => {
    expect(invoiceFormSchema(today).parse({ ...valid, pricing: 'auction', rate: '15', auctionSeconds: '900' })).toMatchObject({
      pricing: 'auction',
      discount_rate_bps: null,
      auction: { max_rate_bps: 1500, duration_seconds: 900, auto_accept_rate_bps: null },
    });
  });

  it('needs a highest rate above zero (a fixed price may be at 0%)', () => {
    expect(errors({ pricing: 'auction', rate: '0' }).rate).toBe('The highest rate must be 0.01% to 50.00% a year.');
    expect(errors({ pricing: 'fixed', rate: '0' })).toEqual({});
  });
});
