import { useIsConnected } from '../realtime/RealTimeProvider';

/** Live / Offline: the state of this tab's socket. */
export function ConnectionIndicator() {
  const isConnected = useIsConnected();
  return (
    <div
      role="status"
      className={`conn ${isConnected ? 'conn--live' : 'conn--offline'}`}
      title={isConnected ? 'Receiving live updates' : 'Not connected: reconnecting…'}
    >
      <span className="conn__dot" aria-hidden="true" />
      {isConnected ? 'Live' : 'Offline'}
    </div>
  );
}
