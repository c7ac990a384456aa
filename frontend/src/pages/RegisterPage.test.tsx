import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuthProvider } from '../hooks/useAuth';
import { setSession } from '../lib/session';
import { renderWithClient } from '../test/render';
import { RegisterPage } from './RegisterPage';

let sent: unknown[];

beforeEach(() => {
  sent = [];
  vi.stubGlobal('fetch', async (request: Request) => {
    sent.push(JSON.parse(await request.text()));
    return Response.json(
      {
        error: {
          code: 'validation_error',
          message: 'Invalid input',
          details: { password: ['This password is too easy to guess.', 'This is similar to a commonly used password.', 'Add another word or two.'] },
        },
      },
      { status: 422 },
    );
  });
});
afterEach(() => {
  vi.unstubAllGlobals();
  setSession(null);
});

describe('Create account', () => {
  it('offers the buyer role, and shows each reason the server gives for refusing a password', async () => {
    renderWithClient(
      <AuthProvider>
        <RegisterPage />
      </AuthProvider>,
    );
    await userEvent.type(screen.getByLabelText('Name'), 'Tata Motors Ltd');
    await userEvent.type(screen.getByLabelText('Email'), 'ap@tata.example');
    await userEvent.type(screen.getByLabelText('Password'), 'password1');
    await userEvent.selectOptions(screen.getByLabelText('Role'), 'buyer');
    expect(screen.getByText(/Buyers confirm the invoices/)).toBeVisible();
    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));

    expect(sent[0]).toMatchObject({ role: 'buyer', email: 'ap@tata.example' });
    const password = screen.getByLabelText('Password');
    expect(password).toHaveFocus();
    const reasons = within(document.getElementById(password.getAttribute('aria-describedby')!)!).getAllByRole('listitem');
    expect(reasons.map((li) => li.textContent)).toEqual([
      'This password is too easy to guess.',
      'This is similar to a commonly used password.',
      'Add another word or two.',
    ]);
    expect(screen.getByRole('alert')).toHaveTextContent('Password: This password is too easy to guess. This is similar');
  });
});
