import type { UseInfiniteQueryResult } from '@tanstack/react-query';

interface Props {
  query: Pick<UseInfiniteQueryResult, 'hasNextPage' | 'fetchNextPage' | 'isFetchingNextPage'>;
  label: string;
  /** Said once the last page is shown. */
  done: string;
}

/** The next page of a cursor-paginated list, on request. */
export function LoadMore({ query, label, done }: Props) {
  return (
    <div className="load-more">
      {query.hasNextPage ? (
        <button
          type="button"
          className="btn btn--ghost btn--sm"
          onClick={() => void query.fetchNextPage()}
          disabled={query.isFetchingNextPage}
          aria-busy={query.isFetchingNextPage || undefined}
        >
          {query.isFetchingNextPage && <span className="spinner" aria-hidden="true" />}
          {label}
        </button>
      ) : (
        <span className="muted">{done}</span>
      )}
    </div>
  );
}
