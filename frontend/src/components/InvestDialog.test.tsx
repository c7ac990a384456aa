import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError, invoiceApi, NetworkError } from '../lib/api';
import { makeInvestment, makeInvoice, makeWallet } from '../test/factories';
import type { FundResult, Invoice } from '../types';
import { InvestDialog } from './InvestDialog';

function setup(invoice: Invoice = makeInvoice(), walletBalance: number | null = 100_000_000) {
  const fund = vi.fn<(id: number, amount: number, key: string) => Promise<FundResult>>();
  const onInvested = vi.fn();
  const onClose = vi.fn();
  const utils = render(
    <InvestDialog invoice={invoice} walletBalance={walletBalance} fund={fund} onInvested={onInvested} onClose={onClose} />,
  );
  const dialog = screen.getByRole('dialog');
  const amount = within(dialog).getByLabelText('Amount (₹)') as HTMLInputElement;
  const confirm = within(dialog).getByRole('button', { name: 'Confirm investment' });
  return { ...utils, fund, onInvested, onClose, dialog, amount, confirm, invoice };
}

const ok = (invoice: Invoice): FundResult => ({
  investment: makeInvestment({ invoice_id: invoice.id }),
  invoice: { ...invoice, version: invoice.version + 1 },
  wallet: makeWallet(1),
});

describe('InvestDialog', () => {
  it('is a labelled dialog prefilled with the remaining amount, showing the expected return and due date', () => {
    const invoice = makeInvoice({ amount: 10_000_000, funding_target: 9_800_000, funded_amount: 3_000_000, due_date: '2099-06-30' });
    const { dialog, amount } = setup(invoice);
    expect(dialog).toHaveAccessibleName(`Invest in ${invoice.invoice_number}`);
    expect(amount.value).toBe('68000'); // ₹68,000 left
    // floor(6800000 * 10000000 / 9800000) = 6938775.51… -> 6938775 paise
    expect(dialog).toHaveTextContent(/₹\s?69,387\.75/);
    expect(dialog).toHaveTextContent('30 Jun 2099');
  });

  it('recomputes the expected return exactly (BigInt) as the amount changes', async () => {
    const { dialog, amount } = setup(makeInvoice({ amount: 10_000_000, funding_target: 9_800_000 }));
    await userEvent.clear(amount);
    await userEvent.type(amount, '5,000');
    // floor(500000 * 10000000 / 9800000) = 510204.08… -> ₹5,102.04
    expect(dialog).toHaveTextContent(/₹\s?5,102\.04/);
  });

  it.each([
    ['999', /minimum investment is ₹\s?1,000\.00/],
    ['98000.01', /Only ₹\s?98,000\.00 is left/],
    ['1000.555', /at most two decimals/],
    ['abc', /Enter an amount in rupees/],
  ])('blocks %j with a message and sends nothing', async (input, message) => {
    const { amount, confirm, fund, dialog } = setup(makeInvoice({ funding_target: 9_800_000 }));
    await userEvent.clear(amount);
    await userEvent.type(amount, input);
    await userEvent.click(confirm);
    expect(within(dialog).getByRole('alert')).toHaveTextContent(message);
    expect(fund).not.toHaveBeenCalled();
  });

  it('blocks an amount above the wallet balance', async () => {
    const { amount, confirm, fund, dialog } = setup(makeInvoice({ funding_target: 9_800_000 }), 200_000);
    await userEvent.clear(amount);
    await userEvent.type(amount, '3000');
    await userEvent.click(confirm);
    expect(within(dialog).getByRole('alert')).toHaveTextContent(/wallet holds ₹\s?2,000\.00/);
    expect(fund).not.toHaveBeenCalled();
  });

  it('sends integer paise with an Idempotency-Key, once, however often it is clicked', async () => {
    const { amount, confirm, fund, onInvested, invoice } = setup();
    let resolve!: (r: FundResult) => void;
    fund.mockReturnValue(new Promise((r) => (resolve = r)));
    await userEvent.clear(amount);
    await userEvent.type(amount, '1234.56');
    fireEvent.click(confirm);
    fireEvent.click(confirm);
    fireEvent.submit(confirm.closest('form')!);
    expect(fund).toHaveBeenCalledTimes(1);
    const [id, paise, key] = fund.mock.calls[0];
    expect(id).toBe(invoice.id);
    expect(paise).toBe(123_456);
    expect(Number.isInteger(paise)).toBe(true);
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    await act(async () => resolve(ok(invoice)));
    expect(onInvested).toHaveBeenCalledTimes(1);
  });

  it('reuses the key when retrying after a lost response, and uses a new one for a new amount', async () => {
    const { amount, confirm, fund, dialog } = setup();
    fund.mockRejectedValueOnce(new NetworkError());
    await userEvent.click(confirm);
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(/Couldn't reach the server/);
    fund.mockRejectedValueOnce(new NetworkError());
    await userEvent.click(confirm);
    expect(fund.mock.calls[1][2]).toBe(fund.mock.calls[0][2]);

    await userEvent.clear(amount);
    await userEvent.type(amount, '2000');
    fund.mockRejectedValueOnce(new NetworkError());
    await userEvent.click(confirm);
    expect(fund.mock.calls[2][2]).not.toBe(fund.mock.calls[0][2]);
  });

  it('explains invoice_not_fundable in plain words and stops offering to confirm', async () => {
    const invoice = makeInvoice();
    vi.spyOn(invoiceApi, 'get').mockResolvedValue({
      invoice: { ...invoice, version: 5, status: 'funded', funded_amount: invoice.funding_target, remaining: 0 },
    });
    const { confirm, fund, dialog } = setup(invoice);
    fund.mockRejectedValue(new ApiError(409, 'invoice_not_fundable', 'Invoice is not open for funding'));
    await userEvent.click(confirm);
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(/another investor funded this first/i);
    await waitFor(() => expect(confirm).toBeDisabled());
  });

  it('after exceeds_remaining, shows what is left now and lets the investor confirm again with a new key', async () => {
    const invoice = makeInvoice({ funding_target: 9_800_000 });
    vi.spyOn(invoiceApi, 'get').mockResolvedValue({
      invoice: { ...invoice, version: 3, funded_amount: 9_000_000, remaining: 800_000 },
    });
    const { confirm, fund, dialog, amount } = setup(invoice);
    fund.mockRejectedValueOnce(new ApiError(409, 'exceeds_remaining', 'Amount exceeds the remaining'));
    await userEvent.click(confirm);
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(/less is left than you entered/);
    await waitFor(() => expect(amount.value).toBe('8000'));
    fund.mockResolvedValueOnce(ok(invoice));
    await userEvent.click(confirm);
    expect(fund).toHaveBeenCalledTimes(2);
    expect(fund.mock.calls[1][1]).toBe(800_000);
    expect(fund.mock.calls[1][2]).not.toBe(fund.mock.calls[0][2]);
  });

  it('explains insufficient_funds', async () => {
    const { confirm, fund, dialog } = setup();
    fund.mockRejectedValue(new ApiError(409, 'insufficient_funds', 'Insufficient funds'));
    await userEvent.click(confirm);
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(/wallet doesn't have enough money/);
  });

  it('follows the remaining amount while the prefill is untouched', () => {
    const invoice = makeInvoice({ funding_target: 9_800_000 });
    const { rerender, amount, fund, onInvested, onClose } = setup(invoice);
    rerender(
      <InvestDialog
        invoice={{ ...invoice, version: 2, funded_amount: 4_800_000, remaining: 5_000_000 }}
        walletBalance={100_000_000}
        fund={fund}
        onInvested={onInvested}
        onClose={onClose}
      />,
    );
    expect(amount.value).toBe('50000');
  });

  it('closes on Escape', async () => {
    const { onClose } = setup();
    await userEvent.keyboard('{Escape}');
    expect(onClose).toHaveBeenCalled();
  });
});
