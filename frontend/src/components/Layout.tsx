import { useQuery } from '@tanstack/react-query';
import { FileText, LayoutGrid, LogOut, PieChart, Plus, Store, Wallet } from 'lucide-react';
import { useState } from 'react';
import { Link, NavLink, Outlet, useNavigate } from 'react-router';
import { walletQuery } from '../api/queries';
import { useAuth, useUser } from '../hooks/useAuth';
import { formatPaise } from '../lib/money';
import { ConnectionIndicator } from './ConnectionIndicator';
import { Logo } from './Logo';
import { NewListingAlert } from './NewListingAlert';
import { NotificationBell } from './NotificationBell';

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

const LINKS = {
  seller: [
    { to: '/dashboard', label: 'Dashboard', Icon: LayoutGrid },
    { to: '/invoices/new', label: 'New invoice', Icon: Plus },
    { to: '/wallet', label: 'Wallet', Icon: Wallet },
  ],
  investor: [
    { to: '/dashboard', label: 'Dashboard', Icon: LayoutGrid },
    { to: '/marketplace', label: 'Marketplace', Icon: Store },
    { to: '/portfolio', label: 'Portfolio', Icon: PieChart },
    { to: '/wallet', label: 'Wallet', Icon: Wallet },
  ],
};

/**
 * The frame of every signed-in page: the top bar (live indicator, wallet, bell, log out) and
 * the navigation, which sits in the top bar on wide screens and in a bar at the bottom on
 * phones.
 */
export function Layout() {
  const user = useUser();
  const { logout } = useAuth();
  const navigate = useNavigate();
  const [loggingOut, setLoggingOut] = useState(false);

  const onLogout = async () => {
    setLoggingOut(true);
    await logout();
    navigate('/login', { replace: true });
  };

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
            <WalletChip />
            <NotificationBell />
            <div className="user-chip" title={user.email}>
              <span className="avatar" aria-hidden="true">
                {user.name.trim().charAt(0).toUpperCase() || '?'}
              </span>
              <span className="user-chip__text">
                <span className="user-chip__name">{user.name}</span>
                <span className="user-chip__role">{user.role === 'seller' ? 'Seller' : 'Investor'}</span>
              </span>
            </div>
            <button type="button" className="btn btn--ghost btn--sm" onClick={onLogout} disabled={loggingOut}>
              <LogOut size={16} aria-hidden="true" />
              <span className="btn__label">Log out</span>
            </button>
          </div>
        </div>
      </header>
      <main className="page">
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
