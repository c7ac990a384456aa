import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { QueryState } from './States';

export interface StatCardProps {
  label: string;
  value: ReactNode;
  hint?: ReactNode;
  tone?: 'default' | 'positive' | 'accent';
}

export function StatCard({ label, value, hint, tone = 'default' }: StatCardProps) {
  return (
    <div className={`stat stat--${tone}`}>
      <div className="stat__label">{label}</div>
      <div className="stat__value">{value}</div>
      {hint && <div className="stat__hint">{hint}</div>}
    </div>
  );
}

function LoadingCards({ count }: { count: number }) {
  return (
    <div className="stats" aria-busy="true" aria-label="Loading figures">
      {Array.from({ length: count }, (_, i) => (
        <div key={i} className="stat">
          <span className="skeleton skeleton--text" />
        </div>
      ))}
    </div>
  );
}

/** A row of figures loaded from the server, in its four states. */
export function StatGrid<T>({
  label,
  query,
  cards,
  quad = false,
}: {
  label: string;
  query: UseQueryResult<T>;
  cards(data: T): StatCardProps[];
  /** Two rows of four (eight figures). */
  quad?: boolean;
}) {
  return (
    <QueryState query={query} what={label.toLowerCase()} loading={<LoadingCards count={5} />}>
      {(data) => (
        <section className={quad ? 'stats stats--quad' : 'stats'} aria-label={label}>
          {cards(data).map((card) => (
            <StatCard key={card.label} {...card} />
          ))}
        </section>
      )}
    </QueryState>
  );
}
