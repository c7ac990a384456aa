import { useQueryClient } from '@tanstack/react-query';
import { CloudOff } from 'lucide-react';
import { useEffect, useSyncExternalStore } from 'react';
import { serviceHealth } from '../lib/serviceHealth';

/**
 * While the API answers 503 `service_unavailable`, one banner instead of error pages: what is
 * on screen stays. Queries retry by themselves after Retry-After (api/queryClient.ts); if none
 * is retrying (the 503 came from an action), the shown queries are asked again then, so the
 * banner clears by itself as soon as a request succeeds.
 */
export function OutageBanner() {
  const client = useQueryClient();
  const outage = useSyncExternalStore(serviceHealth.subscribe, serviceHealth.getSnapshot);

  useEffect(() => {
    if (!outage) return;
    const timer = setTimeout(
      () => void client.refetchQueries({ type: 'active', predicate: (query) => query.state.fetchStatus === 'idle' }),
      Math.max(0, outage.retryAt - Date.now()),
    );
    return () => clearTimeout(timer);
  }, [client, outage]);

  if (!outage) return null;
  return (
    <div className="banner banner--warning outage" aria-live="assertive">
      <CloudOff size={18} aria-hidden="true" />
      <span>Can't reach the marketplace right now; retrying. What you see stays on screen and may be out of date.</span>
    </div>
  );
}
