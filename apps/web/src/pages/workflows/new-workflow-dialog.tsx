import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { describeError } from '../../api/api-client';
import { queryKeys } from '../../api/query-keys';
import { workflowsApi } from '../../api/workflows.api';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { Field, FormError } from '../../components/field';
import { Input, Textarea } from '../../components/input';
import { useFormDraft } from '../../lib/form-draft';
import { useCurrentWorkspace } from '../shell/workspace-scope';

export function NewWorkflowDialog({ isOpen, onClose }: { isOpen: boolean; onClose: () => void }) {
  const workspace = useCurrentWorkspace();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const draft = useFormDraft(`new-workflow:${workspace.id}`, { name: '', description: '' });
  const [nameError, setNameError] = useState<string | null>(null);

  const create = useMutation({
    mutationFn: () =>
      workflowsApi.createWorkflow(workspace.slug, {
        name: draft.values.name.trim(),
        description: draft.values.description.trim(),
        graph: { nodes: [], edges: [] },
      }),
    onSuccess: async (workflow) => {
      draft.discardDraft();
      await queryClient.invalidateQueries({ queryKey: queryKeys.workflows(workspace.slug) });
      onClose();
      void navigate(`/w/${workspace.slug}/workflows/${workflow.id}`);
    },
  });

  return (
    <Dialog
      isOpen={isOpen}
      title="New workflow"
      onClose={onClose}
      onSubmit={() => {
        const missing = draft.values.name.trim() ? null : 'Give the workflow a name.';
        setNameError(missing);
        if (!missing) create.mutate();
      }}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" isLoading={create.isPending}>
            Create and open the editor
          </Button>
        </>
      }
    >
      <div className="stack">
        <FormError message={create.error ? describeError(create.error) : null} />
        <Field label="Name" error={nameError}>
          {(control) => <Input {...control} autoFocus maxLength={200} value={draft.values.name} onChange={(event) => draft.updateValues({ name: event.target.value })} />}
        </Field>
        <Field label="Description" isOptional>
          {(control) => <Textarea {...control} rows={3} maxLength={5000} value={draft.values.description} onChange={(event) => draft.updateValues({ description: event.target.value })} />}
        </Field>
      </div>
    </Dialog>
  );
}
