import * as Popover from '@radix-ui/react-popover';
import { LogOut } from 'lucide-react';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { authApi } from '../api/auth';
import type { Role } from '../api/types';
import { useAuth, useUser } from '../hooks/useAuth';
import { explain } from '../lib/explain';
import { updateUser } from '../lib/session';
import { Switch } from './Switch';

export const ROLE_LABELS: Record<Role, string> = {
  seller: 'Seller',
  investor: 'Investor',
  buyer: 'Buyer',
  operator: 'Operator',
};

/** Email notifications on or off (`PATCH /api/auth/me`); the answer is the stored user. */
function EmailSwitch() {
  const user = useUser();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const toggle = async () => {
    setBusy(true);
    setError(null);
    try {
      updateUser((await authApi.setEmailNotifications(!user.email_notifications)).user);
    } catch (err) {
      setError(explain(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="account__setting">
      <div className="account__switch-row">
        <span id="email-switch-label">Email notifications</span>
        <Switch
          checked={user.email_notifications}
          labelledBy="email-switch-label"
          describedBy="email-switch-hint"
          onToggle={toggle}
          disabled={busy}
        />
      </div>
      <p id="email-switch-hint" className="account__hint">
        {user.email_notifications ? `Each notification is also emailed to ${user.email}.` : 'Notifications stay in the bell only.'}
      </p>
      {error && (
        <p className="form-error" role="alert">
          Couldn't change it: {error}
        </p>
      )}
    </div>
  );
}

/** Who is signed in, their preferences, and Log out. */
export function AccountMenu() {
  const user = useUser();
  const { logout } = useAuth();
  const navigate = useNavigate();
  const [loggingOut, setLoggingOut] = useState(false);

  const onLogout = async () => {
    setLoggingOut(true);
    await logout();
    navigate('/login', { replace: true });
  };

  return (
    <Popover.Root>
      <Popover.Trigger className="user-chip" aria-label={`Account menu: ${user.name}`}>
        <span className="avatar" aria-hidden="true">
          {user.name.trim().charAt(0).toUpperCase() || '?'}
        </span>
        <span className="user-chip__text" aria-hidden="true">
          <span className="user-chip__name">{user.name}</span>
          <span className="user-chip__role">{ROLE_LABELS[user.role]}</span>
        </span>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content className="account" aria-label="Account" align="end" sideOffset={10} collisionPadding={8}>
          <div className="account__who">
            <strong>{user.name}</strong>
            <span className="account__hint">
              {user.email} · {ROLE_LABELS[user.role]}
            </span>
          </div>
          <EmailSwitch />
          <button type="button" className="btn btn--ghost btn--block" onClick={onLogout} disabled={loggingOut}>
            <LogOut size={16} aria-hidden="true" /> Log out
          </button>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
