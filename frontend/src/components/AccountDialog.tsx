import { useState } from 'react';
import { operatorApi } from '../api/mutations';
import type { User } from '../api/types';
import { explain } from '../lib/explain';
import { ROLE_LABELS } from './AccountMenu';
import { Dialog } from './Dialog';

interface Props {
  userId: number;
  /** How the page knows the account (a seller's or buyer's name), if it does. */
  name?: string;
  onClose(): void;
}

const WORDS = { not_found: 'There is no account with this id.', forbidden: 'Only operators may suspend accounts.' };

/**
 * Suspend an account (its sessions end at once on every device; it cannot log in; its
 * invoices stay) or lift the suspension. The answer is the account as it now stands.
 */
export function AccountDialog({ userId, name, onClose }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [user, setUser] = useState<User | null>(null);

  const run = async (action: 'suspend' | 'unsuspend') => {
    setBusy(true);
    setError(null);
    try {
      setUser((await operatorApi[action](userId)).user);
    } catch (err) {
      setError(explain(err, WORDS));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={`Account #${userId}${name ? `: ${name}` : ''}`}
      description="A suspended account is signed out at once on every device and cannot log in again until the suspension is lifted. Its invoices stay as they are."
      onClose={onClose}
      locked={busy}
      size="sm"
    >
      {user && (
        <p className="banner banner--info" aria-live="polite">
          {user.name} ({user.email}, {ROLE_LABELS[user.role]}) is {user.suspended ? 'suspended' : 'active'}.
        </p>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="modal__actions">
        <button type="button" className="btn btn--ghost" onClick={() => run('unsuspend')} disabled={busy}>
          Lift suspension
        </button>
        <button type="button" className="btn btn--danger" onClick={() => run('suspend')} disabled={busy}>
          Suspend account
        </button>
      </div>
    </Dialog>
  );
}
