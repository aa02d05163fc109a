/** One stacked bar series: a command and its invocations per day (same order as `days`). */
export interface UsageSeries {
  label: string;
  values: number[];
}

const WIDTH = 720;
const HEIGHT = 220;
const PAD = { top: 12, right: 8, bottom: 28, left: 36 };
// Distinct in light and dark themes; the legend and the table say the same in words.
const COLORS = ['#6366f1', '#0ea5e9', '#f59e0b', '#10b981', '#ec4899', '#8b5cf6', '#14b8a6', '#f97316'];

export function seriesColor(index: number): string {
  return COLORS[index % COLORS.length]!;
}

/** A round number at or above `max` for the top of the y axis: 1, 2, 5, 10, 20, 50… */
export function niceCeiling(max: number): number {
  if (max <= 1) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 5, 10].map((step) => step * magnitude).find((value) => value >= max)!;
}

/** A dependency-free stacked bar chart: one bar per day, one colour per command. */
export function UsageChart({ days, series, label }: { days: string[]; series: UsageSeries[]; label: string }) {
  const totals = days.map((_, index) => series.reduce((sum, item) => sum + (item.values[index] ?? 0), 0));
  const top = niceCeiling(Math.max(0, ...totals));
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotWidth / Math.max(days.length, 1);
  const barWidth = Math.max(2, slot * 0.7);
  const y = (value: number) => PAD.top + plotHeight - (value / top) * plotHeight;
  const labelEvery = Math.ceil(days.length / 8);

  return (
    <svg className="usage-chart" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label} preserveAspectRatio="none">
      {[0, top / 2, top].map((tick) => (
        <g key={tick}>
          <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(tick)} y2={y(tick)} className="usage-grid" />
          <text x={PAD.left - 6} y={y(tick) + 4} textAnchor="end" className="usage-axis">
            {Number.isInteger(tick) ? tick : tick.toFixed(1)}
          </text>
        </g>
      ))}
      {days.map((day, dayIndex) => {
        let base = 0;
        const x = PAD.left + dayIndex * slot + (slot - barWidth) / 2;
        return (
          <g key={day}>
            {series.map((item, seriesIndex) => {
              const value = item.values[dayIndex] ?? 0;
              if (value === 0) return null;
              const rect = <rect key={item.label} x={x} width={barWidth} y={y(base + value)} height={y(base) - y(base + value)} fill={seriesColor(seriesIndex)} rx={1.5}><title>{`${day} · ${item.label}: ${value}`}</title></rect>;
              base += value;
              return rect;
            })}
            {dayIndex % labelEvery === 0 ? (
              <text x={x + barWidth / 2} y={HEIGHT - 8} textAnchor="middle" className="usage-axis">
                {day.slice(5)}
              </text>
            ) : null}
          </g>
        );
      })}
    </svg>
  );
}
