import type { BotStatus } from '../../api/bots.api';

const STATUS: Record<BotStatus, { label: string; tone: string }> = {
  online: { label: 'Online', tone: 'badge-success' },
  connecting: { label: 'Connecting', tone: 'badge-info' },
  stopped: { label: 'Stopped', tone: '' },
  token_invalid: { label: 'Token invalid', tone: 'badge-danger' },
  intents_missing: { label: 'Intents missing', tone: 'badge-warning' },
};

/** A bot's runtime status in colour and words. */
export function BotStatusBadge({ status }: { status: BotStatus }) {
  const { label, tone } = STATUS[status] ?? { label: status, tone: '' };
  return (
    <span className={`badge ${tone}`} data-testid="bot-status">
      <span className="badge-dot" aria-hidden="true" />
      {label}
    </span>
  );
}

/** What someone can do about a status that needs attention. */
export function describeBotStatus(status: BotStatus): string | null {
  if (status === 'token_invalid') return 'Discord refused the bot token. Reset it in the Developer Portal (Bot › Reset Token) and paste the new one here.';
  if (status === 'intents_missing') return 'The bot needs privileged gateway intents that are switched off. Enable them in the Developer Portal (Bot › Privileged Gateway Intents), then start it again.';
  if (status === 'connecting') return 'Connecting to Discord…';
  return null;
}
