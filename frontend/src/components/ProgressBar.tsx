import { fundedShareBps, formatPaise } from '../lib/money';

interface Props {
  funded: number;
  target: number;
  /** Accessible name, e.g. "Funding progress for INV-1". */
  label: string;
  compact?: boolean;
}

/** Funding progress of an invoice: funded_amount out of funding_target. */
export function ProgressBar({ funded, target, label, compact }: Props) {
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
        aria-valuetext={`${percent} funded, ${formatPaise(funded)} of ${formatPaise(target)}`}
      >
        <div className="progress__fill" style={{ width: `${bps / 100}%` }} />
      </div>
      {!compact && (
        <div className="progress__legend">
          <span>{percent} funded</span>
          <span>
            {formatPaise(funded)} / {formatPaise(target)}
          </span>
        </div>
      )}
    </div>
  );
}
