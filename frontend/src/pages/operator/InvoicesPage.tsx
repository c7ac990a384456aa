import { useQuery, useQueryClient } from '@tanstack/react-query';
import { LayoutList } from 'lucide-react';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { applyInvoice } from '../../api/cache';
import { invoiceApi } from '../../api/mutations';
import { invoiceListQuery, queryKeys } from '../../api/queries';
import type { Invoice, InvoiceStatus } from '../../api/types';
import { AccountButton } from '../../components/AccountButton';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DataTable, type Column } from '../../components/DataTable';
import { dueColumn, faceValueColumn, invoiceColumn, owedColumn, statusColumn } from '../../components/InvoiceColumns';
import { RecoveryDialog } from '../../components/RecoveryDialog';
import { Section } from '../../components/Section';
import { EmptyState, QueryState, SkeletonList } from '../../components/States';
import { INVOICE_STATUS_LABELS } from '../../components/StatusBadge';
import { useToast } from '../../components/Toasts';
import { useUser } from '../../hooks/useAuth';
import { useHighlight } from '../../hooks/useHighlight';
import { usePageTitle } from '../../hooks/usePageTitle';
import { explain } from '../../lib/explain';
import { idempotencyKeys } from '../../lib/idempotency';
import { formatPaise } from '../../lib/money';
import { OperatorHeader } from './OperatorHeader';

const STATUSES = Object.keys(INVOICE_STATUS_LABELS) as InvoiceStatus[];
const DEFAULT_STATUS: InvoiceStatus = 'overdue';
const RECOVERABLE = new Set<InvoiceStatus>(['overdue', 'defaulted', 'written_off']);

const isStatus = (value: string | null): value is InvoiceStatus => STATUSES.includes(value as InvoiceStatus);

/** Who listed it and who owes it, each opening their account. */
function Parties({ invoice }: { invoice: Invoice }) {
  return (
    <>
      <AccountButton userId={invoice.seller_id} name={invoice.seller_name}>
        {invoice.seller_name}
      </AccountButton>{' '}
      →{' '}
      {invoice.buyer_id === null ? (
        invoice.buyer_name
      ) : (
        <AccountButton userId={invoice.buyer_id} name={invoice.buyer_name}>
          {invoice.buyer_name}
        </AccountButton>
      )}
    </>
  );
}

const COLUMNS: Column<Invoice>[] = [
  invoiceColumn((invoice) => <Parties invoice={invoice} />),
  statusColumn,
  faceValueColumn,
  owedColumn,
  { header: 'Repaid and recovered', numeric: true, cell: (invoice) => formatPaise(invoice.repaid_amount) },
  dueColumn,
];

type Action = { kind: 'recover' | 'write-off'; invoice: Invoice };

/** Every invoice in one status, with what an operator does about late ones. */
export function InvoicesPage() {
  usePageTitle('Invoices by status');
  const user = useUser();
  const toast = useToast();
  const client = useQueryClient();
  const [params, setParams] = useSearchParams();
  const requested = params.get('status');
  const status = isStatus(requested) ? requested : DEFAULT_STATUS;
  const invoices = useQuery(invoiceListQuery({ status }));
  const { rowProps } = useHighlight(!!invoices.data);
  const [action, setAction] = useState<Action | null>(null);
  const [writeOffKeys] = useState(idempotencyKeys);

  const apply = (invoice: Invoice) => {
    applyInvoice(client, invoice, user.id);
    void client.invalidateQueries({ queryKey: queryKeys.overview });
  };

  const writeOff = async (invoice: Invoice) => {
    apply((await writeOffKeys.send({ writeOff: invoice.id }, (key) => invoiceApi.writeOff(invoice.id, key))).invoice);
    toast({ title: 'Invoice written off', body: `${invoice.invoice_number}: each investor's loss is fixed; later recoveries lower it.` });
  };

  const actions = (invoice: Invoice) => (
    <>
      <Link to={`/operator/audit?target_type=invoice&target_id=${invoice.id}`} className="btn btn--ghost btn--sm" aria-label={`History of ${invoice.invoice_number}`}>
        History
      </Link>
      {RECOVERABLE.has(invoice.status) && (
        <button type="button" className="btn btn--ghost btn--sm" onClick={() => setAction({ kind: 'recover', invoice })} aria-label={`Record a recovery on ${invoice.invoice_number}`}>
          Recovery
        </button>
      )}
      {invoice.status === 'defaulted' && (
        <button type="button" className="btn btn--danger btn--sm" onClick={() => setAction({ kind: 'write-off', invoice })} aria-label={`Write off ${invoice.invoice_number}`}>
          Write off
        </button>
      )}
    </>
  );

  return (
    <>
      <OperatorHeader title="Invoices" subtitle="Every invoice in one status, whoever listed it; recoveries and write-offs for late ones." />
      <Section
        title={`${INVOICE_STATUS_LABELS[status]} invoices`}
        extra={
          <div className="toolbar__field">
            <label htmlFor="operator-status">Status</label>
            <select id="operator-status" value={status} onChange={(e) => setParams({ status: e.target.value })}>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {INVOICE_STATUS_LABELS[s]}
                </option>
              ))}
            </select>
          </div>
        }
      >
        <QueryState
          query={invoices}
          what="the invoices"
          loading={<SkeletonList rows={4} label="Loading the invoices" />}
          isEmpty={(list) => list.length === 0}
          empty={
            <EmptyState icon={<LayoutList size={28} aria-hidden="true" />} title={`No ${INVOICE_STATUS_LABELS[status].toLowerCase()} invoices`}>
              Pick another status above.
            </EmptyState>
          }
        >
          {(list) => (
            <DataTable label={`${INVOICE_STATUS_LABELS[status]} invoices`} rows={list} columns={COLUMNS} rowKey={(i) => i.id} actions={actions} rowProps={(i) => rowProps(i.id)} />
          )}
        </QueryState>
      </Section>

      {action?.kind === 'recover' && (
        <RecoveryDialog
          invoice={action.invoice}
          onClose={() => setAction(null)}
          onRecorded={(invoice) => {
            apply(invoice);
            setAction(null);
            toast({ tone: 'success', title: 'Recovery recorded', body: `${invoice.invoice_number}: ${formatPaise(invoice.owed)} still owed.` });
          }}
        />
      )}
      {action?.kind === 'write-off' && (
        <ConfirmDialog
          title={`Write off ${action.invoice.invoice_number}?`}
          message={`${formatPaise(action.invoice.owed)} is still owed. Each investor's loss is fixed at what they put in less what they got back; recoveries recorded later still reach them and lower it. This cannot be undone.`}
          confirmLabel="Write off"
          tone="danger"
          onConfirm={() => writeOff(action.invoice)}
          onClose={() => setAction(null)}
          explainError={(err) => explain(err, { invalid_state: 'Only a defaulted invoice can be written off.' })}
        />
      )}
    </>
  );
}
