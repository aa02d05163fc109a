import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, describeError } from '../../api/api-client';
import { botsApi, COMMAND_KINDS, isSnowflake, type BotCommand, type CommandInput, type CommandKind, type CommandOption } from '../../api/bots.api';
import { queryKeys } from '../../api/query-keys';
import { workflowsApi } from '../../api/workflows.api';
import { Button, ButtonLink } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { Field, FormError } from '../../components/field';
import { Checkbox, Input, Select, Textarea } from '../../components/input';
import { CommandOptionsEditor, hasSubcommands } from './command-options-editor';

const KIND_LABELS: Record<CommandKind, string> = {
  slash: 'Slash command (/name)',
  user: 'User context menu',
  message: 'Message context menu',
  component: 'Button or menu handler (custom id prefix)',
};

interface CommandDialogProps {
  workspaceSlug: string;
  botId: string;
  command: BotCommand | null;
  onClose: () => void;
}

/** Add or change a command: what Discord shows, and which workflow answers it. */
export function CommandDialog({ workspaceSlug, botId, command, onClose }: CommandDialogProps) {
  const queryClient = useQueryClient();
  const workflows = useQuery({ queryKey: queryKeys.workflows(workspaceSlug), queryFn: () => workflowsApi.listWorkflows(workspaceSlug) });
  const [kind, setKind] = useState<CommandKind>(command?.kind ?? 'slash');
  const [name, setName] = useState(command?.name ?? '');
  const [description, setDescription] = useState(command?.description ?? '');
  const [options, setOptions] = useState<CommandOption[]>(command?.options ?? []);
  const [optionsJson, setOptionsJson] = useState(() => (command && hasSubcommands(command.options) ? JSON.stringify(command.options, null, 2) : null));
  const [workflowId, setWorkflowId] = useState(command?.workflowId ?? '');
  const [scope, setScope] = useState(command?.scope ?? 'global');
  const [isEphemeral, setEphemeral] = useState(command?.isEphemeral ?? false);
  const [cooldown, setCooldown] = useState(String(command?.cooldownSeconds ?? 0));
  const [errors, setErrors] = useState<Record<string, string>>({});

  const save = useMutation({
    mutationFn: (body: CommandInput) => (command ? botsApi.replaceCommand(workspaceSlug, botId, command.id, body) : botsApi.createCommand(workspaceSlug, botId, body)),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.botCommands(workspaceSlug, botId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.botInvite(workspaceSlug, botId) });
      onClose();
    },
    onError: (error) => {
      if (error instanceof ApiError) setErrors(Object.fromEntries(Object.entries(error.fieldErrors()).map(([path, message]) => [path.replace(/^body\./, '').split('.')[0]!, message])));
    },
  });

  const submit = () => {
    const found: Record<string, string> = {};
    if (kind === 'slash' && !/^[-_\p{L}\p{N}]{1,32}$/u.test(name)) found.name = '1–32 lowercase letters, digits, "-" or "_", no spaces.';
    else if (!name.trim()) found.name = 'Required.';
    if (kind === 'slash' && !description.trim()) found.description = 'Discord shows it under the command name: 1–100 characters.';
    if (!workflowId) found.workflowId = 'Pick the workflow that answers.';
    if (scope !== 'global' && !isSnowflake(scope)) found.scope = 'A server (guild) id: 17–20 digits.';
    let sentOptions = options;
    if (optionsJson !== null) {
      try {
        sentOptions = JSON.parse(optionsJson) as CommandOption[];
      } catch {
        found.options = 'Not valid JSON.';
      }
    }
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    save.mutate({
      kind,
      name: name.trim(),
      ...(kind === 'slash' ? { description: description.trim(), options: sentOptions } : {}),
      scope,
      workflowId,
      isEphemeral,
      cooldownSeconds: Math.max(0, Math.round(Number(cooldown) || 0)),
    });
  };
  const hasFieldErrors = Object.keys(errors).length > 0;

  return (
    <Dialog
      isOpen
      isWide
      title={command ? `Edit ${command.kind === 'slash' ? '/' : ''}${command.name}` : 'New command'}
      onClose={onClose}
      onSubmit={submit}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" isLoading={save.isPending}>
            {command ? 'Save command' : 'Add command'}
          </Button>
        </>
      }
    >
      <div className="stack">
        <FormError message={save.error && !hasFieldErrors ? describeError(save.error) : null} />
        <Field label="Kind">
          {(control) => (
            <Select {...control} value={kind} disabled={command !== null} onChange={(event) => setKind(event.target.value as CommandKind)}>
              {COMMAND_KINDS.map((item) => (
                <option key={item} value={item}>
                  {KIND_LABELS[item]}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label={kind === 'component' ? 'Custom id prefix' : 'Name'} error={errors.name} hint={kind === 'slash' ? 'What people type after “/”.' : undefined}>
          {(control) => <Input {...control} value={name} maxLength={kind === 'component' ? 100 : 32} isMono={kind !== 'user' && kind !== 'message'} autoFocus onChange={(event) => setName(kind === 'slash' ? event.target.value.toLowerCase() : event.target.value)} />}
        </Field>
        {kind === 'slash' ? (
          <>
            <Field label="Description" error={errors.description}>
              {(control) => <Input {...control} value={description} maxLength={100} onChange={(event) => setDescription(event.target.value)} />}
            </Field>
            {optionsJson !== null ? (
              <Field label="Options (JSON, with subcommands)" error={errors.options} hint="Discord’s option structure; subcommands are edited as JSON.">
                {(control) => <Textarea {...control} isMono rows={8} value={optionsJson} onChange={(event) => setOptionsJson(event.target.value)} />}
              </Field>
            ) : (
              <>
                <CommandOptionsEditor options={options} onChange={setOptions} />
                {errors.options ? <p className="field-error">{errors.options}</p> : null}
              </>
            )}
          </>
        ) : null}
        <Field label="Workflow" error={errors.workflowId} hint="Runs with the interaction as its input; its respond node’s body is the reply.">
          {(control) =>
            workflows.isError ? (
              <p className="field-error">The workflows could not be loaded.</p>
            ) : (
              <Select {...control} value={workflowId} disabled={workflows.isPending} onChange={(event) => setWorkflowId(event.target.value)}>
                <option value="">{workflows.isPending ? 'Loading…' : 'Pick a workflow'}</option>
                {(workflows.data?.items ?? []).map((workflow) => (
                  <option key={workflow.id} value={workflow.id}>
                    {workflow.name}
                    {workflow.publishedVersion === null ? ' (not published)' : ''}
                  </option>
                ))}
              </Select>
            )
          }
        </Field>
        {workflows.data?.items.length === 0 ? <ButtonLink to={`/w/${workspaceSlug}/workflows`} size="sm">Create a workflow first</ButtonLink> : null}
        <div className="grid-2">
          <Field label="Where" error={errors.scope} hint="Everywhere, or one server while you try it (updates there are instant).">
            {(control) => (
              <Input {...control} value={scope === 'global' ? '' : scope} placeholder="Every server (global)" inputMode="numeric" isMono onChange={(event) => setScope(event.target.value.trim() || 'global')} />
            )}
          </Field>
          <Field label="Cooldown per person (seconds)" error={errors.cooldownSeconds}>
            {(control) => <Input {...control} type="number" min={0} max={86_400} step={1} value={cooldown} onChange={(event) => setCooldown(event.target.value)} />}
          </Field>
        </div>
        <Checkbox label="Reply only to the person who used it (ephemeral)" checked={isEphemeral} onChange={(event) => setEphemeral(event.target.checked)} />
      </div>
    </Dialog>
  );
}
