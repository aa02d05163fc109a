import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { ApiError, describeError } from '../../api/api-client';
import { queryKeys } from '../../api/query-keys';
import { hasPermission, workspacesApi } from '../../api/workspaces.api';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { Dialog } from '../../components/dialog';
import { Field, FormError } from '../../components/field';
import { Input } from '../../components/input';
import { PageHeader } from '../../components/page-header';
import { useToast } from '../../components/toast';
import { useDocumentTitle } from '../../lib/use-document-title';
import { forgetLastWorkspace } from '../../session/last-workspace';
import { useCurrentWorkspace } from '../shell/workspace-scope';

export function WorkspaceSettingsPage() {
  const workspace = useCurrentWorkspace();
  useDocumentTitle(`Settings · ${workspace.name}`);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const toast = useToast();
  const [name, setName] = useState(workspace.name);
  const [slug, setSlug] = useState(workspace.slug);
  const [pendingAction, setPendingAction] = useState<'leave' | 'delete' | null>(null);
  const canUpdate = hasPermission(workspace, 'workspace.update');

  const update = useMutation({
    mutationFn: () => workspacesApi.updateWorkspace(workspace.slug, { ...(name !== workspace.name ? { name } : {}), ...(slug !== workspace.slug ? { slug } : {}) }),
    onSuccess: async (updated) => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.workspaces });
      toast.showSuccess('Workspace saved.');
      if (updated.slug !== workspace.slug) void navigate(`/w/${updated.slug}/settings`, { replace: true });
    },
  });
  const leaveOrDelete = useMutation({
    mutationFn: () => (pendingAction === 'delete' ? workspacesApi.deleteWorkspace(workspace.slug) : workspacesApi.leaveWorkspace(workspace.slug)),
    onSuccess: async () => {
      forgetLastWorkspace();
      toast.showSuccess(pendingAction === 'delete' ? `${workspace.name} was deleted.` : `You left ${workspace.name}.`);
      setPendingAction(null);
      await queryClient.invalidateQueries({ queryKey: queryKeys.workspaces });
      void navigate('/', { replace: true });
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate();
  };
  const fieldErrors = update.error instanceof ApiError ? update.error.fieldErrors() : {};
  const slugError = update.error instanceof ApiError && update.error.code.startsWith('WORKSPACE_SLUG') ? update.error.message : fieldErrors.slug;

  return (
    <div className="page page-narrow">
      <PageHeader title="Workspace settings" description={workspace.kind === 'personal' ? 'Your personal workspace.' : `You are ${workspace.role === 'admin' ? 'an' : 'a'} ${workspace.role} of this team workspace.`} />
      <form onSubmit={submit} noValidate>
        <Card
          title="General"
          footer={
            canUpdate ? (
              <Button type="submit" variant="primary" disabled={name === workspace.name && slug === workspace.slug} isLoading={update.isPending}>
                Save changes
              </Button>
            ) : null
          }
        >
          <div className="stack">
            <FormError message={update.error && !slugError && !fieldErrors.name ? describeError(update.error) : null} />
            <Field label="Name" error={fieldErrors.name}>
              {(control) => <Input {...control} value={name} disabled={!canUpdate} maxLength={80} onChange={(event) => setName(event.target.value)} />}
            </Field>
            <Field label="Slug" hint="Changing it changes the address of every webhook of this workspace." error={slugError}>
              {(control) => <Input {...control} isMono value={slug} disabled={!canUpdate} maxLength={40} onChange={(event) => setSlug(event.target.value.toLowerCase())} />}
            </Field>
          </div>
        </Card>
      </form>
      {workspace.kind === 'team' ? (
        <Card
          title="Danger zone"
          footer={
            <>
              <Button onClick={() => setPendingAction('leave')}>Leave workspace</Button>
              {hasPermission(workspace, 'workspace.delete') ? (
                <Button variant="danger" onClick={() => setPendingAction('delete')}>
                  Delete workspace
                </Button>
              ) : null}
            </>
          }
        >
          <p className="muted">Leaving removes your access. Deleting removes the workspace, its workflows and runs for everyone.</p>
        </Card>
      ) : null}
      <Dialog
        isOpen={pendingAction !== null}
        title={pendingAction === 'delete' ? `Delete ${workspace.name}?` : `Leave ${workspace.name}?`}
        onClose={() => setPendingAction(null)}
        footer={
          <>
            <Button onClick={() => setPendingAction(null)}>Cancel</Button>
            <Button variant="danger" isLoading={leaveOrDelete.isPending} onClick={() => leaveOrDelete.mutate()}>
              {pendingAction === 'delete' ? 'Delete workspace' : 'Leave workspace'}
            </Button>
          </>
        }
      >
        <div className="stack">
          <FormError message={leaveOrDelete.error ? describeError(leaveOrDelete.error) : null} />
          <p>{pendingAction === 'delete' ? 'Its workflows, runs and members’ access are removed. This cannot be undone.' : 'You will need a new invitation to come back.'}</p>
        </div>
      </Dialog>
    </div>
  );
}
