import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { describeError } from '../../api/api-client';
import { queryKeys } from '../../api/query-keys';
import { buildWebhookUrl, workflowsApi, type WorkflowDocument, type WorkflowSummary } from '../../api/workflows.api';
import { Button } from '../../components/button';
import { Field, FormError } from '../../components/field';
import { CheckIcon, PlayIcon, RocketIcon, SparkIcon } from '../../components/icons';
import { Input } from '../../components/input';
import { buildStarterWorkflow } from './starter-workflow';

const doneKey = (workspaceSlug: string) => `weft:tour-done:${workspaceSlug}`;

/** The tour shows once per workspace on this device: finished or skipped, it stays away. */
export function isTourDone(workspaceSlug: string): boolean {
  try {
    return localStorage.getItem(doneKey(workspaceSlug)) !== null;
  } catch {
    return true;
  }
}

function markTourDone(workspaceSlug: string): void {
  try {
    localStorage.setItem(doneKey(workspaceSlug), new Date().toISOString());
  } catch {
    // Storage blocked: the tour shows again next time, which is harmless.
  }
}

const STEPS = ['Create the example', 'Publish it', 'Call its webhook', 'Done'] as const;

interface OnboardingTourProps {
  workspaceSlug: string;
  onStarted: () => void;
  onClose: () => void;
}

/**
 * First visit to an empty workspace: four steps to a working workflow — the
 * starter example imported, published, called at its webhook from this page
 * with the reply shown — in well under two minutes.
 */
export function OnboardingTour({ workspaceSlug, onStarted, onClose }: OnboardingTourProps) {
  const queryClient = useQueryClient();
  const [document] = useState<WorkflowDocument>(buildStarterWorkflow);
  const [workflow, setWorkflow] = useState<WorkflowSummary | null>(null);
  const [name, setName] = useState('Ada');
  const [reply, setReply] = useState<{ status: number; body: string } | null>(null);
  const webhookPath = String(document.graph.nodes[0]!.params.path);
  const webhookUrl = buildWebhookUrl(workspaceSlug, webhookPath);

  const create = useMutation({
    mutationFn: () => workflowsApi.importWorkflow(workspaceSlug, document),
    onMutate: onStarted,
    onSuccess: ({ workflow: created }) => {
      setWorkflow(created);
      void queryClient.invalidateQueries({ queryKey: queryKeys.workflows(workspaceSlug) });
    },
  });
  const publish = useMutation({
    mutationFn: () => workflowsApi.publishWorkflow(workspaceSlug, workflow!.id, 'First version, from the getting-started tour'),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.workflows(workspaceSlug) }),
  });
  const call = useMutation({
    mutationFn: async () => {
      const response = await fetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }), credentials: 'omit' });
      const text = await response.text();
      let body = text;
      try {
        body = JSON.stringify(JSON.parse(text), null, 2);
      } catch {
        // Not JSON: shown as it came.
      }
      return { status: response.status, body };
    },
    onSuccess: (answer) => {
      setReply(answer);
      if (answer.status < 300) markTourDone(workspaceSlug);
    },
  });

  const step = !workflow ? 0 : !publish.isSuccess ? 1 : !reply || reply.status >= 300 ? 2 : 3;
  const error = create.error ?? publish.error ?? call.error;
  const finish = () => {
    markTourDone(workspaceSlug);
    onClose();
  };

  return (
    <section className="card tour" aria-labelledby="tour-title">
      <header className="card-header">
        <div>
          <h2 id="tour-title">
            <SparkIcon size={16} /> Your first working workflow
          </h2>
          <p>Four steps, about a minute: a webhook that answers with a greeting.</p>
        </div>
        <Button size="sm" variant="ghost" onClick={finish}>
          {step === 3 ? 'Close' : 'Skip the tour'}
        </Button>
      </header>
      <div className="card-body stack">
        <ol className="tour-steps" aria-label="Steps">
          {STEPS.map((label, index) => (
            <li key={label} className={index < step ? 'is-done' : index === step ? 'is-current' : undefined} aria-current={index === step ? 'step' : undefined}>
              <span className="tour-step-number" aria-hidden="true">
                {index < step ? <CheckIcon size={12} /> : index + 1}
              </span>
              {label}
              {index < step ? <span className="visually-hidden"> (done)</span> : null}
            </li>
          ))}
        </ol>
        {step === 0 ? (
          <div className="stack-sm">
            <p>The example has three nodes: a <strong>webhook</strong> trigger, a <strong>transform</strong> that builds a greeting from the request body, and a <strong>respond</strong> node that sends it back.</p>
            <div>
              <Button variant="primary" icon={<SparkIcon />} isLoading={create.isPending} onClick={() => create.mutate()}>
                Create the example workflow
              </Button>
            </div>
          </div>
        ) : step === 1 ? (
          <div className="stack-sm">
            <p>“{workflow!.name}” is created as a draft. Publishing makes it live: its webhook starts answering.</p>
            <div>
              <Button variant="primary" icon={<RocketIcon />} isLoading={publish.isPending} onClick={() => publish.mutate()}>
                Publish version 1
              </Button>
            </div>
          </div>
        ) : step === 2 ? (
          <form
            className="stack-sm"
            onSubmit={(event) => {
              event.preventDefault();
              call.mutate();
            }}
          >
            <p>
              It listens at <code className="mono">{webhookUrl}</code>. Send it a name, as any program could:
            </p>
            <Field label="Name to greet">{(control) => <Input {...control} value={name} maxLength={100} onChange={(event) => setName(event.target.value)} />}</Field>
            <div>
              <Button type="submit" variant="primary" icon={<PlayIcon size={14} />} isLoading={call.isPending}>
                Call the webhook
              </Button>
            </div>
            {reply ? <p className="field-error">The webhook answered {reply.status}: {reply.body}</p> : null}
          </form>
        ) : (
          <div className="stack-sm">
            <p role="status">
              <strong>It works.</strong> The webhook answered {reply!.status}:
            </p>
            <pre className="code-block" tabIndex={0} aria-label="Webhook reply" data-testid="tour-reply">{reply!.body}</pre>
            <div className="row">
              <Link className="btn btn-primary" to={`/w/${workspaceSlug}/workflows/${workflow!.id}`} onClick={finish}>
                Open it in the editor
              </Link>
              <Link className="btn btn-secondary" to={`/w/${workspaceSlug}/runs`} onClick={finish}>
                See the run
              </Link>
            </div>
          </div>
        )}
        <FormError message={error ? describeError(error) : null} />
      </div>
    </section>
  );
}
