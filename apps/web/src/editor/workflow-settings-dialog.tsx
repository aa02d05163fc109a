import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { describeError } from '../api/api-client';
import { queryKeys } from '../api/query-keys';
import { workflowsApi, type WorkflowSettings, type WorkflowSummary } from '../api/workflows.api';
import { Button } from '../components/button';
import { Dialog } from '../components/dialog';
import { Field, FormError } from '../components/field';
import { Input, Select, Textarea } from '../components/input';
import { useToast } from '../components/toast';

interface WorkflowSettingsDialogProps {
  workspaceSlug: string;
  workflow: Pick<WorkflowSummary, 'id' | 'name' | 'description' | 'settings'>;
  isOpen: boolean;
  onClose: () => void;
  onSaved: (workflow: WorkflowSummary) => void;
}

const SAVING_POLICIES: { value: WorkflowSettings['savingPolicy']; label: string }[] = [
  { value: 'all', label: 'Every run (full history)' },
  { value: 'failed', label: 'Failed runs only (faster webhooks)' },
  { value: 'none', label: 'No runs (fastest, nothing to inspect)' },
];

/** Name, description and run settings of a workflow; archiving stops its webhooks and keeps its history. */
export function WorkflowSettingsDialog({ workspaceSlug, workflow, isOpen, onClose, onSaved }: WorkflowSettingsDialogProps) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const toast = useToast();
  const [name, setName] = useState(workflow.name);
  const [description, setDescription] = useState(workflow.description);
  const [savingPolicy, setSavingPolicy] = useState(workflow.settings.savingPolicy);
  const [timeoutSeconds, setTimeoutSeconds] = useState(String(workflow.settings.timeoutMs / 1000));
  const [nameError, setNameError] = useState<string | null>(null);

  const save = useMutation({
    mutationFn: () =>
      workflowsApi.updateWorkflow(workspaceSlug, workflow.id, {
        name: name.trim(),
        description,
        settings: { savingPolicy, timeoutMs: Math.round(Number(timeoutSeconds) * 1000) },
      }),
    onSuccess: (updated) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.workflows(workspaceSlug) });
      toast.showSuccess('Workflow settings saved.');
      onSaved(updated);
      onClose();
    },
  });
  const archive = useMutation({
    mutationFn: () => workflowsApi.archiveWorkflow(workspaceSlug, workflow.id),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.workflows(workspaceSlug) });
      toast.showSuccess(`“${workflow.name}” was archived; its runs stay in the history.`);
      void navigate(`/w/${workspaceSlug}/workflows`);
    },
    onError: (error) => toast.showError(describeError(error)),
  });

  const timeout = Number(timeoutSeconds);
  const timeoutError = Number.isFinite(timeout) && timeout >= 0.1 && timeout <= 86_400 ? null : 'Between 0.1 and 86,400 seconds.';

  return (
    <Dialog
      isOpen={isOpen}
      title="Workflow settings"
      onClose={onClose}
      onSubmit={() => {
        const missing = name.trim() ? null : 'Give the workflow a name.';
        setNameError(missing);
        if (!missing && !timeoutError) save.mutate();
      }}
      footer={
        <>
          <Button variant="ghost" isLoading={archive.isPending} onClick={() => archive.mutate()}>
            Archive workflow
          </Button>
          <span className="grow" />
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" isLoading={save.isPending}>
            Save settings
          </Button>
        </>
      }
    >
      <div className="stack">
        <FormError message={save.error ? describeError(save.error) : null} />
        <Field label="Name" error={nameError}>
          {(control) => <Input {...control} value={name} maxLength={200} onChange={(event) => setName(event.target.value)} />}
        </Field>
        <Field label="Description" isOptional>
          {(control) => <Textarea {...control} rows={3} maxLength={5000} value={description} onChange={(event) => setDescription(event.target.value)} />}
        </Field>
        <Field label="Keep a record of" hint="What the runs list shows for this workflow.">
          {(control) => (
            <Select {...control} value={savingPolicy} onChange={(event) => setSavingPolicy(event.target.value as WorkflowSettings['savingPolicy'])}>
              {SAVING_POLICIES.map((policy) => (
                <option key={policy.value} value={policy.value}>
                  {policy.label}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label="Time limit per run (seconds)" error={timeoutError}>
          {(control) => <Input {...control} type="number" min={0.1} step="any" value={timeoutSeconds} onChange={(event) => setTimeoutSeconds(event.target.value)} />}
        </Field>
      </div>
    </Dialog>
  );
}
