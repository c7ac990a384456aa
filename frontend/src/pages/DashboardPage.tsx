import { Plus, Store } from 'lucide-react';
import type { ReactNode } from 'react';
import { Link, Navigate } from 'react-router';
import type { Role } from '../api/types';
import { useUser } from '../hooks/useAuth';
import { usePageTitle } from '../hooks/usePageTitle';
import { BuyerDashboard } from './dashboard/BuyerDashboard';
import { InvestorDashboard } from './dashboard/InvestorDashboard';
import { SellerDashboard } from './dashboard/SellerDashboard';

function greeting(): string {
  const hour = new Date().getHours();
  if (hour < 12) return 'Good morning';
  if (hour < 17) return 'Good afternoon';
  return 'Good evening';
}

/** Each role's dashboard and its main action; operators have their console instead. */
const DASHBOARDS: Record<Exclude<Role, 'operator'>, { body: ReactNode; action: ReactNode }> = {
  seller: {
    body: <SellerDashboard />,
    action: (
      <Link to="/invoices/new" className="btn btn--primary">
        <Plus size={16} aria-hidden="true" /> List an invoice
      </Link>
    ),
  },
  investor: {
    body: <InvestorDashboard />,
    action: (
      <Link to="/marketplace" className="btn btn--primary">
        <Store size={16} aria-hidden="true" /> Find invoices to fund
      </Link>
    ),
  },
  buyer: { body: <BuyerDashboard />, action: null },
};

export function DashboardPage() {
  const user = useUser();
  usePageTitle('Dashboard');
  if (user.role === 'operator') return <Navigate to="/operator" replace />;
  const { body, action } = DASHBOARDS[user.role];
  return (
    <>
      <div className="page__header">
        <div>
          <h1 className="page__title">Dashboard</h1>
          <p className="page__subtitle">
            {greeting()}, {user.name}.
          </p>
        </div>
        {action}
      </div>
      {body}
    </>
  );
}
