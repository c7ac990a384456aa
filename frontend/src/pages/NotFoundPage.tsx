import { Link } from 'react-router';
import { Logo } from '../components/Logo';
import { usePageTitle } from '../hooks/usePageTitle';

export function NotFoundPage() {
  usePageTitle('Page not found');
  return (
    <main className="auth">
      <div className="auth__card auth__card--center">
        <Logo size={40} />
        <h1>Page not found</h1>
        <p className="muted">There is nothing at this address.</p>
        <Link to="/dashboard" className="btn btn--primary">
          Go to the dashboard
        </Link>
      </div>
    </main>
  );
}
