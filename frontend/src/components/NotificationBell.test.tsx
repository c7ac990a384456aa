import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuthProvider } from '../hooks/useAuth';
import { setSession } from '../lib/session';
import { makeNotification, makeUser } from '../test/factories';
import { renderWithClient } from '../test/render';
import { NotificationBell } from './NotificationBell';

const note = makeNotification;

let calls: { method: string; path: string; body: unknown }[];
let answer: (method: string, path: string) => Response;

const user = makeUser();

beforeEach(() => {
  calls = [];
  setSession({ user, accessToken: 'a', refreshToken: 'r' });
  vi.stubGlobal('fetch', async (request: Request) => {
    const url = new URL(request.url);
    if (url.pathname === '/api/auth/me') return Response.json({ user });
    const text = await request.text();
    calls.push({ method: request.method, path: url.pathname + url.search, body: text ? JSON.parse(text) : undefined });
    return answer(request.method, url.pathname);
  });
});
afterEach(() => {
  vi.unstubAllGlobals();
  setSession(null);
});

function renderBell() {
  return renderWithClient(
    <AuthProvider>
      <NotificationBell />
    </AuthProvider>,
  );
}

describe('NotificationBell (the stored notifications)', () => {
  it('shows the unread count from the server and lists the notifications newest first', async () => {
    answer = () => Response.json({ items: [note(3), note(2), note(1, true)], next_cursor: null, unread_count: 2 });
    renderBell();
    const bell = await screen.findByRole('button', { name: 'Notifications (2 unread)' });
    expect(calls[0]).toMatchObject({ method: 'GET', path: '/api/notifications?limit=20' });
    await userEvent.click(bell);
    const panel = screen.getByRole('dialog', { name: 'Notification list' });
    const items = within(panel).getAllByRole('listitem');
    expect(items.map((li) => li.textContent)).toEqual([
      expect.stringContaining('Unread: Funding 3'),
      expect.stringContaining('Unread: Funding 2'),
      expect.not.stringContaining('Unread'),
    ]);
  });

  it('marks all read up to the newest, and takes the count the server answers', async () => {
    answer = (method) =>
      method === 'POST' ? Response.json({ unread_count: 0 }) : Response.json({ items: [note(3), note(2)], next_cursor: null, unread_count: 2 });
    renderBell();
    await userEvent.click(await screen.findByRole('button', { name: 'Notifications (2 unread)' }));
    await userEvent.click(screen.getByRole('button', { name: 'Mark all read' }));
    await screen.findByRole('button', { name: 'Notifications (0 unread)' });
    expect(calls.at(-1)).toEqual({ method: 'POST', path: '/api/notifications/read', body: { up_to_id: 3, ids: null } });
    expect(screen.queryByText(/Unread:/)).toBeNull();
  });

  it('marks one read when it is opened', async () => {
    answer = (method) =>
      method === 'POST' ? Response.json({ unread_count: 1 }) : Response.json({ items: [note(3), note(2)], next_cursor: null, unread_count: 2 });
    renderBell();
    await userEvent.click(await screen.findByRole('button', { name: 'Notifications (2 unread)' }));
    await userEvent.click(screen.getByRole('button', { name: /Funding 2/ }));
    await waitFor(() => expect(calls.at(-1)).toEqual({ method: 'POST', path: '/api/notifications/read', body: { up_to_id: null, ids: [2] } }));
  });

  it('says when the notifications cannot be loaded, and never that there are none', async () => {
    answer = () => Response.json({ error: { code: 'not_found', message: 'Not Found' } }, { status: 404 });
    renderBell();
    const bell = screen.getByRole('button', { name: 'Notifications' });
    await userEvent.click(bell);
    expect(await screen.findByRole('alert')).toHaveTextContent("Couldn't load your notifications.");
    expect(screen.queryByText("You're all caught up")).toBeNull();
  });

  it('loads older notifications with the cursor the server gave, below the newer ones', async () => {
    answer = () => {
      const cursor = new URL(calls.at(-1)!.path, 'http://x').searchParams.get('cursor');
      return cursor === 'c-1'
        ? Response.json({ items: [note(1, true)], next_cursor: null, unread_count: 2 })
        : Response.json({ items: [note(3), note(2)], next_cursor: 'c-1', unread_count: 2 });
    };
    renderBell();
    await userEvent.click(await screen.findByRole('button', { name: 'Notifications (2 unread)' }));
    await userEvent.click(screen.getByRole('button', { name: 'Load older' }));
    expect(await screen.findByText('No older notifications.')).toBeVisible();
    expect(calls.at(-1)).toMatchObject({ method: 'GET', path: '/api/notifications?limit=20&cursor=c-1' });
    const panel = screen.getByRole('dialog', { name: 'Notification list' });
    expect(within(panel).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      expect.stringContaining('Funding 3'),
      expect.stringContaining('Funding 2'),
      expect.stringContaining('Funding 1'),
    ]);
  });

  it('says so when there are none', async () => {
    answer = () => Response.json({ items: [], next_cursor: null, unread_count: 0 });
    renderBell();
    await userEvent.click(await screen.findByRole('button', { name: 'Notifications (0 unread)' }));
    expect(screen.getByText("You're all caught up")).toBeVisible();
  });
});
