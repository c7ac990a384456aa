import { zodResolver } from '@hookform/resolvers/zod';
import { useInfiniteQuery } from '@tanstack/react-query';
import { ScrollText } from 'lucide-react';
import { useForm } from 'react-hook-form';
import { Link, useSearchParams } from 'react-router';
import { auditQuery, type AuditFilter } from '../../api/queries';
import type { AuditEntry } from '../../api/types';
import { AccountButton } from '../../components/AccountButton';
import { DataTable, type Column } from '../../components/DataTable';
import { FormField } from '../../components/Form';
import { LoadMore } from '../../components/LoadMore';
import { Section } from '../../components/Section';
import { EmptyState, QueryState, SkeletonList } from '../../components/States';
import { usePageTitle } from '../../hooks/usePageTitle';
import { auditFilterSchema, filterValues, TARGET_TYPES, type AuditFilterValues } from '../../lib/auditFilter';
import { formatDateTime } from '../../lib/dates';
import { formatPaise } from '../../lib/money';
import { OperatorHeader } from './OperatorHeader';

/** Details that are amounts of money (paise), shown in rupees. */
const MONEY_DETAILS = new Set(['amount', 'credit_limit', 'from', 'to']);

function detailText(key: string, value: unknown): string {
  if (MONEY_DETAILS.has(key) && typeof value === 'number') return formatPaise(value);
  if (value === null) return key === 'from' || key === 'to' ? 'no limit' : '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function Details({ details }: { details: AuditEntry['details'] }) {
  const entries = Object.entries(details);
  if (entries.length === 0) return <span className="cell-sub">—</span>;
  return (
    <dl className="audit-details">
      {entries.map(([key, value]) => (
        <div key={key}>
          <dt>{key.replaceAll('_', ' ')}</dt>
          <dd>{detailText(key, value)}</dd>
        </div>
      ))}
    </dl>
  );
}

function Target({ entry }: { entry: AuditEntry }) {
  if (entry.target_id === null) return <>{entry.target_type}</>;
  if (entry.target_type === 'user') return <AccountButton userId={entry.target_id}>user #{entry.target_id}</AccountButton>;
  if (entry.target_type === 'invoice') {
    return (
      <Link className="link" to={`?target_type=invoice&target_id=${entry.target_id}`} aria-label={`History of invoice #${entry.target_id}`}>
        invoice #{entry.target_id}
      </Link>
    );
  }
  return (
    <>
      {entry.target_type} #{entry.target_id}
    </>
  );
}

const COLUMNS: Column<AuditEntry>[] = [
  {
    header: 'Action',
    phone: 'title',
    cell: (entry) => (
      <>
        <div className="cell-title">{entry.action.replaceAll('_', ' ')}</div>
        <div className="cell-sub nowrap">{formatDateTime(entry.at)}</div>
      </>
    ),
  },
  {
    header: 'By',
    cell: (entry) =>
      entry.actor_id === null ? (
        <span className="cell-sub">the platform</span>
      ) : (
        <>
          <AccountButton userId={entry.actor_id}>user #{entry.actor_id}</AccountButton>
          {entry.actor_role && <span className="cell-sub"> {entry.actor_role}</span>}
        </>
      ),
  },
  { header: 'On', cell: (entry) => <Target entry={entry} /> },
  { header: 'Details', cell: (entry) => <Details details={entry.details} /> },
  {
    header: 'Request',
    phone: 'hide',
    cell: (entry) => (
      <span className="cell-sub">
        {entry.ip ?? '—'}
        {entry.request_id && <span className="audit-request"> · {entry.request_id}</span>}
      </span>
    ),
  },
];

function FilterForm({ current, onApply }: { current: AuditFilterValues; onApply(filter: AuditFilter): void }) {
  const {
    register,
    handleSubmit,
    formState: { errors },
  } = useForm<AuditFilterValues, unknown, AuditFilter>({ resolver: zodResolver(auditFilterSchema), mode: 'onChange', defaultValues: current });

  return (
    <form className="audit-filter" onSubmit={handleSubmit(onApply)} noValidate aria-label="Filter the audit trail">
      <FormField id="audit-actor" label="Actor id" error={errors.actorId?.message}>
        {(field) => <input {...field} {...register('actorId')} inputMode="numeric" autoComplete="off" />}
      </FormField>
      <FormField id="audit-target-type" label="Target">
        {(field) => (
          <select {...field} {...register('targetType')}>
            <option value="">Anything</option>
            {TARGET_TYPES.map((type) => (
              <option key={type} value={type}>
                {type === 'invoice' ? 'Invoices' : 'Users'}
              </option>
            ))}
          </select>
        )}
      </FormField>
      <FormField id="audit-target-id" label="Target id" error={errors.targetId?.message}>
        {(field) => <input {...field} {...register('targetId')} inputMode="numeric" autoComplete="off" />}
      </FormField>
      <div className="audit-filter__actions">
        <button type="submit" className="btn btn--primary">
          Apply
        </button>
        <button type="button" className="btn btn--ghost" onClick={() => onApply({})}>
          Clear
        </button>
      </div>
    </form>
  );
}

/** Who did what, newest first, filtered by actor or target (an invoice's history). */
export function AuditPage() {
  usePageTitle('Audit trail');
  const [params, setParams] = useSearchParams();
  const current = filterValues(params);
  const filter = auditFilterSchema.safeParse(current).data ?? {};
  const trail = useInfiniteQuery(auditQuery(filter));
  const filtered = Object.keys(filter).length > 0;

  const apply = (next: AuditFilter) =>
    setParams(Object.fromEntries(Object.entries(next).map(([key, value]) => [key, String(value)])));

  return (
    <>
      <OperatorHeader title="Audit trail" subtitle="Every state-changing action: who, what, on which invoice or account, from where." />
      <Section title={filtered ? 'Filtered entries' : 'Latest entries'}>
        {/* A new address (following an invoice's history link) is a fresh form showing it. */}
        <FilterForm key={params.toString()} current={current} onApply={apply} />
        <QueryState
          query={trail}
          what="the audit trail"
          loading={<SkeletonList rows={5} label="Loading the audit trail" />}
          isEmpty={(data) => data.pages.every((page) => page.items.length === 0)}
          empty={
            <EmptyState icon={<ScrollText size={28} aria-hidden="true" />} title={filtered ? 'No entries match this filter' : 'Nothing recorded yet'}>
              Actions appear here as people take them.
            </EmptyState>
          }
        >
          {(data) => (
            <>
              <DataTable label="Audit entries" rows={data.pages.flatMap((page) => page.items)} columns={COLUMNS} rowKey={(entry) => entry.id} />
              <LoadMore query={trail} label="Load older entries" done="That's the whole trail." />
            </>
          )}
        </QueryState>
      </Section>
    </>
  );
}
