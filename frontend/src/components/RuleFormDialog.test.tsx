import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/errors';
import type { AutoInvestRule } from '../api/types';
import { renderWithClient } from '../test/render';
import { RuleFormDialog } from './RuleFormDialog';

function setup() {
  const create = vi.fn<(rule: unknown) => Promise<{ rule: AutoInvestRule }>>();
  const onSaved = vi.fn();
  renderWithClient(<RuleFormDialog create={create} onSaved={onSaved} onClose={vi.fn()} />);
  const dialog = screen.getByRole('dialog', { name: 'New auto-invest rule' });
  const field = (label: string) => within(dialog).getByLabelText(label);
  const retype = async (label: string, text: string) => {
    await userEvent.clear(field(label));
    if (text) await userEvent.type(field(label), text);
  };
  return { create, onSaved, dialog, field, retype };
}

describe('RuleFormDialog', () => {
  it('reads the rule back in words as it is typed', async () => {
    const { dialog, retype } = setup();
    expect(dialog).toHaveTextContent('Up to ₹25,000 per invoice, yield ≥ 11 %, ≤ 90 days');
    await retype('Per invoice, at most (₹)', '40000');
    await retype('Longest tenor (days)', '60');
    await userEvent.click(within(dialog).getByLabelText('Buyer-confirmed invoices only'));
    expect(dialog).toHaveTextContent('Up to ₹40,000 per invoice, yield ≥ 11 %, ≤ 60 days, buyer-confirmed only');
  });

  it('says what is wrong with a field as it is typed', async () => {
    const { dialog, field, retype } = setup();
    await retype('Longest tenor (days)', '400');
    expect(field('Longest tenor (days)')).toHaveAccessibleDescription('Enter whole days, 7 to 365.');
    expect(dialog).toHaveTextContent('Fill in the limits to see the rule in words.');
    await retype('Longest tenor (days)', '365');
    expect(field('Longest tenor (days)')).not.toHaveAttribute('aria-invalid');
  });

  it("puts the server's 422 messages on the fields they name", async () => {
    const { create, dialog, field } = setup();
    create.mockRejectedValueOnce(new ApiError(422, 'validation_error', 'x', { budget: ['Must be at least the amount per invoice.'] }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create rule' }));
    expect(await within(dialog).findByText('Must be at least the amount per invoice.', { selector: '.field__error' })).toBeVisible();
    expect(field('Budget (₹)')).toHaveAttribute('aria-invalid', 'true');
    expect(create).toHaveBeenCalledWith(expect.objectContaining({ max_per_invoice: 2_500_000, budget: 20_000_000, min_yield_bps: 1100 }));
  });
});
