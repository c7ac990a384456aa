import { useQuery } from '@tanstack/react-query';
import { LayoutList } from 'lucide-react';
import { Link } from 'react-router';
import { overviewQuery } from '../../api/queries';
import type { InvoiceStatus, Overview } from '../../api/types';
import { DataTable, type Column } from '../../components/DataTable';
import { Section } from '../../components/Section';
import { EmptyState, QueryState, SkeletonList } from '../../components/States';
import { INVOICE_STATUS_LABELS, StatusBadge } from '../../components/StatusBadge';
import { usePageTitle } from '../../hooks/usePageTitle';
import { formatPaise } from '../../lib/money';
import { OperatorHeader } from './OperatorHeader';

type StatusRow = { status: InvoiceStatus; count: number; amount: number };
type AgingRow = { bucket: string; count: number; owed: number };

/** The invoice statuses in the order of an invoice's life. */
const LIFE_ORDER = Object.keys(INVOICE_STATUS_LABELS) as InvoiceStatus[];
const AGING_BUCKETS = ['1-30', '31-60', '60+'];

function statusRows({ by_status }: Overview): StatusRow[] {
  return LIFE_ORDER.filter((status) => by_status[status]).map((status) => ({ status, ...by_status[status] }));
}

function agingRows({ aging }: Overview): AgingRow[] {
  return AGING_BUCKETS.map((bucket) => ({ bucket, count: aging[bucket]?.count ?? 0, owed: aging[bucket]?.owed ?? 0 }));
}

const STATUS_COLUMNS: Column<StatusRow>[] = [
  {
    header: 'Status',
    phone: 'title',
    cell: ({ status }) => (
      <Link to={`/operator/invoices?status=${status}`} className="link" aria-label={`${INVOICE_STATUS_LABELS[status]} invoices`}>
        <StatusBadge status={status} label={INVOICE_STATUS_LABELS[status]} />
      </Link>
    ),
  },
  { header: 'Invoices', numeric: true, cell: ({ count }) => count.toLocaleString('en-IN') },
  { header: 'Face value', numeric: true, cell: ({ amount }) => formatPaise(amount) },
];

const AGING_COLUMNS: Column<AgingRow>[] = [
  { header: 'Days past due', phone: 'title', cell: ({ bucket }) => <span className="cell-title">{bucket.replace('-', '–')} days</span> },
  { header: 'Invoices', numeric: true, cell: ({ count }) => count.toLocaleString('en-IN') },
  { header: 'Owed', numeric: true, cell: ({ owed }) => formatPaise(owed) },
];

/** The whole platform at a glance: invoices by status, and how late the late ones are. */
export function OverviewPage() {
  usePageTitle('Operator overview');
  const overview = useQuery(overviewQuery);
  return (
    <>
      <OperatorHeader title="Overview" subtitle="Every invoice on the platform by status, and what is owed on late ones by how late." />
      <QueryState
        query={overview}
        what="the overview"
        loading={<SkeletonList rows={4} label="Loading the overview" />}
        isEmpty={(data) => Object.keys(data.by_status).length === 0}
        empty={
          <Section title="Invoices by status">
            <EmptyState icon={<LayoutList size={28} aria-hidden="true" />} title="No invoices on the platform yet">
              Invoices appear here, counted by status, as soon as sellers list them.
            </EmptyState>
          </Section>
        }
      >
        {(data) => (
          <div className="chart-row">
            <Section title="Invoices by status">
              <DataTable label="Invoices by status" rows={statusRows(data)} columns={STATUS_COLUMNS} rowKey={(row) => row.status} />
            </Section>
            <Section title="Late invoices by age">
              <DataTable label="Late invoices by age" rows={agingRows(data)} columns={AGING_COLUMNS} rowKey={(row) => row.bucket} />
            </Section>
          </div>
        )}
      </QueryState>
    </>
  );
}
