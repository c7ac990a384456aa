import * as Popover from '@radix-ui/react-popover';
import { Bell, BellOff } from 'lucide-react';
import { useNavigate } from 'react-router';
import type { AppNotification, Role } from '../api/types';
import { useUser } from '../hooks/useAuth';
import { useNotifications } from '../hooks/useNotifications';
import { formatDateTime } from '../lib/dates';
import { LoadMore } from './LoadMore';
import { EmptyState, QueryState, SkeletonList } from './States';

/** Where a notification about an invoice takes each role. */
const INVOICE_PAGE: Record<Role, (invoiceId: number) => string> = {
  seller: (id) => `/dashboard?invoice=${id}`,
  buyer: (id) => `/dashboard?invoice=${id}`,
  investor: (id) => `/portfolio?invoice=${id}`,
  operator: (id) => `/operator/audit?target_type=invoice&target_id=${id}`,
};

/** The bell with its unread count, and the panel of the notifications the server keeps. */
export function NotificationBell() {
  const user = useUser();
  const navigate = useNavigate();
  const { query, unreadCount, markAllRead, markRead, isMarking } = useNotifications();
  const hasUnread = !!unreadCount && unreadCount > 0;

  const open = (notification: AppNotification) => {
    if (notification.read_at === null) markRead(notification.id);
    if (notification.invoice_id !== null) navigate(INVOICE_PAGE[user.role](notification.invoice_id));
  };

  return (
    <Popover.Root>
      {/* The badge sits beside the button, so the button's name is its label alone. */}
      <div className="bell">
        <Popover.Trigger
          className={`icon-btn bell__button ${hasUnread ? 'bell__button--unread' : ''}`}
          aria-label={unreadCount === null ? 'Notifications' : `Notifications (${unreadCount} unread)`}
        >
          <Bell size={20} aria-hidden="true" />
        </Popover.Trigger>
        {hasUnread && (
          <span className="bell__badge" aria-hidden="true">
            {unreadCount > 99 ? '99+' : unreadCount}
          </span>
        )}
      </div>
      <Popover.Portal>
        <Popover.Content className="bell__panel" aria-label="Notification list" align="end" sideOffset={10} collisionPadding={8}>
          <header className="bell__header">
            <h2 className="bell__title">Notifications</h2>
            <button type="button" className="link-btn" onClick={markAllRead} disabled={!hasUnread || isMarking}>
              Mark all read
            </button>
          </header>
          <QueryState
            query={query}
            what="your notifications"
            loading={<SkeletonList rows={3} label="Loading notifications" />}
            isEmpty={(data) => data.pages.every((page) => page.items.length === 0)}
            empty={
              <EmptyState icon={<BellOff size={24} aria-hidden="true" />} title="You're all caught up">
                Fundings, repayments and other news about your invoices will show up here.
              </EmptyState>
            }
          >
            {(data) => (
              <div className="bell__scroll">
                <ul className="bell__list">
                  {data.pages
                    .flatMap((page) => page.items)
                    .map((n) => (
                      <li key={n.id} className={`bell__item ${n.read_at === null ? 'bell__item--unread' : ''}`}>
                        <button type="button" className="bell__open" onClick={() => open(n)}>
                          <span className="bell__item-title">
                            {n.read_at === null && <span className="visually-hidden">Unread: </span>}
                            {n.title}
                          </span>
                          <span className="bell__item-body">{n.body}</span>
                          <span className="bell__item-time">{formatDateTime(n.created_at)}</span>
                        </button>
                      </li>
                    ))}
                </ul>
                <LoadMore query={query} label="Load older" done="No older notifications." />
              </div>
            )}
          </QueryState>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
