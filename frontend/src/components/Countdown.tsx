import { Timer } from 'lucide-react';
import { useState } from 'react';
import { useServerNow } from '../hooks/useServerNow';
import { describeExtension, durationInWords, formatClockTime, formatDuration, secondsLeft } from '../lib/countdown';

interface Props {
  closesAt: string;
  /** How many times a late bid pushed the close back: a new one is announced. */
  extensions: number;
}

/**
 * Time left until an auction closes, ticking by the server's clock (not the browser's). When a
 * late bid extends it, says by how much and until when: "+2:00, closes 14:32:10".
 */
export function Countdown({ closesAt, extensions }: Props) {
  const left = secondsLeft(closesAt, useServerNow());
  // What the close was at the last render: a later one with more extensions was an extension.
  const [seen, setSeen] = useState({ closesAt, extensions, notice: null as string | null });
  if (closesAt !== seen.closesAt) {
    setSeen({ closesAt, extensions, notice: extensions > seen.extensions ? describeExtension(seen.closesAt, closesAt) : seen.notice });
  }

  return (
    <div className="countdown">
      <div className={`countdown__clock ${left <= 60 ? 'countdown__clock--ending' : ''}`}>
        <Timer size={16} aria-hidden="true" />
        {left > 0 ? (
          <span>
            Closes in{' '}
            <time dateTime={closesAt} aria-label={`${durationInWords(left)}, at ${formatClockTime(closesAt)}`} className="countdown__time">
              {formatDuration(left)}
            </time>
          </span>
        ) : (
          <span>Closing…</span>
        )}
      </div>
      <div className="countdown__note" aria-live="polite">
        {seen.notice ? <span className="badge badge--new">Extended {seen.notice}</span> : `at ${formatClockTime(closesAt)}`}
      </div>
    </div>
  );
}
