import { useState } from 'react';
import { Link, NavLink, Outlet, useNavigate } from 'react-router';
import { useAuth, useUser } from '../hooks/useAuth';
import { useWallet } from '../hooks/useWallet';
import { formatPaise } from '../lib/money';
import { ConnectionIndicator } from './ConnectionIndicator';
import { FileIcon, GridIcon, Logo, LogoutIcon, PieIcon, PlusIcon, StoreIcon, WalletIcon } from './Icons';
import { NewListingAlert } from './NewListingAlert';
import { NotificationBell } from './NotificationBell';

function WalletChip() {
  const { wallet } = useWallet();
  return (
    <div className="wallet-chip">
      <WalletIcon size={16} />
      <span aria-label="Wallet balance" className="wallet-chip__amount">
        {wallet ? formatPaise(wallet.balance) : '₹ …'}
      </span>
    </div>
  );
}

/** The frame of every signed-in page: top bar (nav, live indicator, wallet, bell, log out). */
export function Layout() {
  const user = useUser();
  const { logout } = useAuth();
  const navigate = useNavigate();
  const [loggingOut, setLoggingOut] = useState(false);

  const links =
    user.role === 'seller'
      ? [
          { to: '/dashboard', label: 'Dashboard', icon: <GridIcon /> },
          { to: '/invoices/new', label: 'New invoice', icon: <PlusIcon /> },
          { to: '/wallet', label: 'Wallet', icon: <WalletIcon /> },
        ]
      : [
          { to: '/dashboard', label: 'Dashboard', icon: <GridIcon /> },
          { to: '/marketplace', label: 'Marketplace', icon: <StoreIcon /> },
          { to: '/portfolio', label: 'Portfolio', icon: <PieIcon /> },
          { to: '/wallet', label: 'Wallet', icon: <WalletIcon /> },
        ];

  const onLogout = async () => {
    setLoggingOut(true);
    await logout();
    navigate('/login', { replace: true });
  };

  return (
    <div className="shell">
      <header className="topbar">
        <div className="topbar__inner">
          <Link to="/dashboard" className="brand">
            <Logo />
            <span className="brand__name">FactorFlow</span>
          </Link>
          <nav className="nav" aria-label="Main">
            {links.map((link) => (
              <NavLink key={link.to} to={link.to} className={({ isActive }) => `nav__link ${isActive ? 'nav__link--active' : ''}`} end>
                {link.icon}
                <span>{link.label}</span>
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
              <LogoutIcon size={16} />
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
        <FileIcon size={14} /> Demo marketplace: amounts are play money. Invoices are discounted; investors are repaid the face value at
        maturity.
      </footer>
    </div>
  );
}
