import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiError, describeError } from '../../api/api-client';
import { queryKeys } from '../../api/query-keys';
import { workspacesApi } from '../../api/workspaces.api';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { Field, FormError } from '../../components/field';
import { Input } from '../../components/input';
import { useToast } from '../../components/toast';
import { useFormDraft } from '../../lib/form-draft';

const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/;

/** "Acme Support Team" → "acme-support-team": what the server's slug rule accepts. */
export function suggestSlug(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/g, '');
}

export function CreateWorkspaceDialog({ isOpen, onClose }: { isOpen: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const toast = useToast();
  const draft = useFormDraft('create-workspace', { name: '', slug: '', isSlugEdited: false });
  const [submitted, setSubmitted] = useState(false);
  const { name, slug, isSlugEdited } = draft.values;
  const effectiveSlug = isSlugEdited ? slug : suggestSlug(name);

  const create = useMutation({
    mutationFn: () => workspacesApi.createWorkspace({ name: name.trim(), slug: effectiveSlug }),
    onSuccess: async (workspace) => {
      draft.discardDraft();
      await queryClient.invalidateQueries({ queryKey: queryKeys.workspaces });
      toast.showSuccess(`Workspace “${workspace.name}” created.`);
      onClose();
      void navigate(`/w/${workspace.slug}/workflows`);
    },
  });

  const apiErrors = create.error instanceof ApiError ? create.error.fieldErrors() : {};
  const nameError = submitted && !name.trim() ? 'Give the workspace a name.' : apiErrors.name;
  const slugError =
    submitted && !SLUG_PATTERN.test(effectiveSlug)
      ? '3–40 lowercase letters, digits or dashes, not starting or ending with a dash.'
      : create.error instanceof ApiError && create.error.code.startsWith('WORKSPACE_SLUG')
        ? create.error.message
        : apiErrors.slug;
  const formError = create.error && !nameError && !slugError ? describeError(create.error) : null;

  return (
    <Dialog
      isOpen={isOpen}
      title="Create a team workspace"
      onClose={onClose}
      onSubmit={() => {
        setSubmitted(true);
        if (name.trim() && SLUG_PATTERN.test(effectiveSlug)) create.mutate();
      }}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" isLoading={create.isPending}>
            Create workspace
          </Button>
        </>
      }
    >
      <div className="stack">
        <p className="muted">Invite teammates, share workflows and runs. You will be its owner.</p>
        <FormError message={formError} />
        <Field label="Name" error={nameError}>
          {(control) => <Input {...control} value={name} autoFocus maxLength={80} onChange={(event) => draft.updateValues({ name: event.target.value })} />}
        </Field>
        <Field label="Slug" hint={`Used in addresses, e.g. webhooks at /hooks/${effectiveSlug || 'your-slug'}/…`} error={slugError}>
          {(control) => (
            <Input
              {...control}
              isMono
              value={effectiveSlug}
              maxLength={40}
              onChange={(event) => draft.updateValues({ slug: event.target.value.toLowerCase(), isSlugEdited: true })}
            />
          )}
        </Field>
      </div>
    </Dialog>
  );
}
