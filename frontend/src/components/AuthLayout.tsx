import type { ReactNode } from 'react';
import { Logo } from './Logo';

/** Split screen for the sign-in pages: the pitch on the left, the form on the right. */
export function AuthLayout({ title, subtitle, children }: { title: string; subtitle: string; children: ReactNode }) {
  return (
    <div className="auth">
      <aside className="auth__hero" aria-hidden="true">
        <div className="auth__brand">
          <Logo size={36} />
          <span>FactorFlow</span>
        </div>
        <h2 className="auth__pitch">Turn unpaid invoices into cash today. Earn short-term yield backed by real receivables.</h2>
        <ul className="auth__points">
          <li>
            <strong>Sellers</strong> list an invoice and get paid as soon as it is funded.
          </li>
          <li>
            <strong>Investors</strong> fund invoices in fractions from ₹1,000 and are repaid the face value at maturity.
          </li>
          <li>
            <strong>Live</strong> marketplace: new listings and fundings appear the moment they happen.
          </li>
        </ul>
        <div className="auth__card-demo">
          <div className="auth__card-demo-row">
            <span>INV-2041 · Tata Steel</span>
            <span className="text-positive">14.20% p.a.</span>
          </div>
          <div className="progress">
            <div className="progress__track">
              <div className="progress__fill" style={{ width: '68%' }} />
            </div>
          </div>
        </div>
      </aside>
      <section className="auth__main">
        <div className="auth__card">
          <div className="auth__mobile-brand">
            <Logo size={32} /> <span>FactorFlow</span>
          </div>
          <h1 className="auth__title">{title}</h1>
          <p className="auth__subtitle">{subtitle}</p>
          {children}
        </div>
      </section>
    </div>
  );
}
