import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Building2 } from 'lucide-react';
import { useState } from 'react';
import { applyBuyer } from '../../api/cache';
import { buyersQuery } from '../../api/queries';
import type { Buyer } from '../../api/types';
import { AccountButton } from '../../components/AccountButton';
import { CreditLimitDialog } from '../../components/CreditLimitDialog';
import { DataTable, type Column } from '../../components/DataTable';
import { SearchBox } from '../../components/SearchBox';
import { Section } from '../../components/Section';
import { EmptyState, QueryState, SkeletonList } from '../../components/States';
import { useToast } from '../../components/Toasts';
import { useDebouncedValue } from '../../hooks/useDebouncedValue';
import { usePageTitle } from '../../hooks/usePageTitle';
import { creditRoom } from '../../lib/buyers';
import { formatPaise } from '../../lib/money';
import { OperatorHeader } from './OperatorHeader';

const SHOWN = 50;

const COLUMNS: Column<Buyer>[] = [
  {
    header: 'Buyer',
    phone: 'title',
    cell: (buyer) => (
      <>
        <div className="cell-title">{buyer.name}</div>
        <div className="cell-sub">
          <AccountButton userId={buyer.id} name={buyer.name}>
            Account #{buyer.id}
          </AccountButton>
        </div>
      </>
    ),
  },
  { header: 'Credit limit', numeric: true, cell: (buyer) => (buyer.credit_limit === null ? 'No limit' : formatPaise(buyer.credit_limit)) },
  { header: 'Owes on accepted invoices', numeric: true, cell: (buyer) => formatPaise(buyer.exposure) },
  {
    header: 'Room left',
    numeric: true,
    cell: (buyer) => {
      const room = creditRoom(buyer);
      return room === null ? '—' : formatPaise(room);
    },
  },
];

/** Registered buyers, what each owes, and its credit limit. */
export function BuyersPage() {
  usePageTitle('Buyers and credit');
  const toast = useToast();
  const client = useQueryClient();
  const [text, setText] = useState('');
  const prefix = useDebouncedValue(text.trim(), 250);
  const buyers = useQuery({ ...buyersQuery(prefix, SHOWN), placeholderData: keepPreviousData });
  const [editing, setEditing] = useState<Buyer | null>(null);

  const actions = (buyer: Buyer) => (
    <button type="button" className="btn btn--ghost btn--sm" onClick={() => setEditing(buyer)} aria-label={`Set limit for ${buyer.name}`}>
      Set limit
    </button>
  );

  return (
    <>
      <OperatorHeader title="Buyers" subtitle="Registered buyers, what each owes on the invoices it accepted, and its credit limit." />
      <Section
        title="Registered buyers"
        extra={
          <SearchBox id="buyer-search" label="Search buyers" placeholder="Name starts with…" value={text} onChange={setText} />
        }
      >
        <QueryState
          query={buyers}
          what="the buyers"
          loading={<SkeletonList rows={4} label="Loading the buyers" />}
          isEmpty={(list) => list.length === 0}
          empty={
            <EmptyState icon={<Building2 size={28} aria-hidden="true" />} title={prefix ? `No buyer's name starts with “${prefix}”` : 'No buyers registered yet'}>
              Companies register as buyers to confirm the invoices their suppliers list.
            </EmptyState>
          }
        >
          {(list) => <DataTable label="Registered buyers" rows={list} columns={COLUMNS} rowKey={(b) => b.id} actions={actions} />}
        </QueryState>
      </Section>

      {editing && (
        <CreditLimitDialog
          buyer={editing}
          onClose={() => setEditing(null)}
          onSaved={(buyer) => {
            applyBuyer(client, buyer);
            setEditing(null);
            toast({
              tone: 'success',
              title: 'Credit limit saved',
              body: `${buyer.name}: ${buyer.credit_limit === null ? 'no limit' : formatPaise(buyer.credit_limit)}.`,
            });
          }}
        />
      )}
    </>
  );
}
