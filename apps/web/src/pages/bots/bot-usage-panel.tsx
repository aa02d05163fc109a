import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { botsApi, type UsageRow } from '../../api/bots.api';
import { queryKeys } from '../../api/query-keys';
import { EmptyState, ErrorState } from '../../components/empty-state';
import { Select } from '../../components/input';
import { LoadingBlock } from '../../components/spinner';
import { seriesColor, UsageChart, type UsageSeries } from './usage-chart';

const RANGES = [7, 30, 90] as const;

/** Every UTC day from `from` (YYYY-MM-DD), `count` of them. */
export function listDays(from: string, count: number): string[] {
  const start = Date.parse(`${from.slice(0, 10)}T00:00:00Z`);
  return Array.from({ length: count }, (_, index) => new Date(start + index * 86_400_000).toISOString().slice(0, 10));
}

export function buildUsageSeries(rows: UsageRow[], days: string[], nameOf: (commandId: string) => string): UsageSeries[] {
  const byCommand = new Map<string, number[]>();
  const dayIndex = new Map(days.map((day, index) => [day, index]));
  for (const row of rows) {
    const index = dayIndex.get(row.day.slice(0, 10));
    if (index === undefined) continue;
    const values = byCommand.get(row.commandId) ?? days.map(() => 0);
    values[index] = (values[index] ?? 0) + row.invocations;
    byCommand.set(row.commandId, values);
  }
  return [...byCommand.entries()].map(([commandId, values]) => ({ label: nameOf(commandId), values })).sort((a, b) => a.label.localeCompare(b.label));
}

/** The "Usage" tab: invocations per day per command, with failures and refusals in the table. */
export function BotUsagePanel({ workspaceSlug, botId }: { workspaceSlug: string; botId: string }) {
  const [days, setDays] = useState<number>(30);
  const usage = useQuery({ queryKey: queryKeys.botUsage(workspaceSlug, botId, days), queryFn: () => botsApi.findUsage(workspaceSlug, botId, days) });
  const commands = useQuery({ queryKey: queryKeys.botCommands(workspaceSlug, botId), queryFn: () => botsApi.listCommands(workspaceSlug, botId) });

  if (usage.isPending) return <LoadingBlock label="Loading usage…" />;
  if (usage.isError) return <ErrorState error={usage.error} onRetry={() => void usage.refetch()} />;
  const nameOf = (commandId: string) => {
    const command = commands.data?.find((item) => item.id === commandId);
    return command ? (command.kind === 'slash' ? `/${command.name}` : command.name) : 'Deleted command';
  };
  const dayList = listDays(usage.data.from, days);
  const series = buildUsageSeries(usage.data.items, dayList, nameOf);
  const total = series.reduce((sum, item) => sum + item.values.reduce((a, b) => a + b, 0), 0);

  return (
    <section className="stack" aria-labelledby="bot-usage-title">
      <div className="row-between">
        <h2 id="bot-usage-title">Command usage</h2>
        <label className="row">
          <span>Period</span>
          <Select value={String(days)} onChange={(event) => setDays(Number(event.target.value))}>
            {RANGES.map((range) => (
              <option key={range} value={range}>
                Last {range} days
              </option>
            ))}
          </Select>
        </label>
      </div>
      {total === 0 ? (
        <EmptyState title="No command used yet" description="Invocations appear here per day and per command once people use the bot's commands (counted in UTC days)." />
      ) : (
        <>
          <UsageChart days={dayList} series={series} label={`Invocations per day over the last ${days} days: ${total} in total, ${series.map((item) => `${item.label} ${item.values.reduce((a, b) => a + b, 0)}`).join(', ')}`} />
          <ul className="list-plain usage-legend" aria-label="Commands">
            {series.map((item, index) => (
              <li key={item.label}>
                <span className="usage-swatch" style={{ background: seriesColor(index) }} aria-hidden="true" />
                {item.label} <span className="subtle">({item.values.reduce((a, b) => a + b, 0)})</span>
              </li>
            ))}
          </ul>
          <details>
            <summary>Show as a table</summary>
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Day</th>
                  <th scope="col">Command</th>
                  <th scope="col">Invocations</th>
                  <th scope="col">Failures</th>
                  <th scope="col">Refusals</th>
                </tr>
              </thead>
              <tbody>
                {usage.data.items.map((row) => (
                  <tr key={`${row.day}:${row.commandId}`}>
                    <td>{row.day.slice(0, 10)}</td>
                    <td>{nameOf(row.commandId)}</td>
                    <td>{row.invocations}</td>
                    <td>{row.failures}</td>
                    <td>{row.refusals}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </section>
  );
}
