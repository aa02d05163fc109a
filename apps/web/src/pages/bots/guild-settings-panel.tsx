import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { describeError } from '../../api/api-client';
import { BOT_FEATURES, botsApi, isSnowflake, type GuildSettings, type SyncedGuild } from '../../api/bots.api';
import { queryKeys } from '../../api/query-keys';
import { Button } from '../../components/button';
import { ErrorState } from '../../components/empty-state';
import { Field, FormError } from '../../components/field';
import { Checkbox, Input, Select, Textarea } from '../../components/input';
import { LoadingBlock } from '../../components/spinner';
import { useToast } from '../../components/toast';
import { formatDateTime } from '../../lib/format';
import { KeyValueList } from './key-value-list';

/**
 * Settings per Discord server: which features are on, named channels (e.g.
 * "modLog" → a channel id) and staff roles. Servers the gateway reported are
 * listed by name with their channels and roles; any other is opened by id.
 */
export function GuildSettingsPanel({ workspaceSlug, botId, canWrite }: { workspaceSlug: string; botId: string; canWrite: boolean }) {
  const guilds = useQuery({ queryKey: queryKeys.botGuilds(workspaceSlug, botId), queryFn: () => botsApi.listGuilds(workspaceSlug, botId) });
  const [guildInput, setGuildInput] = useState('');
  const [guildId, setGuildId] = useState<string | null>(null);
  const [inputError, setInputError] = useState<string | null>(null);
  const synced = guilds.data?.find((guild) => guild.guildId === guildId);
  const open = (event: FormEvent) => {
    event.preventDefault();
    const id = guildInput.trim();
    if (!isSnowflake(id)) return setInputError('A server id: 17–20 digits (Discord: Server Settings › Widget, or right-click › Copy Server ID in developer mode).');
    setInputError(null);
    setGuildId(id);
  };
  return (
    <div className="stack">
      {guilds.isPending ? <LoadingBlock label="Loading servers…" /> : null}
      {guilds.isError ? <ErrorState error={guilds.error} onRetry={() => void guilds.refetch()} /> : null}
      {guilds.data && guilds.data.length > 0 ? (
        <Field label="Server" hint="Servers the bot is in, as Discord last reported them.">
          {(control) => (
            <Select {...control} value={synced ? synced.guildId : ''} onChange={(event) => setGuildId(event.target.value || null)}>
              <option value="">Pick a server</option>
              {guilds.data.map((guild) => (
                <option key={guild.guildId} value={guild.guildId}>
                  {guild.name}
                </option>
              ))}
            </Select>
          )}
        </Field>
      ) : null}
      <form className="toolbar" onSubmit={open}>
        <Field label="Server (guild) id" error={inputError} isOptional={Boolean(guilds.data?.length)}>
          {(control) => <Input {...control} value={guildInput} inputMode="numeric" isMono onChange={(event) => setGuildInput(event.target.value)} />}
        </Field>
        <Button type="submit">Open settings</Button>
      </form>
      {guildId ? (
        <GuildSettingsForm
          key={guildId}
          queryKey={queryKeys.guildSettings(workspaceSlug, botId, guildId)}
          load={() => botsApi.findGuildSettings(workspaceSlug, botId, guildId)}
          save={(body) => botsApi.saveGuildSettings(workspaceSlug, botId, guildId, body)}
          guild={synced}
          canWrite={canWrite}
        />
      ) : (
        <p className="subtle">{guilds.data?.length ? 'Pick a server, or enter the id of another one.' : 'No server reported yet (the bot reports its servers once started). Enter a server id to open its settings.'}</p>
      )}
    </div>
  );
}

export type GuildSettingsBody = Omit<GuildSettings, 'guildId' | 'updatedAt'>;
/** What the form shows of a server: its name, and its channels and roles to pick from. */
export type GuildChoices = Pick<SyncedGuild, 'guildId' | 'name' | 'channels' | 'roles'>;

interface GuildSettingsFormProps {
  /** Cache key of these settings; the saved reply is written there. */
  queryKey: readonly unknown[];
  /** The workspace route or the guild-staff route: the form does not care who may reach the settings. */
  load: () => Promise<GuildSettings>;
  save: (body: GuildSettingsBody) => Promise<GuildSettings>;
  guild: GuildChoices | undefined;
  canWrite: boolean;
}

export function GuildSettingsForm({ queryKey, load, save, guild, canWrite }: GuildSettingsFormProps) {
  const settings = useQuery({ queryKey, queryFn: load });
  if (settings.isPending) return <LoadingBlock label="Loading the server's settings…" />;
  if (settings.isError) return <ErrorState error={settings.error} onRetry={() => void settings.refetch()} />;
  return <GuildSettingsEditor queryKey={queryKey} save={save} initial={settings.data} guild={guild} canWrite={canWrite} />;
}

interface GuildSettingsEditorProps extends Omit<GuildSettingsFormProps, 'load'> {
  initial: GuildSettings;
}

function GuildSettingsEditor({ queryKey, save: saveSettings, initial, guild, canWrite }: GuildSettingsEditorProps) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [features, setFeatures] = useState(initial.enabledFeatures);
  const [channels, setChannels] = useState<[string, string][]>(Object.entries(initial.channels));
  const [staffRoles, setStaffRoles] = useState(initial.staffRoleIds.join('\n'));
  const roleIds = staffRoles.split(/[\s,]+/).filter(Boolean);
  const toggleRole = (roleId: string, isOn: boolean) => setStaffRoles((isOn ? [...roleIds, roleId] : roleIds.filter((id) => id !== roleId)).join('\n'));
  // Text channels (type 0) and announcement channels (5) are where a bot posts.
  const channelChoices = guild?.channels.filter((channel) => channel.type === 0 || channel.type === 5).map((channel) => ({ id: channel.id, name: `#${channel.name ?? channel.id}` }));
  const [problem, setProblem] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: saveSettings,
    onSuccess: (saved) => {
      queryClient.setQueryData(queryKey, saved);
      toast.showSuccess('Server settings saved.');
    },
    onError: (error) => setProblem(describeError(error)),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const roles = staffRoles.split(/[\s,]+/).filter(Boolean);
    const filled = channels.filter(([name, id]) => name.trim() || id.trim());
    if (roles.some((role) => !isSnowflake(role))) return setProblem('Staff roles are role ids (17–20 digits), one per line.');
    if (filled.some(([name, id]) => !name.trim() || !isSnowflake(id.trim()))) return setProblem('Each channel needs a name and a channel id (17–20 digits).');
    setProblem(null);
    save.mutate({ enabledFeatures: features, channels: Object.fromEntries(filled.map(([name, id]) => [name.trim(), id.trim()])), staffRoleIds: roles });
  };
  return (
    <form className="stack" onSubmit={submit} aria-label={`Settings of server ${initial.guildId}`}>
      {guild ? <h3 className="guild-name">{guild.name}</h3> : null}
      <p className="subtle">{initial.updatedAt ? `Last saved ${formatDateTime(initial.updatedAt)}.` : 'Never saved: these are the defaults.'}</p>
      <fieldset className="form-fieldset" disabled={!canWrite}>
        <legend>Enabled features</legend>
        <div className="feature-grid">
          {BOT_FEATURES.map((feature) => (
            <Checkbox key={feature} label={feature} checked={features.includes(feature)} onChange={(event) => setFeatures(event.target.checked ? [...features, feature] : features.filter((item) => item !== feature))} />
          ))}
        </div>
      </fieldset>
      <fieldset className="form-fieldset" disabled={!canWrite}>
        <legend>Channels</legend>
        <KeyValueList rows={channels} onChange={setChannels} keyLabel="Name" valueLabel="Channel" addLabel="Add a channel" choices={channelChoices} />
      </fieldset>
      {guild && guild.roles.length > 0 ? (
        <fieldset className="form-fieldset" disabled={!canWrite}>
          <legend>Staff roles</legend>
          <div className="feature-grid">
            {guild.roles
              .filter((role) => !role.isManaged && role.id !== guild.guildId)
              .map((role) => (
                <Checkbox key={role.id} label={role.name} checked={roleIds.includes(role.id)} onChange={(event) => toggleRole(role.id, event.target.checked)} />
              ))}
          </div>
        </fieldset>
      ) : (
        <Field label="Staff role ids" hint="One per line. Flows can check whether someone is staff.">
          {(control) => <Textarea {...control} isMono rows={3} value={staffRoles} disabled={!canWrite} onChange={(event) => setStaffRoles(event.target.value)} />}
        </Field>
      )}
      <FormError message={problem} />
      {canWrite ? (
        <div>
          <Button type="submit" variant="primary" isLoading={save.isPending}>
            Save server settings
          </Button>
        </div>
      ) : null}
    </form>
  );
}
