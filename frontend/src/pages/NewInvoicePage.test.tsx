import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuthProvider } from '../hooks/useAuth';
import { setSession } from '../lib/session';
import { makeInvoice, makeUser } from '../test/factories';
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

const renderPage = () =>
  renderWithClient(
    <AuthProvider>
      <NewInvoicePage />
    </AuthProvider>,
  );

describe('List invoice: errors in view', () => {
  it('moves focus to the first invalid field and lists every problem in a live region', async () => {
    renderPage();
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
    renderPage();
    const due = screen.getByLabelText('Due date') as HTMLInputElement;
    const [y, m, d] = due.value.split('-');
    expect(screen.getByText(new RegExp(`^${d}/${m}/${y} · 60 days$`))).toBeVisible();
  });
});

describe('List invoice: a registered buyer', () => {
  const tata = { id: 42, name: 'Tata Motors Ltd', credit_limit: 50_000_000, exposure: 45_000_000 };
  let requests: { method: string; path: string; body: unknown }[];

  beforeEach(() => {
    requests = [];
    vi.stubGlobal('fetch', async (request: Request) => {
      const url = new URL(request.url);
      const text = await request.text();
      requests.push({ method: request.method, path: url.pathname + url.search, body: text ? JSON.parse(text) : undefined });
      if (url.pathname === '/api/buyers') return Response.json({ items: url.searchParams.get('q') === 'Ta' ? [tata] : [] });
      if (url.pathname === '/api/invoices') return Response.json({ invoice: makeInvoice({ status: 'pending_acceptance' }) }, { status: 201 });
      return Response.json({ user });
    });
  });

  it('suggests registered buyers as the name is typed, picks one with the keyboard, and lists against its id', async () => {
    renderPage();
    const buyer = screen.getByRole('combobox', { name: 'Buyer' });
    await userEvent.type(buyer, 'Ta');
    const option = await screen.findByRole('option', { name: /Tata Motors Ltd/ });
    expect(option).toHaveTextContent(/₹\s?4,50,000\.00 of ₹\s?5,00,000\.00 credit used/);
    expect(requests.some((r) => r.path === '/api/buyers?q=Ta&limit=10')).toBe(true);
    await userEvent.keyboard('{ArrowDown}{Enter}');
    expect(buyer).toHaveValue('Tata Motors Ltd');
    expect(screen.queryByRole('option')).toBeNull();
    expect(screen.getByText('Registered buyer')).toBeVisible();

    await userEvent.type(screen.getByLabelText('Invoice number'), 'INV-77');
    await userEvent.type(screen.getByLabelText('Amount (₹)'), '60,000');
    // ₹50,000 of room left under its limit: a warning while it is typed.
    expect(screen.getByText(/past its credit limit \(₹\s?50,000\.00 available\)/)).toBeVisible();
    await userEvent.clear(screen.getByLabelText('Amount (₹)'));
    await userEvent.type(screen.getByLabelText('Amount (₹)'), '40,000');
    expect(screen.queryByText(/past its credit limit/)).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'List invoice' }));
    await waitFor(() => expect(requests.some((r) => r.method === 'POST')).toBe(true));
    expect(requests.find((r) => r.method === 'POST')?.body).toMatchObject({ buyer_id: 42, buyer_name: null, amount: 4_000_000 });
  });

  it('typing after picking goes back to a name only', async () => {
    renderPage();
    const buyer = screen.getByRole('combobox', { name: 'Buyer' });
    await userEvent.type(buyer, 'Ta');
    await userEvent.click(await screen.findByRole('option', { name: /Tata Motors Ltd/ }));
    expect(screen.getByText('Registered buyer')).toBeVisible();
    await userEvent.type(buyer, ' Pune');
    expect(screen.queryByText('Registered buyer')).toBeNull();
  });
});

describe('List invoice: by rate auction', () => {
  it('asks for the highest rate and how long bidding stays open, and lists with auction terms', async () => {
    const sent: unknown[] = [];
    vi.stubGlobal('fetch', async (request: Request) => {
      if (new URL(request.url).pathname !== '/api/invoices') return Response.json({ user });
      sent.push(await request.json());
      return Response.json({ invoice: makeInvoice() }, { status: 201 });
    });
    renderPage();
    await userEvent.type(screen.getByLabelText('Invoice number'), 'AUC-1');
    await userEvent.type(screen.getByLabelText('Buyer'), 'Infosys Ltd');
    await userEvent.type(screen.getByLabelText('Amount (₹)'), '1,00,000');
    await userEvent.click(screen.getByLabelText(/By a rate auction/));
    const highest = screen.getByLabelText('Highest rate (% p.a.)');
    await userEvent.clear(highest);
    await userEvent.type(highest, '0');
    await userEvent.click(screen.getByRole('button', { name: 'List invoice' }));
    expect(highest).toHaveAccessibleDescription('The highest rate must be 0.01% to 50.00% a year.');
    expect(sent).toHaveLength(0);
    await userEvent.clear(highest);
    await userEvent.type(highest, '15');
    await userEvent.selectOptions(screen.getByLabelText('Bidding open for'), '15 minutes');
    expect(screen.getByRole('complementary')).toHaveTextContent(/at least ₹/);
    await userEvent.click(screen.getByRole('button', { name: 'List invoice' }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toMatchObject({
      pricing: 'auction',
      discount_rate_bps: null,
      auction: { max_rate_bps: 1500, duration_seconds: 900, auto_accept_rate_bps: null },
    });
  });
});
