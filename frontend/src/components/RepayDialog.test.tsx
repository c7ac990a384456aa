import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/errors';
import type { Invoice } from '../api/types';
import { makeInvoice } from '../test/factories';
import { renderWithClient } from '../test/render';
import { RepayDialog } from './RepayDialog';

// ₹1,00,000 face value, ₹500 late interest, nothing repaid: ₹1,00,500 owed.
const overdue = () =>
  makeInvoice({ status: 'overdue', buyer_confirmed: true, amount: 10_000_000, late_interest: 50_000, owed: 10_050_000, days_past_due: 12 });

function setup(walletBalance: number | null = 100_000_000) {
  const repay = vi.fn<(id: number, amount: number | null, key: string) => Promise<{ invoice: Invoice }>>();
  const onRepaid = vi.fn();
  const invoice = overdue();
  renderWithClient(<RepayDialog invoice={invoice} walletBalance={walletBalance} repay={repay} onRepaid={onRepaid} onClose={vi.fn()} />);
  const dialog = screen.getByRole('dialog', { name: `Repay ${invoice.invoice_number}` });
  const amount = within(dialog).getByLabelText('Amount (₹)');
  return { repay, onRepaid, invoice, dialog, amount };
}

async function retype(input: HTMLElement, text: string) {
  await userEvent.clear(input);
  await userEvent.type(input, text);
}

describe('RepayDialog', () => {
  it('opens with everything owed, late interest included, and sends "everything" as such', async () => {
    const { repay, onRepaid, invoice, dialog, amount } = setup();
    expect(amount).toHaveValue('100500');
    expect(dialog).toHaveTextContent(/of which late interest\s*₹\s?500\.00/);
    repay.mockResolvedValue({ invoice: { ...invoice, status: 'settled', owed: 0, version: 2 } });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Repay everything' }));
    expect(repay).toHaveBeenCalledWith(invoice.id, null, expect.any(String));
    expect(onRepaid).toHaveBeenCalledWith(expect.objectContaining({ status: 'settled' }));
  });

  it('checks a part payment as it is typed: the minimum, what is owed, what the wallet holds', async () => {
    const { repay, dialog, amount } = setup(6_000_000);
    await retype(amount, '999');
    expect(await within(dialog).findByText(/Pay at least ₹\s?1,000\.00\./)).toBeVisible();
    await retype(amount, '1,00,501');
    expect(await within(dialog).findByText(/Only ₹\s?1,00,500\.00 is owed\./)).toBeVisible();
    await retype(amount, '70000');
    expect(await within(dialog).findByText(/Your wallet holds ₹\s?60,000\.00/)).toBeVisible();
    await retype(amount, '12.345');
    expect(await within(dialog).findByText(/at most two decimals/)).toBeVisible();
    expect(repay).not.toHaveBeenCalled();
    await retype(amount, '25,000.50');
    await waitFor(() => expect(amount).not.toHaveAttribute('aria-invalid'));
    expect(within(dialog).getByRole('button', { name: 'Repay this amount' })).toBeEnabled();
  });

  it('sends a part payment in paise; an outcome_unknown is asked again at once with the same Idempotency-Key', async () => {
    const { repay, dialog, amount } = setup();
    await retype(amount, '25,000.50');
    repay.mockRejectedValueOnce(new ApiError(503, 'outcome_unknown', 'The connection broke', null, 0));
    repay.mockRejectedValueOnce(new ApiError(409, 'exceeds_owed', 'Too much', { owed: 2_000_000 }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Repay this amount' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(/Less is owed now than this amount: ₹\s?20,000\.00/);
    const [first, second] = repay.mock.calls;
    expect(first.slice(0, 2)).toEqual([expect.any(Number), 2_500_050]);
    expect(second[2]).toBe(first[2]);
  });

  it('offers to pay everything again after a part was typed', async () => {
    const { dialog, amount } = setup();
    await retype(amount, '5000');
    await userEvent.click(within(dialog).getByRole('button', { name: /Pay everything/ }));
    expect(amount).toHaveValue('100500');
    expect(within(dialog).getByRole('button', { name: 'Repay everything' })).toBeVisible();
  });
});
