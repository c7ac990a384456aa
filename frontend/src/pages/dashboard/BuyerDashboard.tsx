import { useQuery, useQueryClient } from '@tanstack/react-query';
import { CheckCircle2, Inbox } from 'lucide-react';
import { useState } from 'react';
import { applyInvoice } from '../../api/cache';
import { invoiceApi } from '../../api/mutations';
import { awaitingAcceptanceQuery, buyerStatsQuery, myInvoicesQuery, queryKeys, walletQuery } from '../../api/queries';
import type { BuyerStats, Invoice, InvoiceStatus } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DataTable, type Column } from '../../components/DataTable';
import { dueColumn, faceValueColumn, invoiceColumn, owedColumn, statusColumn } from '../../components/InvoiceColumns';
import { RejectDialog } from '../../components/RejectDialog';
import { RepayDialog } from '../../components/RepayDialog';
import { Section } from '../../components/Section';
import { StatGrid } from '../../components/StatCard';
import { EmptyState, QueryState, SkeletonList } from '../../components/States';
import { useToast } from '../../components/Toasts';
import { useUser } from '../../hooks/useAuth';
import { useHighlight } from '../../hooks/useHighlight';
import { acceptWords } from '../../lib/acceptance';
import { formatDate, formatDateTime } from '../../lib/dates';
import { explain } from '../../lib/explain';
import { formatPaise } from '../../lib/money';

export function BuyerDashboard() {
  const stats = useQuery(buyerStatsQuery);
  return (
    <>
      <StatGrid
        label="What you owe"
        query={stats}
        cards={(s) => [
          { label: 'Owed now', value: formatPaise(s.owed_total), tone: 'accent', hint: `On ${s.owing_count} funded ${s.owing_count === 1 ? 'invoice' : 'invoices'}` },
          { label: 'Overdue', value: formatPaise(s.overdue_total), hint: 'Past its due date: late interest accrues' },
          { label: 'Next due', value: s.next_due_date ? formatDate(s.next_due_date) : 'Nothing due' },
          { label: 'Awaiting you', value: s.pending_count, hint: 'Invoices to accept or reject' },
          { label: 'Credit used', value: formatPaise(s.exposure), hint: creditHint(s) },
        ]}
      />
      <AwaitingAcceptance />
      <WhatYouOwe />
    </>
  );
}

function creditHint({ credit_limit }: Pick<BuyerStats, 'credit_limit'>): string {
  return credit_limit === null ? 'No credit limit' : `of your ${formatPaise(credit_limit)} limit`;
}


/** After the buyer's answer: the invoice where it now belongs, and figures refreshed. */
function useApply() {
  const user = useUser();
  const client = useQueryClient();
  return (invoice: Invoice) => {
    applyInvoice(client, invoice, user.id);
    void client.invalidateQueries({ queryKey: queryKeys.stats });
  };
}

// ---------------------------------------------------------------- awaiting acceptance

const PENDING_COLUMNS: Column<Invoice>[] = [
  invoiceColumn((invoice) => `from ${invoice.seller_name}`),
  faceValueColumn,
  dueColumn,
  { header: 'Listed', phone: 'hide', cell: (invoice) => <span className="cell-sub nowrap">{formatDateTime(invoice.created_at)}</span> },
];

type Answer = { kind: 'accept' | 'reject'; invoice: Invoice };

function AwaitingAcceptance() {
  const toast = useToast();
  const apply = useApply();
  const pending = useQuery(awaitingAcceptanceQuery);
  const { data: stats } = useQuery(buyerStatsQuery);
  const { rowProps } = useHighlight(!!pending.data);
  const [answer, setAnswer] = useState<Answer | null>(null);

  const accept = async (invoice: Invoice) => {
    apply((await invoiceApi.accept(invoice.id)).invoice);
    toast({ tone: 'success', title: 'Invoice accepted', body: `${invoice.invoice_number} is on the marketplace, marked as confirmed by you.` });
  };

  const actions = (invoice: Invoice) => (
    <>
      <button type="button" className="btn btn--ghost btn--sm" onClick={() => setAnswer({ kind: 'reject', invoice })} aria-label={`Reject ${invoice.invoice_number}`}>
        Reject
      </button>
      <button type="button" className="btn btn--primary btn--sm" onClick={() => setAnswer({ kind: 'accept', invoice })} aria-label={`Accept ${invoice.invoice_number}`}>
        Accept
      </button>
    </>
  );

  return (
    <Section title="Awaiting your acceptance">
      <QueryState
        query={pending}
        what="the invoices awaiting you"
        loading={<SkeletonList rows={2} label="Loading invoices awaiting you" />}
        isEmpty={(list) => list.length === 0}
        empty={
          <EmptyState icon={<Inbox size={28} aria-hidden="true" />} title="Nothing to accept">
            When a supplier lists an invoice against you, it waits here for you to confirm that you owe it.
          </EmptyState>
        }
      >
        {(list) => (
          <DataTable label="Invoices awaiting your acceptance" rows={list} columns={PENDING_COLUMNS} rowKey={(i) => i.id} actions={actions} rowProps={(invoice) => rowProps(invoice.id)} />
        )}
      </QueryState>

      {answer?.kind === 'accept' && (
        <ConfirmDialog
          title={`Accept ${answer.invoice.invoice_number}?`}
          message={`You confirm that you owe ${answer.invoice.seller_name} ${formatPaise(answer.invoice.amount)}, due ${formatDate(answer.invoice.due_date)}. This cannot be undone: investors fund it, and you repay them through the platform.`}
          confirmLabel="Accept invoice"
          onConfirm={() => accept(answer.invoice)}
          onClose={() => setAnswer(null)}
          explainError={(err) => explain(err, acceptWords(answer.invoice.due_date))}
        >
          {stats && (
            <p className="muted">
              Credit: {formatPaise(stats.exposure)} used, {creditHint(stats)}; this invoice adds {formatPaise(answer.invoice.amount)}.
            </p>
          )}
        </ConfirmDialog>
      )}
      {answer?.kind === 'reject' && (
        <RejectDialog
          invoice={answer.invoice}
          onClose={() => setAnswer(null)}
          onRejected={(invoice) => {
            apply(invoice);
            setAnswer(null);
            toast({ title: 'Invoice rejected', body: `${invoice.seller_name} is told why.` });
          }}
        />
      )}
    </Section>
  );
}

// ---------------------------------------------------------------- what you owe

/** Accepted invoices the buyer will pay: on the marketplace, or funded and to repay. */
const OWING = new Set<InvoiceStatus>(['listed', 'funded', 'overdue', 'defaulted']);
const REPAYABLE = new Set<InvoiceStatus>(['funded', 'overdue', 'defaulted']);

const owingOnly = (list: Invoice[]) =>
  list.filter((i) => i.buyer_confirmed && OWING.has(i.status)).sort((a, b) => a.due_date.localeCompare(b.due_date));

const OWED_COLUMNS: Column<Invoice>[] = [
  invoiceColumn((invoice) => `to ${invoice.seller_name}`),
  statusColumn,
  owedColumn,
  { header: 'Repaid', numeric: true, cell: (invoice) => formatPaise(invoice.repaid_amount) },
  dueColumn,
];

function WhatYouOwe() {
  const toast = useToast();
  const apply = useApply();
  const client = useQueryClient();
  const owing = useQuery({ ...myInvoicesQuery, select: owingOnly });
  const { data: wallet } = useQuery(walletQuery);
  const { rowProps } = useHighlight(!!owing.data);
  const [repayingId, setRepayingId] = useState<number | null>(null);
  // The dialog follows the invoice as events change it (late interest, another payment).
  const repaying = owing.data?.find((i) => i.id === repayingId);

  const actions = (invoice: Invoice) =>
    REPAYABLE.has(invoice.status) ? (
      <button type="button" className="btn btn--primary btn--sm" onClick={() => setRepayingId(invoice.id)} aria-label={`Repay ${invoice.invoice_number}`}>
        Repay
      </button>
    ) : (
      <span className="cell-sub">Being funded</span>
    );

  return (
    <Section title="What you owe">
      <QueryState
        query={owing}
        what="what you owe"
        loading={<SkeletonList rows={3} label="Loading what you owe" />}
        isEmpty={(list) => list.length === 0}
        empty={
          <EmptyState icon={<CheckCircle2 size={28} aria-hidden="true" />} title="You owe nothing right now">
            Invoices you accept show up here with their due dates, until you have repaid them.
          </EmptyState>
        }
      >
        {(list) => <DataTable label="Invoices you owe" rows={list} columns={OWED_COLUMNS} rowKey={(i) => i.id} actions={actions} rowProps={(invoice) => rowProps(invoice.id)} />}
      </QueryState>

      {repaying && (
        <RepayDialog
          invoice={repaying}
          walletBalance={wallet?.balance ?? null}
          onClose={() => setRepayingId(null)}
          onRepaid={(invoice) => {
            apply(invoice);
            void client.invalidateQueries({ queryKey: queryKeys.wallet });
            setRepayingId(null);
            toast({
              tone: 'success',
              title: invoice.status === 'settled' ? 'Invoice repaid in full' : 'Payment made',
              body:
                invoice.status === 'settled'
                  ? `${invoice.invoice_number} is settled.`
                  : `${formatPaise(invoice.owed)} is still owed on ${invoice.invoice_number}.`,
            });
          }}
        />
      )}
    </Section>
  );
}
