// The bell's notifications: stored by the server (they survive a reload), pushed live by the
// `notification` event (realtime/events.ts), marked read here. Older ones load page by page.

import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { markNotificationsRead, unreadCountOf } from '../api/cache';
import { api, unwrap } from '../api/client';
import { notificationsQuery } from '../api/queries';
import type { AppNotification } from '../api/types';

type ReadRequest = { up_to_id: number; ids: null } | { up_to_id: null; ids: number[] };

const isCoveredBy = (request: ReadRequest) => (n: AppNotification) =>
  request.up_to_id !== null ? n.id <= request.up_to_id : request.ids.includes(n.id);

export function useNotifications() {
  const client = useQueryClient();
  const query = useInfiniteQuery(notificationsQuery);
  const read = useMutation({
    mutationFn: (request: ReadRequest) => unwrap(api.POST('/api/notifications/read', { body: request })),
    onSuccess: ({ unread_count }, request) =>
      markNotificationsRead(client, isCoveredBy(request), unread_count, new Date().toISOString()),
  });
  const newest = query.data?.pages[0]?.items[0];
  return {
    query,
    /** Null until the server has said. */
    unreadCount: unreadCountOf(query.data),
    markAllRead: () => newest && read.mutate({ up_to_id: newest.id, ids: null }),
    markRead: (id: number) => read.mutate({ up_to_id: null, ids: [id] }),
    isMarking: read.isPending,
  };
}
