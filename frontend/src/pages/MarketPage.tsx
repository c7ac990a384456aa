import { useQuery } from '@tanstack/react-query';
import { Activity } from 'lucide-react';
import { marketStatsQuery } from '../api/queries';
import type { MarketStats } from '../api/types';
import { ShareBars, VolumeChart, YieldChart } from '../components/Charts';
import { Section } from '../components/Section';
import { StatCard, type StatCardProps } from '../components/StatCard';
import { EmptyState, QueryState, SkeletonList } from '../components/States';
import { usePageTitle } from '../hooks/usePageTitle';
import { formatDate } from '../lib/dates';
import { formatDayShort, formatPercent, formatSeconds, trendInWords, weekTrend } from '../lib/market';
import { formatBps, formatPaise } from '../lib/money';

function keyFigures(stats: MarketStats): StatCardProps[] {
  const listed = weekTrend(stats.daily, (day) => day.listed);
  const funded = weekTrend(stats.daily, (day) => day.funded);
  const volume = weekTrend(stats.daily, (day) => day.volume);
  return [
    { label: 'Funded in 7 days', value: formatPaise(stats.volume_funded_7d), tone: 'accent', hint: trendInWords(volume) },
    { label: 'Invoices listed in 7 days', value: listed.current.toString(), hint: `${stats.listed_today} today · ${trendInWords(listed)}` },
    { label: 'Invoices funded in 7 days', value: funded.current.toString(), hint: `${stats.funded_today} today · ${trendInWords(funded)}` },
    { label: 'Average yield, 7 days', value: formatBps(stats.avg_yield_bps_7d), tone: 'positive', hint: 'Weighted by face value' },
    { label: 'Funded in 30 days', value: formatPaise(stats.volume_funded_30d), hint: `${formatPercent(stats.fully_funded_pct_30d)} of listings fully funded` },
    {
      label: 'Time to fund (median)',
      value: formatSeconds(stats.time_to_fund_p50_s),
      hint: stats.time_to_fund_p90_s === null ? 'No invoice funded in 7 days' : `9 in 10 within ${formatSeconds(stats.time_to_fund_p90_s)} (7 days)`,
    },
    { label: 'Overdue', value: formatPercent(stats.overdue_pct), hint: 'Of the face value outstanding' },
    { label: 'Defaulted', value: formatPercent(stats.default_pct), hint: 'Of the face value ever funded' },
  ];
}

function DailyTable({ stats }: { stats: MarketStats }) {
  return (
    <details className="chart__details">
      <summary>Every day in a table</summary>
      <div className="table-wrap">
        <table className="table" aria-label="Listed and funded each day">
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col" className="num">
                Listed
              </th>
              <th scope="col" className="num">
                Funded
              </th>
              <th scope="col" className="num">
                Amount funded
              </th>
              <th scope="col" className="num">
                Average yield
              </th>
            </tr>
          </thead>
          <tbody>
            {[...stats.daily].reverse().map((day) => (
              <tr key={day.date}>
                <td>{formatDate(day.date)}</td>
                <td className="num">{day.listed}</td>
                <td className="num">{day.funded}</td>
                <td className="num">{formatPaise(day.volume)}</td>
                <td className="num">{day.funded ? formatBps(day.avg_yield_bps) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

/** The yield trend in a sentence: the first and last days with fundings, and the range. */
export function yieldInWords(stats: MarketStats): string {
  const days = stats.daily.filter((day) => day.funded > 0);
  if (days.length === 0) return 'No invoice was funded in the last 30 days.';
  const yields = days.map((day) => day.avg_yield_bps);
  const first = days[0];
  const last = days[days.length - 1];
  return (
    `From ${formatBps(first.avg_yield_bps)} on ${formatDate(first.date)} to ${formatBps(last.avg_yield_bps)} on ${formatDate(last.date)}; ` +
    `between ${formatBps(Math.min(...yields))} and ${formatBps(Math.max(...yields))} over the ${days.length} days with fundings.`
  );
}

function MarketCharts({ stats }: { stats: MarketStats }) {
  const days = stats.daily.map((day) => ({ label: formatDayShort(day.date), listed: day.listed, funded: day.funded, volume: BigInt(day.volume) }));
  const total = stats.daily.reduce((sum, day) => sum + BigInt(day.volume), 0n);
  const listed = stats.daily.reduce((sum, day) => sum + day.listed, 0);
  const funded = stats.daily.reduce((sum, day) => sum + day.funded, 0);
  const timeToFund = [
    { label: 'Median (p50)', value: stats.time_to_fund_p50_s ?? 0, text: formatSeconds(stats.time_to_fund_p50_s) },
    { label: '9 in 10 (p90)', value: stats.time_to_fund_p90_s ?? 0, text: formatSeconds(stats.time_to_fund_p90_s) },
  ];
  const buyers = stats.top_buyers.map((buyer) => ({ label: buyer.name, value: buyer.share_pct, text: formatPercent(buyer.share_pct) }));
  return (
    <>
      <Section title="The last 30 days">
        <VolumeChart
          days={days}
          title="Amount funded each day, and invoices listed and funded each day, over 30 days"
          numbers={
            <>
              <p className="chart__summary">
                {listed} invoices listed and {funded} funded, {formatPaise(total)} in all, from {formatDate(stats.daily[0]?.date)} to{' '}
                {formatDate(stats.daily.at(-1)?.date)}. Bars: amount funded; lines: invoices listed and funded.
              </p>
              <DailyTable stats={stats} />
            </>
          }
        />
      </Section>
      <Section title="Yield trend">
        <YieldChart
          days={stats.daily.map((day) => ({ label: formatDayShort(day.date), yieldBps: day.funded ? day.avg_yield_bps : null }))}
          title="Average annual yield of the invoices funded each day, over 30 days"
          numbers={<p className="chart__summary">{yieldInWords(stats)}</p>}
        />
      </Section>
      <div className="chart-row">
        <Section title="Time to fund (7 days)">
          {stats.time_to_fund_p50_s === null ? (
            <p className="inv-card__meta">No invoice was funded in the last 7 days.</p>
          ) : (
            <ShareBars shares={timeToFund} title="Time from listing to fully funded" />
          )}
        </Section>
        <Section title="Buyer concentration">
          {buyers.length === 0 ? (
            <p className="inv-card__meta">No invoices listed or owed right now.</p>
          ) : (
            <ShareBars shares={buyers} title="Share of the face value of live invoices, by buyer" />
          )}
        </Section>
      </div>
    </>
  );
}

/** The whole market at a glance, for everyone: figures, 30 days of history, time to fund, buyers. Live. */
export function MarketPage() {
  usePageTitle('Market');
  const stats = useQuery(marketStatsQuery);
  return (
    <>
      <div className="page__header">
        <div>
          <h1 className="page__title">Market</h1>
          <p className="page__subtitle">How the marketplace is doing: volumes, yields, how fast invoices fund, and who owes them.</p>
        </div>
        <span className="live-hint">
          <span className="live-hint__dot" aria-hidden="true" /> Updates within a second of any change
        </span>
      </div>
      <QueryState
        query={stats}
        what="the market figures"
        loading={<SkeletonList rows={4} label="Loading the market figures" />}
        isEmpty={(s) => s.daily.every((day) => day.listed === 0 && day.funded === 0) && s.volume_funded_30d === 0}
        empty={
          <section className="card">
            <EmptyState icon={<Activity size={28} aria-hidden="true" />} title="No market activity yet">
              Figures appear here as soon as invoices are listed and funded.
            </EmptyState>
          </section>
        }
      >
        {(s) => (
          <>
            <section className="stats stats--quad" aria-label="Key figures">
              {keyFigures(s).map((card) => (
                <StatCard key={card.label} {...card} />
              ))}
            </section>
            <MarketCharts stats={s} />
          </>
        )}
      </QueryState>
    </>
  );
}
