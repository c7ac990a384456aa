import { QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, useState, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Outlet, Route, Routes, useLocation } from 'react-router';
import { createQueryClient } from './api/queryClient';
import type { Role, User } from './api/types';
import { Layout } from './components/Layout';
import { SkeletonList } from './components/States';
import { ToastProvider } from './components/Toasts';
import { AuthProvider, useAuth } from './hooks/useAuth';
import { DashboardPage } from './pages/DashboardPage';
import { LoginPage } from './pages/LoginPage';
import { MarketplacePage } from './pages/MarketplacePage';
import { NewInvoicePage } from './pages/NewInvoicePage';
import { NotFoundPage } from './pages/NotFoundPage';
import { RegisterPage } from './pages/RegisterPage';
import { WalletPage } from './pages/WalletPage';
import { AuditPage } from './pages/operator/AuditPage';
import { BuyersPage } from './pages/operator/BuyersPage';
import { InvoicesPage } from './pages/operator/InvoicesPage';
import { OverviewPage } from './pages/operator/OverviewPage';
import { PeoplePage } from './pages/operator/PeoplePage';
import { RealTimeProvider } from './realtime/RealTimeProvider';

// The pages with charts (Recharts) and the newer ones load on first visit.
const PortfolioPage = lazy(() => import('./pages/PortfolioPage').then((m) => ({ default: m.PortfolioPage })));
const AutoInvestPage = lazy(() => import('./pages/AutoInvestPage').then((m) => ({ default: m.AutoInvestPage })));
const MarketPage = lazy(() => import('./pages/MarketPage').then((m) => ({ default: m.MarketPage })));

function Lazy({ children }: { children: ReactNode }) {
  return <Suspense fallback={<SkeletonList rows={4} label="Loading the page" />}>{children}</Suspense>;
}

/** One user's session: its own query cache and its one socket. */
function Session({ user }: { user: User }) {
  const [client] = useState(createQueryClient);
  return (
    <QueryClientProvider client={client}>
      <RealTimeProvider viewer={user}>
        <Layout />
      </RealTimeProvider>
    </QueryClientProvider>
  );
}

function SignedIn() {
  const { user } = useAuth();
  const location = useLocation();
  if (!user) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  return <Session key={user.id} user={user} />;
}

function SignedOut({ children }: { children: ReactNode }) {
  const { user } = useAuth();
  if (user) return <Navigate to="/dashboard" replace />;
  return <>{children}</>;
}

function OnlyFor({ role, children }: { role: Role; children: ReactNode }) {
  const { user } = useAuth();
  if (user && user.role !== role) return <Navigate to="/dashboard" replace />;
  return <>{children}</>;
}

export function AppRoutes() {
  return (
    <Routes>
      <Route
        path="/login"
        element={
          <SignedOut>
            <LoginPage />
          </SignedOut>
        }
      />
      <Route
        path="/register"
        element={
          <SignedOut>
            <RegisterPage />
          </SignedOut>
        }
      />
      <Route element={<SignedIn />}>
        <Route path="/dashboard" element={<DashboardPage />} />
        <Route path="/marketplace" element={<MarketplacePage />} />
        <Route
          path="/invoices/new"
          element={
            <OnlyFor role="seller">
              <NewInvoicePage />
            </OnlyFor>
          }
        />
        <Route
          path="/portfolio"
          element={
            <OnlyFor role="investor">
              <Lazy>
                <PortfolioPage />
              </Lazy>
            </OnlyFor>
          }
        />
        <Route
          path="/auto-invest"
          element={
            <OnlyFor role="investor">
              <Lazy>
                <AutoInvestPage />
              </Lazy>
            </OnlyFor>
          }
        />
        <Route
          path="/market"
          element={
            <Lazy>
              <MarketPage />
            </Lazy>
          }
        />
        <Route path="/wallet" element={<WalletPage />} />
        <Route
          path="/operator"
          element={
            <OnlyFor role="operator">
              <Outlet />
            </OnlyFor>
          }
        >
          <Route index element={<OverviewPage />} />
          <Route path="invoices" element={<InvoicesPage />} />
          <Route path="buyers" element={<BuyersPage />} />
          <Route path="audit" element={<AuditPage />} />
          <Route path="people" element={<PeoplePage />} />
        </Route>
      </Route>
      <Route path="/" element={<Navigate to="/dashboard" replace />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}

export function App() {
  return (
    <BrowserRouter>
      <ToastProvider>
        <AuthProvider>
          <AppRoutes />
        </AuthProvider>
      </ToastProvider>
    </BrowserRouter>
  );
}
