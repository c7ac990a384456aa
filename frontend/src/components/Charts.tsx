// Two small hand-drawn SVG charts (no chart library: a few hundred bytes instead of a few
// hundred kilobytes). Money is summed in BigInt; only the pixel geometry uses floats.

import { formatPaise, formatPaiseCompact } from '../lib/money';

export interface Bar {
  key: string;
  label: string;
  value: bigint;
}

/** Vertical bars, e.g. expected cash flows by maturity month. */
export function BarChart({ bars, title }: { bars: Bar[]; title: string }) {
  const width = 520;
  const height = 220;
  const pad = { top: 16, right: 8, bottom: 28, left: 8 };
  const max = bars.reduce((m, b) => (b.value > m ? b.value : m), 0n);
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const slot = bars.length > 0 ? innerW / bars.length : innerW;
  const barW = Math.min(48, slot * 0.6);
  const scale = (v: bigint) => (max > 0n ? Number((v * 10_000n) / max) / 10_000 : 0);

  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title} className="chart__svg">
        {[0.25, 0.5, 0.75, 1].map((f) => (
          <line key={f} x1={pad.left} x2={width - pad.right} y1={pad.top + innerH * (1 - f)} y2={pad.top + innerH * (1 - f)} className="chart__grid" />
        ))}
        {bars.map((bar, i) => {
          const h = Math.max(2, innerH * scale(bar.value));
          const x = pad.left + slot * i + (slot - barW) / 2;
          const y = pad.top + innerH - h;
          return (
            <g key={bar.key}>
              <title>{`${bar.label}: ${formatPaise(bar.value)}`}</title>
              <rect x={x} y={y} width={barW} height={h} rx={6} className="chart__bar" />
              <text x={x + barW / 2} y={y - 4} textAnchor="middle" className="chart__value">
                {formatPaiseCompact(bar.value)}
              </text>
              <text x={x + barW / 2} y={height - 8} textAnchor="middle" className="chart__label">
                {bar.label}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="visually-hidden">
        {bars.map((b) => `${b.label}: ${formatPaise(b.value)}`).join('; ')}
      </figcaption>
    </figure>
  );
}

const PALETTE = ['#2563eb', '#10b981', '#f59e0b', '#8b5cf6', '#ef4444', '#06b6d4', '#ec4899', '#84cc16'];

/** A donut of how the money is spread, with a legend. */
export function DonutChart({ slices, title }: { slices: Bar[]; title: string }) {
  const total = slices.reduce((s, x) => s + x.value, 0n);
  const r = 60;
  const c = 2 * Math.PI * r;
  let offset = 0;
  return (
    <figure className="donut">
      <svg viewBox="0 0 160 160" role="img" aria-label={title} className="donut__svg">
        <circle cx="80" cy="80" r={r} className="donut__track" />
        {total > 0n &&
          slices.map((slice, i) => {
            const share = Number((slice.value * 10_000n) / total) / 10_000;
            const dash = share * c;
            const el = (
              <circle
                key={slice.key}
                cx="80"
                cy="80"
                r={r}
                fill="none"
                stroke={PALETTE[i % PALETTE.length]}
                strokeWidth="22"
                strokeDasharray={`${dash} ${c - dash}`}
                strokeDashoffset={-offset}
                transform="rotate(-90 80 80)"
              >
                <title>{`${slice.label}: ${formatPaise(slice.value)}`}</title>
              </circle>
            );
            offset += dash;
            return el;
          })}
        <text x="80" y="76" textAnchor="middle" className="donut__center-label">
          Total
        </text>
        <text x="80" y="96" textAnchor="middle" className="donut__center-value">
          {formatPaiseCompact(total)}
        </text>
      </svg>
      <figcaption>
        <ul className="legend">
          {slices.map((slice, i) => (
            <li key={slice.key}>
              <span className="legend__swatch" style={{ background: PALETTE[i % PALETTE.length] }} aria-hidden="true" />
              <span className="legend__label">{slice.label}</span>
              <span className="legend__value">{formatPaise(slice.value)}</span>
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
