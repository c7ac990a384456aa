import { act, fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError, NetworkError } from '../api/errors';
import type { FundResult } from '../api/types';
import type { PricedInvoice as Invoice } from '../lib/invoices';
import { makeInvestment, makeInvoice, makeWallet } from '../test/factories';
import { renderWithClient } from '../test/render';
import { InvestDialog } from './InvestDialog';

function setup(invoice: Invoice = makeInvoice(), walletBalance: number | null = 100_000_000) {
  const fund = vi.fn<(id: number, amount: number, key: string) => Promise<FundResult>>();
  const onInvested = vi.fn();
  const onClose = vi.fn();
  const dialogFor = (shown: Invoice, balance: number | null) => (
    <InvestDialog invoice={shown} walletBalance={balance} fund={fund} onInvested={onInvested} onClose={onClose} />
  );
  const utils = renderWithClient(dialogFor(invoice, walletBalance));
  const dialog = screen.getByRole('dialog');
  const amount = within(dialog).getByLabelText('Amount (₹)') as HTMLInputElement;
  const confirm = within(dialog).getByRole('button', { name: 'Confirm investment' });
  const problem = () => within(dialog).getByRole('alert', { hidden: true });
  const rerender = (shown: Invoice, balance: number | null = walletBalance) => utils.rerender(dialogFor(shown, balance));
  return { fund, onInvested, onClose, dialog, amount, confirm, problem, rerender, invoice };
}

async function typeAmount(amount: HTMLInputElement, text: string) {
  await userEvent.clear(amount);
  if (text) await userEvent.type(amount, text);
}

const ok = (invoice: Invoice): FundResult => ({
  investment: makeInvestment({ invoice_id: invoice.id }),
  invoice: { ...invoice, version: invoice.version + 1 },
  wallet: makeWallet(1),
});

describe('InvestDialog: the prefill', () => {
  it('is a labelled dialog prefilled with what is left when the wallet covers it, with the expected return and due date', () => {
    const invoice = makeInvoice({ amount: 10_000_000, funding_target: 9_800_000, funded_amount: 3_000_000, due_date: '2099-06-30' });
    const { dialog, amount, confirm, problem } = setup(invoice);
    expect(dialog).toHaveAccessibleName(`Invest in ${invoice.invoice_number}`);
    expect(amount).toHaveFocus();
    expect(amount.value).toBe('68000'); // ₹68,000 left
    // floor(6800000 * 10000000 / 9800000) = 6938775.51… -> 6938775 paise
    expect(dialog).toHaveTextContent(/₹\s?69,387\.75/);
    expect(dialog).toHaveTextContent('30 Jun 2099');
    expect(problem()).toBeEmptyDOMElement();
    expect(confirm).toBeEnabled();
  });

  it('opens with all the wallet holds when that is less than what is left', () => {
    const { amount, confirm } = setup(makeInvoice({ funding_target: 9_800_000 }), 2_500_050);
    expect(amount.value).toBe('25000.50');
    expect(confirm).toBeEnabled();
  });

  it('says at once when the wallet cannot cover even the minimum, and disables Confirm', () => {
    const { amount, confirm, problem } = setup(makeInvoice({ funding_target: 9_800_000 }), 50_000);
    expect(amount.value).toBe('500');
    expect(problem()).toHaveTextContent(/minimum investment is ₹\s?1,000\.00/);
    expect(confirm).toBeDisabled();
    expect(confirm).toHaveAccessibleDescription(/minimum investment/);
  });

  it('follows the remaining amount and the wallet while untouched, and stops once edited', async () => {
    const invoice = makeInvoice({ funding_target: 9_800_000 });
    const { amount, rerender } = setup(invoice);
    rerender({ ...invoice, version: 2, funded_amount: 4_800_000, remaining: 5_000_000 });
    expect(amount.value).toBe('50000');
    rerender({ ...invoice, version: 2, funded_amount: 4_800_000, remaining: 5_000_000 }, 3_000_000);
    expect(amount.value).toBe('30000');
    await typeAmount(amount, '2000');
    rerender({ ...invoice, version: 3, funded_amount: 5_800_000, remaining: 4_000_000 });
    expect(amount.value).toBe('2000');
  });
});

describe('InvestDialog: live validation as the amount is typed', () => {
  it.each([
    ['999', /minimum investment is ₹\s?1,000\.00/],
    ['98000.01', /Only ₹\s?98,000\.00 is left/],
    ['3000000', /Only ₹\s?98,000\.00 is left/],
    ['1000.555', /at most two decimals/],
    ['abc', /Enter an amount in rupees/],
    ['', /Enter an amount in rupees/],
  ])('%j: the reason shows while typing, Confirm is disabled and nothing is sent', async (input, message) => {
    const { amount, confirm, fund, problem } = setup(makeInvoice({ funding_target: 9_800_000 }));
    await typeAmount(amount, input);
    expect(problem()).toHaveTextContent(message);
    expect(amount).toHaveAttribute('aria-invalid', 'true');
    expect(confirm).toBeDisabled();
    expect(confirm).toHaveAccessibleDescription(message);
    fireEvent.submit(confirm.closest('form')!);
    expect(fund).not.toHaveBeenCalled();
  });

  it('over the wallet: says how much the wallet holds', async () => {
    const { amount, confirm, problem } = setup(makeInvoice({ funding_target: 9_800_000 }), 200_000);
    await typeAmount(amount, '3000');
    expect(problem()).toHaveTextContent(/wallet holds ₹\s?2,000\.00/);
    expect(confirm).toBeDisabled();
  });

  it('shows the expected return (exact, BigInt) for any valid amount and clears the reason', async () => {
    const { amount, confirm, dialog, problem } = setup(makeInvoice({ amount: 10_000_000, funding_target: 9_800_000 }));
    await typeAmount(amount, '999');
    expect(within(dialog).getByText('Expected return').nextSibling).toHaveTextContent('—');
    await typeAmount(amount, '5,000');
    // floor(500000 * 10000000 / 9800000) = 510204.08… -> ₹5,102.04
    expect(dialog).toHaveTextContent(/₹\s?5,102\.04/);
    expect(problem()).toBeEmptyDOMElement();
    expect(confirm).toBeEnabled();
    expect(amount).not.toHaveAttribute('aria-invalid');
  });
});

describe('InvestDialog: confirming', () => {
  it('sends integer paise with an Idempotency-Key, once, however often it is clicked', async () => {
    const { amount, confirm, fund, onInvested, invoice } = setup();
    let resolve!: (r: FundResult) => void;
    fund.mockReturnValue(new Promise((r) => (resolve = r)));
    await typeAmount(amount, '1234.56');
    fireEvent.click(confirm);
    fireEvent.click(confirm);
    fireEvent.submit(confirm.closest('form')!);
    expect(fund).toHaveBeenCalledTimes(1);
    const [id, paise, key] = fund.mock.calls[0];
    expect(id).toBe(invoice.id);
    expect(paise).toBe(123_456);
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    await act(async () => resolve(ok(invoice)));
    expect(onInvested).toHaveBeenCalledTimes(1);
  });

  it('reuses the key when retrying after a lost response, and uses a new one for a new amount', async () => {
    const { amount, confirm, fund, problem } = setup();
    fund.mockRejectedValueOnce(new NetworkError());
    await userEvent.click(confirm);
    expect(problem()).toHaveTextContent(/Couldn't reach the server/);
    fund.mockRejectedValueOnce(new NetworkError());
    await userEvent.click(confirm);
    expect(fund.mock.calls[1][2]).toBe(fund.mock.calls[0][2]);

    await typeAmount(amount, '2000');
    fund.mockRejectedValueOnce(new NetworkError());
    await userEvent.click(confirm);
    expect(fund.mock.calls[2][2]).not.toBe(fund.mock.calls[0][2]);
  });

  it('explains invoice_not_fundable in plain words and stops offering to confirm until a newer version is open', async () => {
    const invoice = makeInvoice();
    const { confirm, fund, problem, rerender } = setup(invoice);
    fund.mockRejectedValue(new ApiError(409, 'invoice_not_fundable', 'Invoice is not open for funding'));
    await userEvent.click(confirm);
    expect(problem()).toHaveTextContent(/another investor funded this first/i);
    expect(confirm).toBeDisabled();
    rerender({ ...invoice, version: invoice.version + 1, funded_amount: 1_000_000, remaining: invoice.funding_target - 1_000_000 });
    expect(confirm).toBeEnabled();
  });

  it('after exceeds_remaining, follows what is left now and confirms again with a new key', async () => {
    const invoice = makeInvoice({ funding_target: 9_800_000 });
    const { confirm, fund, problem, amount, rerender } = setup(invoice);
    fund.mockRejectedValueOnce(new ApiError(409, 'exceeds_remaining', 'Amount exceeds the remaining'));
    await userEvent.click(confirm);
    expect(problem()).toHaveTextContent(/less is left than you entered/);
    rerender({ ...invoice, version: 3, funded_amount: 9_000_000, remaining: 800_000 });
    expect(amount.value).toBe('8000');
    fund.mockResolvedValueOnce(ok(invoice));
    await userEvent.click(confirm);
    expect(fund.mock.calls[1][1]).toBe(800_000);
    expect(fund.mock.calls[1][2]).not.toBe(fund.mock.calls[0][2]);
  });

  it('explains insufficient_funds', async () => {
    const { confirm, fund, problem } = setup();
    fund.mockRejectedValue(new ApiError(409, 'insufficient_funds', 'Insufficient funds'));
    await userEvent.click(confirm);
    expect(problem()).toHaveTextContent(/wallet doesn't have enough money/);
  });

  it('closes on Escape', async () => {
    const { onClose } = setup();
    await userEvent.keyboard('{Escape}');
    expect(onClose).toHaveBeenCalled();
  });
});
