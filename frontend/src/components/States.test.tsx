import { useQuery } from '@tanstack/react-query';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { renderWithClient, testQueryClient } from '../test/render';
import { EmptyState, QueryState, SkeletonList } from './States';

function List({ load }: { load: () => Promise<string[]> }) {
  const query = useQuery({ queryKey: ['things'], queryFn: load });
  return (
    <QueryState
      query={query}
      what="the things"
      loading={<SkeletonList label="Loading things" />}
      isEmpty={(things) => things.length === 0}
      empty={<EmptyState title="No things yet" />}
    >
      {(things) => <ul>{things.map((t) => <li key={t}>{t}</li>)}</ul>}
    </QueryState>
  );
}

describe('QueryState: the four states', () => {
  it('loading, then data', async () => {
    renderWithClient(<List load={async () => ['a', 'b']} />);
    expect(screen.getByLabelText('Loading things')).toHaveAttribute('aria-busy', 'true');
    expect(await screen.findAllByRole('listitem')).toHaveLength(2);
  });

  it('empty', async () => {
    renderWithClient(<List load={async () => []} />);
    expect(await screen.findByText('No things yet')).toBeVisible();
  });

  it('error with a retry, never the empty text', async () => {
    const load = vi.fn().mockRejectedValueOnce(new Error('Server error')).mockResolvedValueOnce(['a']);
    renderWithClient(<List load={load} />);
    expect(await screen.findByRole('alert')).toHaveTextContent("Couldn't load the things. Server error");
    expect(screen.queryByText('No things yet')).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('listitem')).toHaveTextContent('a');
  });

  it('a failed refresh keeps the data on screen and says it may be stale', async () => {
    const client = testQueryClient();
    const load = vi.fn().mockResolvedValueOnce(['a']).mockRejectedValueOnce(new Error('Server error'));
    renderWithClient(<List load={load} />, client);
    expect(await screen.findByRole('listitem')).toHaveTextContent('a');
    await client.refetchQueries({ queryKey: ['things'] });
    expect(await screen.findByText(/Couldn't refresh the things: .* may be out of date/)).toBeVisible();
    expect(screen.getByRole('listitem')).toHaveTextContent('a');
  });
});
