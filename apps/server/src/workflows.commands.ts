import { readFile } from 'node:fs/promises';
import { AppError, CoreErrors } from '@weft/kernel';
import { WorkflowErrors, type WorkflowsApi } from '@weft/workflows';

export interface ImportWorkflowFileInput {
  /** Path of a `*.workflow.json` export document. */
  file: string;
  /** Workspace id or slug. */
  workspace: string;
  publish: boolean;
}

/** What the command needs from the platform; the composition root passes the real modules. */
export interface WorkflowCommandApis {
  workflows: Pick<WorkflowsApi, 'importWorkflow'>;
  /** The workspaces module's lookup by id or slug (no access check: the CLI runs as the instance operator). */
  findWorkspace(ref: string): Promise<{ id: string; slug: string } | null>;
}

export interface ImportedWorkflowSummary {
  workflowId: string;
  name: string;
  workspace: string;
  /** The published version, or null when imported as a draft. */
  version: number | null;
}

/**
 * `weft import FILE --workspace W [--publish]`: creates a workflow from an
 * export document, as the system actor (audited as such). The document is
 * validated like an API import: a graph with problems is refused with all
 * of them listed.
 */
export async function importWorkflowFile(input: ImportWorkflowFileInput, apis: WorkflowCommandApis): Promise<ImportedWorkflowSummary> {
  const text = await readFile(input.file, 'utf8');
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new AppError(WorkflowErrors.WORKFLOW_DOCUMENT_INVALID, `${input.file} is not JSON: ${(error as Error).message}`);
  }
  const workspace = await apis.findWorkspace(input.workspace);
  if (!workspace) throw new AppError(CoreErrors.NOT_FOUND, `No workspace "${input.workspace}"`);
  const imported = await apis.workflows.importWorkflow(workspace, { type: 'system', id: null }, document, input.publish);
  return { workflowId: imported.workflow.id, name: imported.workflow.name, workspace: workspace.slug, version: imported.published?.version ?? null };
}

/** One line for the terminal; problems of a refused graph are listed one per line by `describeImportFailure`. */
export function describeImportedWorkflow(summary: ImportedWorkflowSummary): string {
  const state = summary.version === null ? 'as a draft' : `and published version ${summary.version}`;
  return `Imported "${summary.name}" into ${summary.workspace} ${state} (workflow ${summary.workflowId}).`;
}

export function describeImportFailure(error: unknown): string {
  if (!(error instanceof AppError)) return error instanceof Error ? error.message : String(error);
  const problems = Array.isArray(error.details)
    ? (error.details as { message?: string; nodeId?: string; path?: string }[]).map(
        (problem) => `  - ${problem.nodeId ? `[${problem.nodeId}] ` : ''}${problem.path ? `${problem.path}: ` : ''}${problem.message ?? ''}`,
      )
    : [];
  return [`${error.code}: ${error.message}`, ...problems].join('\n');
}
