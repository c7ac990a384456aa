import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuthProvider } from '../hooks/useAuth';
import { getSession, setSession } from '../lib/session';
import { makeUser } from '../test/factories';
import { renderWithClient } from '../test/render';
import { AccountMenu } from './AccountMenu';

const user = makeUser({ name: 'Asha', email: 'asha@example.in', email_notifications: true });
let patches: unknown[];

beforeEach(() => {
  patches = [];
  setSession({ user, accessToken: 'a', refreshToken: 'r' });
  vi.stubGlobal('fetch', async (request: Request) => {
    if (request.method !== 'PATCH') return Response.json({ user });
    const body = JSON.parse(await request.text());
    patches.push(body);
    return Response.json({ user: { ...user, ...body } });
  });
});
afterEach(() => {
  vi.unstubAllGlobals();
  setSession(null);
});

describe('AccountMenu', () => {
  it('switches email notifications off on the server, and shows the answer', async () => {
    renderWithClient(
      <AuthProvider>
        <AccountMenu />
      </AuthProvider>,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Account menu: Asha' }));
    const emails = screen.getByRole('switch', { name: 'Email notifications' });
    expect(emails).toBeChecked();
    expect(screen.getByText(/also emailed to asha@example\.in/)).toBeVisible();
    await userEvent.click(emails);
    expect(await screen.findByText('Notifications stay in the bell only.')).toBeVisible();
    expect(emails).not.toBeChecked();
    expect(patches).toEqual([{ email_notifications: false }]);
    expect(getSession()?.user.email_notifications).toBe(false);
    expect(screen.getByRole('button', { name: 'Log out' })).toBeVisible();
  });
});
