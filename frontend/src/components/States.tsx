// The four states of anything loaded from the server: loading, error (with a retry), empty,
// and data; plus data kept on screen when a refresh failed, marked as possibly stale.

import type { UseQueryResult } from '@tanstack/react-query';
import { AlertTriangle, RefreshCw } from 'lucide-react';
import type { ReactNode } from 'react';
import { describeError } from '../api/errors';
import { formatDateTime } from '../lib/dates';

interface EmptyStateProps {
  title: string;
  children?: ReactNode;
  action?: ReactNode;
  icon?: ReactNode;
}

export function EmptyState({ title, children, action, icon }: EmptyStateProps) {
  return (
    <div className="empty">
      {icon && <div className="empty__icon">{icon}</div>}
      <h3 className="empty__title">{title}</h3>
      {children && <p className="empty__text">{children}</p>}
      {action && <div className="empty__action">{action}</div>}
    </div>
  );
}

function RetryButton({ onRetry, busy }: { onRetry(): void; busy: boolean }) {
  return (
    <button type="button" className="btn btn--ghost btn--sm" onClick={onRetry} disabled={busy} aria-busy={busy || undefined}>
      <RefreshCw size={14} aria-hidden="true" className={busy ? 'spin' : undefined} />
      {busy ? 'Retrying…' : 'Try again'}
    </button>
  );
}

/** Nothing to show because loading failed: says so, never pretends the list is empty. */
export function ErrorState({ what, error, onRetry, busy = false }: { what: string; error: unknown; onRetry(): void; busy?: boolean }) {
  return (
    <div className="state-error" role="alert">
      <AlertTriangle size={22} aria-hidden="true" />
      <div className="state-error__text">
        <strong>Couldn't load {what}.</strong> <span>{describeError(error)}</span>
      </div>
      <RetryButton onRetry={onRetry} busy={busy} />
    </div>
  );
}

/** Placeholder rows while a list loads (announced as busy, not as a status). */
export function SkeletonList({ rows = 3, label = 'Loading' }: { rows?: number; label?: string }) {
  return (
    <div className="skeleton-list" aria-busy="true" aria-label={label}>
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="skeleton skeleton--row" />
      ))}
    </div>
  );
}

function StaleNotice({ what, updatedAt, onRetry, busy }: { what: string; updatedAt: number; onRetry(): void; busy: boolean }) {
  return (
    <div className="banner banner--warning" aria-live="polite">
      <span>
        Couldn't refresh {what}: this is how it stood at {formatDateTime(new Date(updatedAt).toISOString())} and may be out of date.
      </span>
      <RetryButton onRetry={onRetry} busy={busy} />
    </div>
  );
}

interface QueryStateProps<T> {
  query: Pick<UseQueryResult<T>, 'data' | 'error' | 'isFetching' | 'dataUpdatedAt' | 'refetch'>;
  /** What is loaded, for the messages: "your invoices". */
  what: string;
  loading: ReactNode;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children(data: T): ReactNode;
}

export function QueryState<T>({ query, what, loading, isEmpty, empty, children }: QueryStateProps<T>) {
  const retry = () => void query.refetch();
  if (query.data === undefined) {
    return query.error ? <ErrorState what={what} error={query.error} onRetry={retry} busy={query.isFetching} /> : loading;
  }
  return (
    <>
      {query.error && <StaleNotice what={what} updatedAt={query.dataUpdatedAt} onRetry={retry} busy={query.isFetching} />}
      {isEmpty?.(query.data) ? empty : children(query.data)}
    </>
  );
}
