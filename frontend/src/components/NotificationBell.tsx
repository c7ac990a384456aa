import { useEffect, useId, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { AUTO_DISMISS_MS, useRealTimeData } from '../hooks/useRealTimeData';
import { formatDateTime } from '../lib/dates';
import type { AppNotification } from '../lib/notifications';
import { BellIcon, CloseIcon } from './Icons';

const KIND_ICON: Record<AppNotification['kind'], string> = {
  new_invoice: '🧾',
  invoice_funded: '💸',
  investment: '✅',
  repayment: '💰',
  refund: '↩️',
};

/** The bell with its unread badge, and the panel of notifications it opens. */
export function NotificationBell() {
  const {
    realTimeData: { notifications },
    unreadCount,
    removeNotification,
    clearNotifications,
    markAllRead,
    autoDismiss,
    setAutoDismiss,
  } = useRealTimeData();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const navigate = useNavigate();

  // Seen while the panel is open = read.
  useEffect(() => {
    if (open && unreadCount > 0) markAllRead();
  }, [open, unreadCount, markAllRead]);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: MouseEvent) => {
      if (rootRef.current && !rootRef.current.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false);
    };
    document.addEventListener('mousedown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const openNotification = (notification: AppNotification) => {
    removeNotification(notification.id);
    setOpen(false);
    navigate(notification.href);
  };

  return (
    <div className="bell" ref={rootRef}>
      <button
        type="button"
        className={`icon-btn bell__button ${unreadCount > 0 ? 'bell__button--unread' : ''}`}
        aria-label={`Notifications (${unreadCount} unread)`}
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        onClick={() => setOpen((v) => !v)}
      >
        <BellIcon size={20} />
        {unreadCount > 0 && (
          <span className="bell__badge" aria-hidden="true">
            {unreadCount > 99 ? '99+' : unreadCount}
          </span>
        )}
      </button>

      {open && (
        <section id={panelId} className="bell__panel" aria-label="Notification list">
          <header className="bell__header">
            <h2 className="bell__title">Notifications</h2>
            <button type="button" className="link-btn" onClick={clearNotifications} disabled={notifications.length === 0}>
              Clear all
            </button>
          </header>

          {notifications.length === 0 ? (
            <div className="bell__empty">
              <span aria-hidden="true">🔕</span>
              <p>You're all caught up.</p>
              <p className="muted">New listings, fundings and repayments will show up here as they happen.</p>
            </div>
          ) : (
            <ul className="bell__list">
              {notifications.map((n) => (
                <li key={n.id} className="bell__item">
                  <button type="button" className="bell__open" onClick={() => openNotification(n)}>
                    <span className="bell__icon" aria-hidden="true">
                      {KIND_ICON[n.kind]}
                    </span>
                    <span className="bell__text">
                      <span className="bell__item-title">{n.title}</span>
                      <span className="bell__item-body">{n.body}</span>
                      <span className="bell__item-time">{formatDateTime(n.occurredAt)}</span>
                    </span>
                  </button>
                  <button
                    type="button"
                    className="icon-btn icon-btn--sm"
                    aria-label={`Dismiss: ${n.title}`}
                    onClick={() => removeNotification(n.id)}
                  >
                    <CloseIcon size={14} />
                  </button>
                </li>
              ))}
            </ul>
          )}

          <footer className="bell__footer">
            <label className="switch">
              <input type="checkbox" checked={autoDismiss} onChange={(e) => setAutoDismiss(e.target.checked)} />
              <span className="switch__track" aria-hidden="true" />
              <span>Auto-dismiss after {AUTO_DISMISS_MS / 1000} seconds</span>
            </label>
          </footer>
        </section>
      )}
    </div>
  );
}
