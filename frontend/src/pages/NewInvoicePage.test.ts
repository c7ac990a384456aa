import { describe, expect, it } from 'vitest';
import { validateInvoiceForm, type InvoiceFormValues } from './NewInvoicePage';

const today = '2026-03-01';
const valid: InvoiceFormValues = {
  invoiceNumber: 'INV-1',
  buyerName: 'Tata Motors',
  description: '',
  amount: '2,50,000.50',
  dueDate: '2026-04-30',
  rate: '12.5',
};

describe('create-invoice validation (matches the API)', () => {
  it('builds the request body in paise and basis points', () => {
    const { errors, invoice } = validateInvoiceForm(valid, today);
    expect(errors).toEqual({});
    expect(invoice).toEqual({
      invoice_number: 'INV-1',
      buyer_name: 'Tata Motors',
      amount: 25_000_050,
      due_date: '2026-04-30',
      discount_rate_bps: 1250,
    });
  });

  it('enforces ₹1,000 to ₹10 crore', () => {
    expect(validateInvoiceForm({ ...valid, amount: '999.99' }, today).errors.amount).toBeDefined();
    expect(validateInvoiceForm({ ...valid, amount: '1000' }, today).errors.amount).toBeUndefined();
    expect(validateInvoiceForm({ ...valid, amount: '10,00,00,000' }, today).errors.amount).toBeUndefined();
    expect(validateInvoiceForm({ ...valid, amount: '10,00,00,000.01' }, today).errors.amount).toBeDefined();
  });

  it('enforces a due date 7 to 365 days after today (inclusive)', () => {
    expect(validateInvoiceForm({ ...valid, dueDate: '2026-03-07' }, today).errors.due_date).toBeDefined();
    expect(validateInvoiceForm({ ...valid, dueDate: '2026-03-08' }, today).errors.due_date).toBeUndefined();
    expect(validateInvoiceForm({ ...valid, dueDate: '2027-03-01' }, today).errors.due_date).toBeUndefined();
    expect(validateInvoiceForm({ ...valid, dueDate: '2027-03-02' }, today).errors.due_date).toBeDefined();
    expect(validateInvoiceForm({ ...valid, dueDate: '' }, today).errors.due_date).toBeDefined();
  });

  it('enforces a rate of 0 to 50% with at most two decimals', () => {
    expect(validateInvoiceForm({ ...valid, rate: '0' }, today).invoice?.discount_rate_bps).toBe(0);
    expect(validateInvoiceForm({ ...valid, rate: '50' }, today).invoice?.discount_rate_bps).toBe(5000);
    expect(validateInvoiceForm({ ...valid, rate: '50.01' }, today).errors.discount_rate_bps).toBeDefined();
    expect(validateInvoiceForm({ ...valid, rate: '12.345' }, today).errors.discount_rate_bps).toBeDefined();
  });

  it('requires the invoice number and buyer, within their lengths', () => {
    const { errors } = validateInvoiceForm({ ...valid, invoiceNumber: ' ', buyerName: 'x'.repeat(201) }, today);
    expect(errors.invoice_number).toBeDefined();
    expect(errors.buyer_name).toBeDefined();
    expect(validateInvoiceForm({ ...valid, invoiceNumber: 'x'.repeat(65) }, today).errors.invoice_number).toBeDefined();
  });
});
