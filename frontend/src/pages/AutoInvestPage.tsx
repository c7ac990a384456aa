import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Bot, Pencil, Plus, Trash2 } from 'lucide-react';
import { useId, useState } from 'react';
import { autoInvestApi } from '../api/mutations';
import { fillsQuery, queryKeys, rulesQuery } from '../api/queries';
import type { AutoInvestRule } from '../api/types';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { RuleFormDialog } from '../components/RuleFormDialog';
import { EmptyState, QueryState, SkeletonList } from '../components/States';
import { Switch } from '../components/Switch';
import { useToast } from '../components/Toasts';
import { usePageTitle } from '../hooks/usePageTitle';
import { budgetInWords, limitsInWords } from '../lib/autoInvest';
import { formatDateTime } from '../lib/dates';
import { explain } from '../lib/explain';
import { formatPaise } from '../lib/money';

const RULE_WORDS = { not_found: 'This rule no longer exists.' };

/** A rule's status in the server's words, with a tone: active, or why it is not filling. */
function statusTone(rule: AutoInvestRule): string {
  if (rule.status === 'active') return 'active';
  return rule.active ? 'overdue' : 'cancelled';
}

function Fills({ rule }: { rule: AutoInvestRule }) {
  const fills = useQuery(fillsQuery(rule.id));
  return (
    <div className="bids">
      <h3 className="bids__title">Fills</h3>
      <QueryState
        query={fills}
        what="the rule's fills"
        loading={<SkeletonList rows={1} label={`Loading the fills of rule #${rule.id}`} />}
        isEmpty={(list) => list.length === 0}
        empty={<p className="inv-card__meta">None yet: matching listings are filled as they arrive.</p>}
      >
        {(list) => (
          <ul className="bids__list" aria-label={`Fills of rule #${rule.id}`}>
            {list.map((fill) => (
              <li key={fill.id} className="bids__row">
                <span>
                  {formatPaise(fill.amount)} in invoice #{fill.invoice_id}
                  <span className="cell-sub"> · {formatDateTime(fill.created_at)}</span>
                </span>
                <span className="badge badge--auto">Auto</span>
              </li>
            ))}
          </ul>
        )}
      </QueryState>
    </div>
  );
}

function RuleCard({ rule, onEdit, onDelete }: { rule: AutoInvestRule; onEdit(): void; onDelete(): void }) {
  const client = useQueryClient();
  const toast = useToast();
  const switchId = useId();
  const [busy, setBusy] = useState(false);

  const toggle = async () => {
    setBusy(true);
    try {
      const { rule: changed } = await autoInvestApi.update(rule.id, { active: !rule.active });
      client.setQueryData<AutoInvestRule[]>(queryKeys.rules, (rules) => rules?.map((r) => (r.id === changed.id ? changed : r)));
    } catch (err) {
      toast({ tone: 'error', title: `Couldn't ${rule.active ? 'pause' : 'resume'} rule #${rule.id}`, body: explain(err, RULE_WORDS) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <article className="inv-card rule" aria-labelledby={`${switchId}-title`}>
      <header className="inv-card__header">
        <div className="inv-card__heading">
          <h2 id={`${switchId}-title`} className="inv-card__buyer">
            Rule #{rule.id}
          </h2>
          <span className={`badge badge--wrap badge--${statusTone(rule)}`}>{rule.status}</span>
        </div>
        <div className="rule__switch">
          <span id={switchId}>{rule.active ? 'On' : 'Paused'}</span>
          <Switch checked={rule.active} labelledBy={`${switchId}-title ${switchId}`} onToggle={toggle} disabled={busy} />
        </div>
      </header>
      <p className="rule-words">{limitsInWords(rule)}</p>
      <p className="inv-card__meta">{budgetInWords(rule)}</p>
      <Fills rule={rule} />
      <footer className="inv-card__footer">
        <button type="button" className="btn btn--ghost btn--sm" onClick={onEdit} aria-label={`Change rule #${rule.id}`}>
          <Pencil size={14} aria-hidden="true" /> Change
        </button>
        <button type="button" className="btn btn--ghost btn--sm" onClick={onDelete} aria-label={`Delete rule #${rule.id}`}>
          <Trash2 size={14} aria-hidden="true" /> Delete
        </button>
      </footer>
    </article>
  );
}

/** An investor's standing rules: each with its limits in words, its status, a switch and its fills (live). */
export function AutoInvestPage() {
  usePageTitle('Auto-invest');
  const client = useQueryClient();
  const toast = useToast();
  const rules = useQuery(rulesQuery);
  const [editing, setEditing] = useState<AutoInvestRule | 'new' | null>(null);
  const [deleting, setDeleting] = useState<AutoInvestRule | null>(null);

  const saved = (rule: AutoInvestRule) => {
    client.setQueryData<AutoInvestRule[]>(queryKeys.rules, (list) =>
      list && (list.some((r) => r.id === rule.id) ? list.map((r) => (r.id === rule.id ? rule : r)) : [...list, rule]),
    );
    setEditing(null);
    toast({ tone: 'success', title: `Rule #${rule.id} saved`, body: limitsInWords(rule) });
  };

  const remove = async (rule: AutoInvestRule) => {
    await autoInvestApi.remove(rule.id);
    client.setQueryData<AutoInvestRule[]>(queryKeys.rules, (list) => list?.filter((r) => r.id !== rule.id));
  };

  const newRule = (
    <button type="button" className="btn btn--primary" onClick={() => setEditing('new')}>
      <Plus size={16} aria-hidden="true" /> New rule
    </button>
  );

  return (
    <>
      <div className="page__header">
        <div>
          <h1 className="page__title">Auto-invest</h1>
          <p className="page__subtitle">Standing rules that fund new fixed-price listings for you, within a second of listing.</p>
        </div>
        {newRule}
      </div>
      <QueryState
        query={rules}
        what="your rules"
        loading={<SkeletonList rows={2} label="Loading your rules" />}
        isEmpty={(list) => list.length === 0}
        empty={
          <section className="card">
            <EmptyState icon={<Bot size={28} aria-hidden="true" />} title="No rules yet" action={newRule}>
              Say what you want to fund (a minimum yield, a longest tenor, how much per invoice, a budget) and new listings that
              match are funded for you as they arrive.
            </EmptyState>
          </section>
        }
      >
        {(list) => (
          <div className="inv-grid">
            {list.map((rule) => (
              <RuleCard key={rule.id} rule={rule} onEdit={() => setEditing(rule)} onDelete={() => setDeleting(rule)} />
            ))}
          </div>
        )}
      </QueryState>
      {editing && <RuleFormDialog rule={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} onSaved={saved} />}
      {deleting && (
        <ConfirmDialog
          title={`Delete rule #${deleting.id}?`}
          message="It stops funding new listings. What it invested stays in your portfolio."
          confirmLabel="Delete rule"
          tone="danger"
          onConfirm={() => remove(deleting)}
          onClose={() => setDeleting(null)}
          explainError={(err) => explain(err, RULE_WORDS)}
        />
      )}
    </>
  );
}
