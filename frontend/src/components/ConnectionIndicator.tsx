import { useRealTimeData } from '../hooks/useRealTimeData';

/** 🟢 Live / 🔴 Offline: the state of this tab's socket. */
export function ConnectionIndicator() {
  const { isConnected } = useRealTimeData();
  return (
    <div
      role="status"
      className={`conn ${isConnected ? 'conn--live' : 'conn--offline'}`}
      title={isConnected ? 'Receiving live updates' : 'Not connected: reconnecting…'}
    >
      <span aria-hidden="true">{isConnected ? '🟢' : '🔴'}</span> {isConnected ? 'Live' : 'Offline'}
    </div>
  );
}
