// The bell's notifications: stored by the server (they survive a reload), pushed live by the
// `notification` event (realtime/events.ts), marked read here.

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { markNotificationsRead } from '../api/cache';
import { callJson } from '../api/client';
import { notificationsQuery } from '../api/queries';

type ReadRequest = { up_to_id: number } | { ids: number[] };

export function useNotifications() {
  const client = useQueryClient();
  const query = useQuery(notificationsQuery);
  const read = useMutation({
    mutationFn: (request: ReadRequest) => callJson<{ unread_count: number }>('POST', '/api/notifications/read', request),
    onSuccess: ({ unread_count }, request) => {
      const isRead = 'up_to_id' in request ? (n: { id: number }) => n.id <= request.up_to_id : (n: { id: number }) => request.ids.includes(n.id);
      markNotificationsRead(client, isRead, unread_count, new Date().toISOString());
    },
  });
  const newest = query.data?.items[0];
  return {
    query,
    /** Null until the server has said. */
    unreadCount: query.data?.unread_count ?? null,
    markAllRead: () => newest && read.mutate({ up_to_id: newest.id }),
    markRead: (id: number) => read.mutate({ ids: [id] }),
    isMarking: read.isPending,
  };
}
