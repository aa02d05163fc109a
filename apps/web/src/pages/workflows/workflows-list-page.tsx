import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { describeError } from '../../api/api-client';
import { queryKeys } from '../../api/query-keys';
import { workflowsApi, type WorkflowDocument } from '../../api/workflows.api';
import { hasPermission } from '../../api/workspaces.api';
import { Button } from '../../components/button';
import { EmptyState, ErrorState } from '../../components/empty-state';
import { PlusIcon, SparkIcon, UploadIcon, WorkflowIcon } from '../../components/icons';
import { PageHeader } from '../../components/page-header';
import { LoadingBlock } from '../../components/spinner';
import { useToast } from '../../components/toast';
import { preloadEditorWhenIdle } from '../../lib/preload-editor';
import { useDocumentTitle } from '../../lib/use-document-title';
import { useCurrentWorkspace } from '../shell/workspace-scope';
import { NewWorkflowDialog } from './new-workflow-dialog';
import { isTourDone, OnboardingTour } from './onboarding-tour';
import { readWorkflowFile } from './read-workflow-file';
import { buildStarterWorkflow } from './starter-workflow';
import { SchedulesCard } from './schedules-card';
import { WorkflowsTable } from './workflows-table';

export function WorkflowsListPage() {
  const workspace = useCurrentWorkspace();
  useDocumentTitle(`Workflows · ${workspace.name}`);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const toast = useToast();
  const [params] = useSearchParams();
  const fileInput = useRef<HTMLInputElement>(null);
  const [isCreating, setCreating] = useState(false);
  // The tour stays on screen once started (the list is no longer empty then) until it is closed.
  const [tourStartedIn, setTourStartedIn] = useState<string | null>(null);
  const [tourClosedIn, setTourClosedIn] = useState<string | null>(null);
  const canWrite = hasPermission(workspace, 'resources.write');
  const workflows = useQuery({ queryKey: queryKeys.workflows(workspace.slug), queryFn: () => workflowsApi.listWorkflows(workspace.slug) });
  useEffect(() => preloadEditorWhenIdle(queryClient), [queryClient]);

  const importDocument = useMutation({
    mutationFn: (document: WorkflowDocument) => workflowsApi.importWorkflow(workspace.slug, document),
    onSuccess: async ({ workflow }) => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.workflows(workspace.slug) });
      toast.showSuccess(`“${workflow.name}” is ready. Publish it to switch it on.`);
      void navigate(`/w/${workspace.slug}/workflows/${workflow.id}`);
    },
    onError: (error) => toast.showError(describeError(error)),
  });

  const importFile = async (file: File | undefined) => {
    if (!file) return;
    try {
      importDocument.mutate(await readWorkflowFile(file));
    } catch (error) {
      toast.showError(describeError(error));
    }
  };

  const actions = canWrite ? (
    <>
      <input ref={fileInput} type="file" accept="application/json,.json" hidden onChange={(event) => void importFile(event.target.files?.[0])} />
      <Button icon={<UploadIcon />} isLoading={importDocument.isPending} onClick={() => fileInput.current?.click()}>
        Import
      </Button>
      <Button variant="primary" icon={<PlusIcon />} onClick={() => setCreating(true)}>
        New workflow
      </Button>
    </>
  ) : null;

  const items = workflows.data?.items ?? [];
  const isTourShown =
    canWrite && workflows.isSuccess && tourClosedIn !== workspace.slug && (tourStartedIn === workspace.slug || (items.length === 0 && !isTourDone(workspace.slug)));
  return (
    <div className="page">
      <PageHeader title="Workflows" description="Triggers, steps and actions that run on their own." actions={items.length > 0 ? actions : null} />
      {isTourShown ? <OnboardingTour key={workspace.slug} workspaceSlug={workspace.slug} onStarted={() => setTourStartedIn(workspace.slug)} onClose={() => setTourClosedIn(workspace.slug)} /> : null}
      {params.get('welcome') && items.length === 0 && !isTourShown ? (
        <div className="callout">
          <SparkIcon />
          <span>Welcome to Weft! The quickest start: import the example below, publish it, and call its webhook. It takes about a minute.</span>
        </div>
      ) : null}
      {workflows.isPending ? (
        <LoadingBlock label="Loading workflows…" />
      ) : workflows.isError ? (
        <ErrorState error={workflows.error} onRetry={() => void workflows.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState
          icon={<WorkflowIcon size={22} />}
          title="No workflows yet"
          description="A workflow starts on a trigger — a webhook call, a schedule, a Discord event — and runs its steps in order. Start from a working example and change it, or from a blank canvas."
          actions={
            canWrite ? (
              <>
                <Button variant="primary" icon={<SparkIcon />} isLoading={importDocument.isPending} onClick={() => importDocument.mutate(buildStarterWorkflow())}>
                  Start from an example
                </Button>
                <Button icon={<PlusIcon />} onClick={() => setCreating(true)}>
                  Blank workflow
                </Button>
                <input ref={fileInput} type="file" accept="application/json,.json" hidden onChange={(event) => void importFile(event.target.files?.[0])} />
                <Button variant="ghost" icon={<UploadIcon />} onClick={() => fileInput.current?.click()}>
                  Import JSON
                </Button>
              </>
            ) : null
          }
        />
      ) : (
        <>
          <WorkflowsTable workspaceSlug={workspace.slug} workflows={items} />
          <SchedulesCard workspaceSlug={workspace.slug} workflows={items} />
        </>
      )}
      <NewWorkflowDialog isOpen={isCreating} onClose={() => setCreating(false)} />
    </div>
  );
}
