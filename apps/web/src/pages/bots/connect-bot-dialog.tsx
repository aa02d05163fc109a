import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, describeError } from '../../api/api-client';
import { botsApi, isSnowflake, type Bot } from '../../api/bots.api';
import { queryKeys } from '../../api/query-keys';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { Field, FormError } from '../../components/field';
import { Input } from '../../components/input';

interface ConnectBotDialogProps {
  workspaceSlug: string;
  onClose: () => void;
  onConnected: (bot: Bot) => void;
}

/**
 * Connect a Discord application's bot. The token is checked with Discord
 * before anything is stored, kept encrypted, and never shown again: it stays
 * in this component's state only (no draft).
 */
export function ConnectBotDialog({ workspaceSlug, onClose, onConnected }: ConnectBotDialogProps) {
  const queryClient = useQueryClient();
  const [applicationId, setApplicationId] = useState('');
  const [publicKey, setPublicKey] = useState('');
  const [token, setToken] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});

  const connect = useMutation({
    mutationFn: () => botsApi.connectBot(workspaceSlug, { applicationId: applicationId.trim(), publicKey: publicKey.trim().toLowerCase(), token: token.trim() }),
    onSuccess: (bot) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.bots(workspaceSlug) });
      onConnected(bot);
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'BOT_TOKEN_INVALID') setErrors({ token: error.message });
      else if (error instanceof ApiError) setErrors(Object.fromEntries(Object.entries(error.fieldErrors()).map(([path, message]) => [path.replace(/^body\./, ''), message])));
    },
  });

  const submit = () => {
    const found: Record<string, string> = {};
    if (!isSnowflake(applicationId.trim())) found.applicationId = 'The application id: 17–20 digits (Developer Portal › General Information).';
    if (!/^[0-9a-fA-F]{64}$/.test(publicKey.trim())) found.publicKey = 'The public key: 64 hexadecimal characters (General Information).';
    if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token.trim()) || token.trim().length < 20) found.token = 'The bot token: three parts separated by dots (Bot › Reset Token).';
    setErrors(found);
    if (Object.keys(found).length === 0) connect.mutate();
  };
  const fieldErrorShown = Object.keys(errors).length > 0;

  return (
    <Dialog
      isOpen
      title="Connect a Discord bot"
      onClose={onClose}
      onSubmit={submit}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" isLoading={connect.isPending}>
            Connect bot
          </Button>
        </>
      }
    >
      <div className="stack">
        <p className="subtle">
          Create an application in the <a href="https://discord.com/developers/applications" target="_blank" rel="noreferrer">Discord Developer Portal</a>, add a bot to it, then copy these three values.
        </p>
        <FormError message={connect.error && !fieldErrorShown ? describeError(connect.error) : null} />
        <Field label="Application id" error={errors.applicationId}>
          {(control) => <Input {...control} value={applicationId} inputMode="numeric" autoComplete="off" autoFocus isMono onChange={(event) => setApplicationId(event.target.value)} />}
        </Field>
        <Field label="Public key" error={errors.publicKey}>
          {(control) => <Input {...control} value={publicKey} autoComplete="off" spellCheck={false} isMono onChange={(event) => setPublicKey(event.target.value)} />}
        </Field>
        <Field label="Bot token" hint="Checked with Discord, stored encrypted, never shown again." error={errors.token}>
          {(control) => <Input {...control} type="password" value={token} autoComplete="new-password" spellCheck={false} isMono onChange={(event) => setToken(event.target.value)} />}
        </Field>
      </div>
    </Dialog>
  );
}
