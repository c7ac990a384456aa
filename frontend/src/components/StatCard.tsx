import type { ReactNode } from 'react';

interface Props {
  label: string;
  value: ReactNode;
  hint?: ReactNode;
  tone?: 'default' | 'positive' | 'accent';
  loading?: boolean;
}

export function StatCard({ label, value, hint, tone = 'default', loading }: Props) {
  return (
    <div className={`stat stat--${tone}`}>
      <div className="stat__label">{label}</div>
      <div className="stat__value">{loading ? <span className="skeleton skeleton--text" /> : value}</div>
      {hint && <div className="stat__hint">{hint}</div>}
    </div>
  );
}
