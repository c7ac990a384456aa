import { QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Outlet, Route, Routes, useLocation } from 'react-router';
import { createQueryClient } from './api/queryClient';
import type { Role, User } from './api/types';
import { Layout } from './components/Layout';
import { ToastProvider } from './components/Toasts';
import { AuthProvider, useAuth } from './hooks/useAuth';
import { DashboardPage } from './pages/DashboardPage';
import { LoginPage } from './pages/LoginPage';
import { MarketplacePage } from './pages/MarketplacePage';
import { NewInvoicePage } from './pages/NewInvoicePage';
import { NotFoundPage } from './pages/NotFoundPage';
import { PortfolioPage } from './pages/PortfolioPage';
import { RegisterPage } from './pages/RegisterPage';
import { WalletPage } from './pages/WalletPage';
import { AuditPage } from './pages/operator/AuditPage';
import { BuyersPage } from './pages/operator/BuyersPage';
import { InvoicesPage } from './pages/operator/InvoicesPage';
import { OverviewPage } from './pages/operator/OverviewPage';
import { RealTimeProvider } from './realtime/RealTimeProvider';

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
              <PortfolioPage />
            </OnlyFor>
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
