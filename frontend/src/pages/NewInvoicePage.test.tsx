import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuthProvider } from '../hooks/useAuth';
import { setSession } from '../lib/session';
import { makeUser } from '../test/factories';
import { renderWithClient } from '../test/render';
import { NewInvoicePage } from './NewInvoicePage';

const user = makeUser();

beforeEach(() => {
  setSession({ user, accessToken: 'a', refreshToken: 'r' });
  vi.stubGlobal('fetch', async () => Response.json({ user }));
});
afterEach(() => {
  vi.unstubAllGlobals();
  setSession(null);
});

describe('List invoice: errors in view', () => {
  it('moves focus to the first invalid field and lists every problem in a live region', async () => {
    renderWithClient(
      <AuthProvider>
        <NewInvoicePage />
      </AuthProvider>,
    );
    await userEvent.type(screen.getByLabelText('Buyer'), 'Infosys Ltd');
    await userEvent.type(screen.getByLabelText('Amount (₹)'), '500');
    await userEvent.click(screen.getByRole('button', { name: 'List invoice' }));

    expect(screen.getByLabelText('Invoice number')).toHaveFocus();
    const summary = screen.getByRole('alert');
    expect(summary).toHaveTextContent('Check these 2 fields:');
    expect(summary).toHaveTextContent('Invoice number: Enter your reference for this invoice.');
    expect(summary).toHaveTextContent(/Amount \(₹\): The face value must be at least ₹\s?1,000\.00/);
    expect(screen.getByLabelText('Amount (₹)')).toHaveAccessibleDescription(/at least ₹\s?1,000\.00/);

    await userEvent.click(screen.getByRole('link', { name: /Amount \(₹\)/ }));
    expect(screen.getByLabelText('Amount (₹)')).toHaveFocus();
  });

  it('shows the chosen due date the Indian way beside the picker', async () => {
    renderWithClient(
      <AuthProvider>
        <NewInvoicePage />
      </AuthProvider>,
    );
    const due = screen.getByLabelText('Due date') as HTMLInputElement;
    const [y, m, d] = due.value.split('-');
    expect(screen.getByText(new RegExp(`^${d}/${m}/${y} · 60 days$`))).toBeVisible();
  });
});
