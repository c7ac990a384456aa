import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Users } from 'lucide-react';
import { useState } from 'react';
import { applyPerson } from '../../api/cache';
import { operatorApi } from '../../api/mutations';
import { peopleQuery } from '../../api/queries';
import type { Role, User } from '../../api/types';
import { ROLE_LABELS } from '../../components/AccountMenu';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DataTable, type Column } from '../../components/DataTable';
import { SearchBox } from '../../components/SearchBox';
import { Section } from '../../components/Section';
import { EmptyState, QueryState, SkeletonList } from '../../components/States';
import { useToast } from '../../components/Toasts';
import { useDebouncedValue } from '../../hooks/useDebouncedValue';
import { usePageTitle } from '../../hooks/usePageTitle';
import { formatDateTime } from '../../lib/dates';
import { explain } from '../../lib/explain';
import { OperatorHeader } from './OperatorHeader';

const COLUMNS: Column<User>[] = [
  {
    header: 'Person',
    phone: 'title',
    cell: (user) => (
      <>
        <div className="cell-title">{user.name}</div>
        <div className="cell-sub">{user.email}</div>
      </>
    ),
  },
  {
    header: 'Status',
    phone: 'badge',
    cell: (user) => <span className={`badge badge--${user.suspended ? 'defaulted' : 'active'}`}>{user.suspended ? 'Suspended' : 'Active'}</span>,
  },
  { header: 'Role', cell: (user) => ROLE_LABELS[user.role] },
  { header: 'Account', cell: (user) => `#${user.id}` },
  { header: 'Joined', phone: 'hide', cell: (user) => <span className="nowrap">{formatDateTime(user.created_at)}</span> },
];

const WORDS = { not_found: 'There is no account with this id any more.' };

/** People by name or email prefix, with whether they are suspended; suspend or lift it here. */
export function PeoplePage() {
  usePageTitle('People');
  const client = useQueryClient();
  const toast = useToast();
  const [text, setText] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  const q = useDebouncedValue(text.trim(), 250);
  const people = useQuery({ ...peopleQuery({ q, role: role || null }), placeholderData: keepPreviousData });
  const [changing, setChanging] = useState<User | null>(null);

  const change = async (user: User) => {
    const { user: changed } = await operatorApi[user.suspended ? 'unsuspend' : 'suspend'](user.id);
    applyPerson(client, changed);
    toast({ tone: 'success', title: `${changed.name} is ${changed.suspended ? 'suspended' : 'active again'}` });
  };

  const actions = (user: User) =>
    user.role === 'operator' ? null : (
      <button
        type="button"
        className={`btn btn--sm ${user.suspended ? 'btn--ghost' : 'btn--danger'}`}
        onClick={() => setChanging(user)}
        aria-label={`${user.suspended ? 'Lift suspension of' : 'Suspend'} ${user.name}`}
      >
        {user.suspended ? 'Lift suspension' : 'Suspend'}
      </button>
    );

  return (
    <>
      <OperatorHeader title="People" subtitle="Find anyone by the start of their name or email; suspend an account, or lift a suspension." />
      <Section
        title="Accounts"
        extra={
          <div className="toolbar people-filter" role="search">
            <SearchBox id="people-search" label="Search people" placeholder="Name or email starts with…" value={text} onChange={setText} />
            <div className="toolbar__field">
              <label htmlFor="people-role">Role</label>
              <select id="people-role" value={role} onChange={(e) => setRole(e.target.value as Role | '')}>
                <option value="">Everyone</option>
                {Object.entries(ROLE_LABELS).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </div>
          </div>
        }
      >
        <QueryState
          query={people}
          what="the people"
          loading={<SkeletonList rows={4} label="Loading the people" />}
          isEmpty={(list) => list.length === 0}
          empty={
            <EmptyState icon={<Users size={28} aria-hidden="true" />} title={q ? `Nobody's name or email starts with “${q}”` : 'Nobody found'}>
              Try the first letters of a name or an email address.
            </EmptyState>
          }
        >
          {(list) => <DataTable label="Accounts" rows={list} columns={COLUMNS} rowKey={(u) => u.id} actions={actions} />}
        </QueryState>
      </Section>
      {changing && (
        <ConfirmDialog
          title={changing.suspended ? `Lift the suspension of ${changing.name}?` : `Suspend ${changing.name}?`}
          message={
            changing.suspended
              ? 'They can log in again at once.'
              : 'They are signed out at once on every device and cannot log in until the suspension is lifted. Their invoices stay as they are.'
          }
          confirmLabel={changing.suspended ? 'Lift suspension' : 'Suspend account'}
          tone={changing.suspended ? 'primary' : 'danger'}
          onConfirm={() => change(changing)}
          onClose={() => setChanging(null)}
          explainError={(err) => explain(err, WORDS)}
        />
      )}
    </>
  );
}
