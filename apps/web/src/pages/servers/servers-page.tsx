import '../bots/bots.css';
import './servers.css';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { ApiError } from '../../api/api-client';
import { DISCORD_LINK_URL, GUILD_STAFF_SIGN_IN_REQUIRED, guildStaffApi, type StaffedGuild } from '../../api/guild-staff.api';
import { queryKeys } from '../../api/query-keys';
import { ButtonAnchor } from '../../components/button';
import { Card } from '../../components/card';
import { EmptyState, ErrorState } from '../../components/empty-state';
import { BotIcon, DiscordIcon } from '../../components/icons';
import { PageHeader } from '../../components/page-header';
import { LoadingBlock } from '../../components/spinner';
import { formatDateTime } from '../../lib/format';
import { useDocumentTitle } from '../../lib/use-document-title';
import { GuildSettingsForm } from '../bots/guild-settings-panel';

/**
 * Discord servers the signed-in person manages in which a Weft bot runs, and
 * the per-server settings of those bots — for server staff who are not in the
 * bot's workspace. The choice lives in the URL (?guild=&bot=), so it survives
 * a reload and each bot is a plain link.
 */
export function ServersPage() {
  useDocumentTitle('Your servers');
  const guilds = useQuery({ queryKey: queryKeys.staffedGuilds, queryFn: guildStaffApi.listStaffedGuilds });
  const [params] = useSearchParams();
  const selected = findSelection(guilds.data?.items, params.get('guild'), params.get('bot'));
  return (
    <div className="page">
      <PageHeader title="Your servers" description="Discord servers you own or manage (Administrator or Manage Server) where a Weft bot runs." />
      {guilds.isPending ? <LoadingBlock label="Loading your servers…" /> : null}
      {guilds.isError ? isSignInRequired(guilds.error) ? <DiscordSignInNeeded error={guilds.error} /> : <ErrorState error={guilds.error} onRetry={() => void guilds.refetch()} /> : null}
      {guilds.data && guilds.data.items.length === 0 ? (
        <EmptyState
          icon={<BotIcon size={22} />}
          title="No server to manage"
          description="None of the servers you manage has a Weft bot in it. If you were just made an admin, sign in with Discord again to refresh the list."
          actions={<DiscordLink />}
        />
      ) : null}
      {guilds.data && guilds.data.items.length > 0 ? (
        <div className="servers-layout">
          <nav aria-label="Servers and bots" className="stack-sm">
            {guilds.data.items.map((guild) => (
              <ServerCard key={guild.guildId} guild={guild} selectedBotId={selected?.guild.guildId === guild.guildId ? selected.botId : null} />
            ))}
            <p className="subtle">As Discord told us on {formatDateTime(guilds.data.fetchedAt)}.</p>
          </nav>
          <div>
            {selected ? (
              <Card title={`Settings of ${selected.botName}`}>
                <GuildSettingsForm
                  key={`${selected.guild.guildId}:${selected.botId}`}
                  queryKey={queryKeys.staffGuildSettings(selected.guild.guildId, selected.botId)}
                  load={() => guildStaffApi.findGuildSettings(selected.guild.guildId, selected.botId)}
                  save={(body) => guildStaffApi.saveGuildSettings(selected.guild.guildId, selected.botId, body)}
                  guild={selected.guild}
                  canWrite
                />
              </Card>
            ) : (
              <p className="subtle">Pick a bot of one of your servers to change its settings there.</p>
            )}
          </div>
        </div>
      ) : null}
    </div>
  );
}

function ServerCard({ guild, selectedBotId }: { guild: StaffedGuild; selectedBotId: string | null }) {
  return (
    <Card title={guild.name} description={guild.isOwner ? 'You own this server.' : 'You manage this server.'}>
      <ul className="server-bots" aria-label={`Bots in ${guild.name}`}>
        {guild.bots.map((bot) => {
          const isCurrent = bot.id === selectedBotId;
          return (
            <li key={bot.id}>
              <Link
                to={`?${new URLSearchParams({ guild: guild.guildId, bot: bot.id }).toString()}`}
                className={isCurrent ? 'server-bot is-current' : 'server-bot'}
                aria-current={isCurrent ? 'page' : undefined}
                aria-label={`${bot.name} in ${guild.name}`}
              >
                <BotIcon size={16} /> {bot.name}
              </Link>
            </li>
          );
        })}
      </ul>
    </Card>
  );
}

function findSelection(items: StaffedGuild[] | undefined, guildId: string | null, botId: string | null) {
  const guild = items?.find((item) => item.guildId === guildId);
  const bot = guild?.bots.find((item) => item.id === botId);
  return guild && bot ? { guild, botId: bot.id, botName: bot.name } : null;
}

function isSignInRequired(error: unknown): error is ApiError {
  return error instanceof ApiError && error.code === GUILD_STAFF_SIGN_IN_REQUIRED;
}

/** The server list comes from Discord at sign-in and counts for a day, so a stale or missing one asks for a fresh sign-in. */
function DiscordSignInNeeded({ error }: { error: ApiError }) {
  const details = (error.details ?? {}) as { fetchedAt?: string | null; maxAgeHours?: number };
  const age = details.fetchedAt ? `Your list of servers is from ${formatDateTime(details.fetchedAt)}; ` : 'Weft does not know your Discord servers yet; ';
  return (
    <EmptyState
      icon={<DiscordIcon size={22} />}
      title="Sign in with Discord to manage your servers"
      description={`${age}Discord tells us which servers you manage when you sign in, and that answer counts for ${details.maxAgeHours ?? 24} hours.`}
      actions={<DiscordLink />}
    />
  );
}

function DiscordLink() {
  return (
    <ButtonAnchor href={DISCORD_LINK_URL} variant="primary" icon={<DiscordIcon />}>
      Sign in with Discord
    </ButtonAnchor>
  );
}
