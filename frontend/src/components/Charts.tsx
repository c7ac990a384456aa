// Charts drawn by Recharts. Each sits in a <figure> whose picture is hidden from screen readers
// and whose numbers are also written in the page (a caption, a legend or a table), so nothing is
// only in the picture. Money is summed in BigInt and shown exact; only the geometry uses floats.

import type { ReactNode } from 'react';
import { Bar as RechartsBar, BarChart, CartesianGrid, Cell, ComposedChart, Line, LineChart, Pie, PieChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatBps, formatPaise, formatPaiseCompact } from '../lib/money';

export interface Bar {
  key: string;
  label: string;
  value: bigint;
}

const PALETTE = ['#2563eb', '#10b981', '#f59e0b', '#8b5cf6', '#ef4444', '#06b6d4', '#ec4899', '#84cc16'];

/** Paise as rupees for the geometry only (every label is formatted from the exact value). */
const rupees = (paise: bigint | number) => Number(paise) / 100;
const compactRupees = (value: number) => formatPaiseCompact(BigInt(Math.round(value * 100)));

/** The numbers of a chart beside their colours. */
function ChartLegend({ items }: { items: { key: string; label: string; value: string; colour?: string }[] }) {
  return (
    <ul className="legend">
      {items.map((item) => (
        <li key={item.key}>
          <span className="legend__swatch" style={item.colour ? { background: item.colour } : undefined} aria-hidden="true" />
          <span className="legend__label">{item.label}</span>
          <span className="legend__value">{item.value}</span>
        </li>
      ))}
    </ul>
  );
}

const colour = (i: number) => PALETTE[i % PALETTE.length];

/** A chart and the same numbers in words or a table. */
export function ChartFigure({ title, height = 220, children, numbers }: { title: string; height?: number; children: ReactNode; numbers: ReactNode }) {
  return (
    <figure className="chart" aria-label={title}>
      <div className="chart__picture" aria-hidden="true" style={{ height }}>
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </div>
      <figcaption className="chart__numbers">{numbers}</figcaption>
    </figure>
  );
}

/** Vertical bars, e.g. expected cash flows by maturity month. */
export function MonthlyBars({ bars, title }: { bars: Bar[]; title: string }) {
  const data = bars.map((bar) => ({ label: bar.label, value: rupees(bar.value) }));
  return (
    <ChartFigure
      title={title}
      numbers={<span className="visually-hidden">{bars.map((b) => `${b.label}: ${formatPaise(b.value)}`).join('; ')}</span>}
    >
      <BarChart data={data} accessibilityLayer={false} margin={{ top: 16, right: 8, bottom: 0, left: 8 }}>
        <CartesianGrid vertical={false} stroke="#eef1f6" />
        <XAxis dataKey="label" tickLine={false} axisLine={false} fontSize={11} />
        <YAxis hide />
        <RechartsBar dataKey="value" fill={PALETTE[0]} radius={[6, 6, 0, 0]} maxBarSize={48} label={{ position: 'top', fontSize: 11, formatter: (v: unknown) => compactRupees(Number(v)) }} isAnimationActive={false} />
      </BarChart>
    </ChartFigure>
  );
}

/** A donut of how the money is spread, with a legend that carries the numbers. */
export function Donut({ slices, title }: { slices: Bar[]; title: string }) {
  const total = slices.reduce((sum, slice) => sum + slice.value, 0n);
  const data = slices.map((slice) => ({ name: slice.label, value: rupees(slice.value) }));
  return (
    <div className="donut">
      <ChartFigure
        title={title}
        height={160}
        numbers={
          <ChartLegend
            items={[
              ...slices.map((slice, i) => ({ key: slice.key, label: slice.label, value: formatPaise(slice.value), colour: colour(i) })),
              { key: '__total', label: 'Total', value: formatPaise(total) },
            ]}
          />
        }
      >
        <PieChart accessibilityLayer={false}>
          <Pie data={data} dataKey="value" nameKey="name" innerRadius="62%" outerRadius="95%" stroke="none" rootTabIndex={-1} isAnimationActive={false}>
            {data.map((slice, i) => (
              <Cell key={slice.name} fill={colour(i)} />
            ))}
          </Pie>
        </PieChart>
      </ChartFigure>
    </div>
  );
}

export interface DayVolume {
  label: string;
  listed: number;
  funded: number;
  /** Paise funded that day. */
  volume: bigint;
}

/** 30 days: money funded each day (bars) and how many invoices were listed and funded (lines). */
export function VolumeChart({ days, title, numbers }: { days: DayVolume[]; title: string; numbers: ReactNode }) {
  const data = days.map((day) => ({ ...day, volume: rupees(day.volume) }));
  return (
    <ChartFigure title={title} height={240} numbers={numbers}>
      <ComposedChart data={data} accessibilityLayer={false} margin={{ top: 8, right: 0, bottom: 0, left: 0 }}>
        <CartesianGrid vertical={false} stroke="#eef1f6" />
        <XAxis dataKey="label" tickLine={false} fontSize={11} interval="preserveStartEnd" minTickGap={24} />
        <YAxis yAxisId="money" tickFormatter={compactRupees} fontSize={11} width={56} />
        <YAxis yAxisId="count" orientation="right" allowDecimals={false} fontSize={11} width={28} />
        <Tooltip formatter={(value, name) => (name === 'Funded (₹)' ? compactRupees(Number(value)) : value)} />
        <RechartsBar yAxisId="money" dataKey="volume" name="Funded (₹)" fill={PALETTE[0]} radius={[4, 4, 0, 0]} isAnimationActive={false} />
        <Line yAxisId="count" dataKey="listed" name="Listed" stroke={PALETTE[2]} dot={false} strokeWidth={2} isAnimationActive={false} />
        <Line yAxisId="count" dataKey="funded" name="Funded" stroke={PALETTE[1]} dot={false} strokeWidth={2} isAnimationActive={false} />
      </ComposedChart>
    </ChartFigure>
  );
}

export interface DayYield {
  label: string;
  /** The day's face-weighted average yield of what was funded, in bps; null: nothing funded. */
  yieldBps: number | null;
}

/** The yield of what was funded each day, as a line (days with no funding leave a gap). */
export function YieldChart({ days, title, numbers }: { days: DayYield[]; title: string; numbers: ReactNode }) {
  const data = days.map((day) => ({ label: day.label, yield: day.yieldBps === null ? null : day.yieldBps / 100 }));
  return (
    <ChartFigure title={title} height={180} numbers={numbers}>
      <LineChart data={data} accessibilityLayer={false} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid vertical={false} stroke="#eef1f6" />
        <XAxis dataKey="label" tickLine={false} fontSize={11} interval="preserveStartEnd" minTickGap={24} />
        <YAxis tickFormatter={(value: number) => `${value}%`} fontSize={11} width={44} />
        <Tooltip formatter={(value) => formatBps(Math.round(Number(value) * 100))} />
        <Line dataKey="yield" name="Average yield" stroke={PALETTE[1]} strokeWidth={2} connectNulls={false} isAnimationActive={false} />
      </LineChart>
    </ChartFigure>
  );
}

export interface Share {
  label: string;
  value: number;
  /** The value as the page writes it ("2 h 5 min", "31.5 %"). */
  text: string;
}

/** Horizontal bars of a few named values (buyer shares, time to fund), each written beside it. */
export function ShareBars({ shares, title }: { shares: Share[]; title: string }) {
  return (
    <ChartFigure
      title={title}
      height={Math.max(80, shares.length * 36)}
      numbers={<ChartLegend items={shares.map((share, i) => ({ key: share.label, label: share.label, value: share.text, colour: colour(i) }))} />}
    >
      <BarChart data={shares} layout="vertical" accessibilityLayer={false} margin={{ top: 0, right: 16, bottom: 0, left: 0 }}>
        <XAxis type="number" hide />
        <YAxis type="category" dataKey="label" hide />
        <RechartsBar dataKey="value" radius={[0, 6, 6, 0]} isAnimationActive={false}>
          {shares.map((share, i) => (
            <Cell key={share.label} fill={colour(i)} />
          ))}
        </RechartsBar>
      </BarChart>
    </ChartFigure>
  );
}
