import { useQuery } from '@tanstack/react-query';
import { Activity, BarChart3, Bot, Building2, FileText, LayoutGrid, ListChecks, PieChart, Plus, ScrollText, Store, Users, Wallet, type LucideIcon } from 'lucide-react';
import { Link, NavLink, Outlet } from 'react-router';
import { walletQuery } from '../api/queries';
import type { Role } from '../api/types';
import { useUser } from '../hooks/useAuth';
import { formatPaise } from '../lib/money';
import { AccountMenu } from './AccountMenu';
import { ConnectionIndicator } from './ConnectionIndicator';
import { Logo } from './Logo';
import { NewListingAlert } from './NewListingAlert';
import { NotificationBell } from './NotificationBell';
import { OutageBanner } from './OutageBanner';

function WalletChip() {
  const { data: wallet } = useQuery(walletQuery);
  return (
    <div className="wallet-chip">
      <Wallet size={16} aria-hidden="true" />
      <span aria-label="Wallet balance" className="wallet-chip__amount">
        {wallet ? formatPaise(wallet.balance) : '₹ …'}
      </span>
    </div>
  );
}

const LINKS: Record<Role, { to: string; label: string; Icon: LucideIcon }[]> = {
  seller: [
    { to: '/dashboard', label: 'Dashboard', Icon: LayoutGrid },
    { to: '/invoices/new', label: 'New invoice', Icon: Plus },
    { to: '/market', label: 'Market', Icon: Activity },
    { to: '/wallet', label: 'Wallet', Icon: Wallet },
  ],
  investor: [
    { to: '/dashboard', label: 'Dashboard', Icon: LayoutGrid },
    { to: '/marketplace', label: 'Marketplace', Icon: Store },
    { to: '/portfolio', label: 'Portfolio', Icon: PieChart },
    { to: '/auto-invest', label: 'Auto-invest', Icon: Bot },
    { to: '/market', label: 'Market', Icon: Activity },
    { to: '/wallet', label: 'Wallet', Icon: Wallet },
  ],
  buyer: [
    { to: '/dashboard', label: 'Dashboard', Icon: LayoutGrid },
    { to: '/market', label: 'Market', Icon: Activity },
    { to: '/wallet', label: 'Wallet', Icon: Wallet },
  ],
  operator: [
    { to: '/operator', label: 'Overview', Icon: BarChart3 },
    { to: '/operator/invoices', label: 'Invoices', Icon: ListChecks },
    { to: '/operator/buyers', label: 'Buyers', Icon: Building2 },
    { to: '/operator/audit', label: 'Audit', Icon: ScrollText },
    { to: '/operator/people', label: 'People', Icon: Users },
    { to: '/market', label: 'Market', Icon: Activity },
  ],
};

/**
 * The frame of every signed-in page: the top bar (live indicator, wallet, bell, account menu) and
 * the navigation, which sits in the top bar on wide screens and in a bar at the bottom on
 * phones.
 */
export function Layout() {
  const user = useUser();
  return (
    <div className="shell">
      <header className="topbar">
        <div className="topbar__inner">
          <Link to="/dashboard" className="brand" aria-label="FactorFlow: dashboard">
            <Logo />
            <span className="brand__name">FactorFlow</span>
          </Link>
          <nav className="nav" aria-label="Main">
            {LINKS[user.role].map(({ to, label, Icon }) => (
              <NavLink key={to} to={to} className={({ isActive }) => `nav__link ${isActive ? 'nav__link--active' : ''}`} end>
                <Icon size={18} aria-hidden="true" />
                <span>{label}</span>
              </NavLink>
            ))}
          </nav>
          <div className="topbar__right">
            <ConnectionIndicator />
            {user.role !== 'operator' && <WalletChip />}
            <NotificationBell />
            <AccountMenu />
          </div>
        </div>
      </header>
      <main className="page">
        <OutageBanner />
        <Outlet />
      </main>
      {user.role === 'investor' && <NewListingAlert />}
      <footer className="footer">
        <FileText size={14} aria-hidden="true" /> Demo marketplace: amounts are play money. Invoices are discounted; investors are
        repaid the face value at maturity.
      </footer>
    </div>
  );
}
