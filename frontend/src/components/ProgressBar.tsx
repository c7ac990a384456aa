import { fundedShareBps, formatPaise } from '../lib/money';

interface Props {
  funded: number;
  target: number;
  /** Accessible name, e.g. "Funding progress for INV-1". */
  label: string;
  compact?: boolean;
  /** What the share is of: money funded, or an auction's face value covered by bids. */
  unit?: 'funded' | 'covered';
}

/** Funding progress of an invoice (funded_amount out of funding_target), or an auction's cover. */
export function ProgressBar({ funded, target, label, compact, unit = 'funded' }: Props) {
  const bps = fundedShareBps(funded, target);
  const percent = `${Math.floor(bps / 100)}%`;
  return (
    <div className={`progress ${compact ? 'progress--compact' : ''}`}>
      <div
        className="progress__track"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.floor(bps / 100)}
        aria-valuetext={`${percent} ${unit}, ${formatPaise(funded)} of ${formatPaise(target)}`}
      >
        <div className="progress__fill" style={{ width: `${bps / 100}%` }} />
      </div>
      {!compact && (
        <div className="progress__legend">
          <span>
            {percent} {unit}
          </span>
          <span>
            {formatPaise(funded)} / {formatPaise(target)}
          </span>
        </div>
      )}
    </div>
  );
}
