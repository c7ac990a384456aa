// The small forms in dialogs (a buyer's rejection, an operator's recovery and credit limit):
// checked as they are typed, and what they send.

import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/errors';
import type { Buyer } from '../api/types';
import { makeInvoice } from '../test/factories';
import { renderWithClient } from '../test/render';
import { CreditLimitDialog } from './CreditLimitDialog';
import { RecoveryDialog } from './RecoveryDialog';
import { RejectDialog } from './RejectDialog';

describe('RejectDialog', () => {
  it('asks for a reason as soon as the field is emptied, and sends it trimmed', async () => {
    const reject = vi.fn(async (_id: number, reason: string) => ({ invoice: makeInvoice({ status: 'rejected', reason }) }));
    const onRejected = vi.fn();
    const invoice = makeInvoice({ status: 'pending_acceptance' });
    renderWithClient(<RejectDialog invoice={invoice} reject={reject} onRejected={onRejected} onClose={vi.fn()} />);
    const reason = screen.getByLabelText('Reason');
    await userEvent.type(reason, 'x');
    await userEvent.clear(reason);
    expect(await screen.findByText('Say why, so the seller knows what to fix.')).toBeVisible();
    await userEvent.type(reason, '  Goods were never delivered ');
    expect(screen.getByText(/29 of 500 characters/)).toBeVisible();
    await userEvent.click(screen.getByRole('button', { name: 'Reject invoice' }));
    expect(reject).toHaveBeenCalledWith(invoice.id, 'Goods were never delivered');
    expect(onRejected).toHaveBeenCalledWith(expect.objectContaining({ status: 'rejected' }));
  });

  it('explains an invoice that was decided meanwhile', async () => {
    const reject = vi.fn().mockRejectedValue(new ApiError(409, 'invalid_state', 'Only an invoice awaiting acceptance…'));
    renderWithClient(<RejectDialog invoice={makeInvoice({ status: 'pending_acceptance' })} reject={reject} onRejected={vi.fn()} onClose={vi.fn()} />);
    await userEvent.type(screen.getByLabelText('Reason'), 'Wrong amount');
    await userEvent.click(screen.getByRole('button', { name: 'Reject invoice' }));
    expect(await screen.findByText(/no longer waiting for you/)).toBeVisible();
  });
});

describe('RecoveryDialog', () => {
  const defaulted = makeInvoice({ status: 'defaulted', owed: 5_000_000, repaid_amount: 5_000_000 });

  it('checks the amount against what is owed and requires a note, as they are typed', async () => {
    const recover = vi.fn(async () => ({ invoice: { ...defaulted, version: 2 } }));
    renderWithClient(<RecoveryDialog invoice={defaulted} recover={recover} onRecorded={vi.fn()} onClose={vi.fn()} />);
    const amount = screen.getByLabelText('Amount (₹)');
    await userEvent.type(amount, '50000.01');
    expect(await screen.findByText(/Only ₹\s?50,000\.00 is owed\./)).toBeVisible();
    await userEvent.clear(amount);
    await userEvent.type(amount, '3,400');
    await userEvent.click(screen.getByRole('button', { name: 'Record recovery' }));
    expect(await screen.findByText('Say where the money came from.')).toBeVisible();
    expect(recover).not.toHaveBeenCalled();
    await userEvent.type(screen.getByLabelText('Note'), 'Paid by the guarantor');
    await userEvent.click(screen.getByRole('button', { name: 'Record recovery' }));
    await waitFor(() => expect(recover).toHaveBeenCalledWith(defaulted.id, { amount: 340_000, note: 'Paid by the guarantor' }, expect.any(String)));
  });
});

describe('CreditLimitDialog', () => {
  const buyer: Buyer = { id: 4, name: 'Tata Motors', credit_limit: null, exposure: 40_000_000 };

  it('opens as "no limit" for an unlimited buyer and sends null', async () => {
    const setCreditLimit = vi.fn(async (_id: number, limit: number | null) => ({ buyer: { ...buyer, credit_limit: limit } }));
    const onSaved = vi.fn();
    renderWithClient(<CreditLimitDialog buyer={buyer} setCreditLimit={setCreditLimit} onSaved={onSaved} onClose={vi.fn()} />);
    expect(screen.getByLabelText('No limit')).toBeChecked();
    expect(screen.getByLabelText('Credit limit (₹)')).toBeDisabled();
    await userEvent.click(screen.getByRole('button', { name: 'Save limit' }));
    expect(setCreditLimit).toHaveBeenCalledWith(4, null);
    expect(onSaved).toHaveBeenCalledWith(buyer);
  });

  it('checks a limit as it is typed, warns below what the buyer owes, and sends paise', async () => {
    const setCreditLimit = vi.fn(async (_id: number, limit: number | null) => ({ buyer: { ...buyer, credit_limit: limit } }));
    renderWithClient(<CreditLimitDialog buyer={buyer} setCreditLimit={setCreditLimit} onSaved={vi.fn()} onClose={vi.fn()} />);
    await userEvent.click(screen.getByLabelText('No limit'));
    const limit = screen.getByLabelText('Credit limit (₹)');
    await userEvent.type(limit, 'lots');
    expect(await screen.findByText(/Enter the limit in rupees/)).toBeVisible();
    await userEvent.clear(limit);
    await userEvent.type(limit, '3,00,000');
    expect(await screen.findByText(/Below what it owes already/)).toBeVisible();
    await userEvent.clear(limit);
    await userEvent.type(limit, '50,00,000');
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Save limit' }));
    expect(setCreditLimit).toHaveBeenCalledWith(4, 500_000_000);
  });
});
