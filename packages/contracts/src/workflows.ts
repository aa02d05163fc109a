import { z } from 'zod';
import { IsoDate, Page, PageQuery, WorkspaceParams } from './common';

export const SavingPolicy = z.enum(['all', 'failed', 'none']);
export type SavingPolicy = z.output<typeof SavingPolicy>;

/** Run settings of a workflow; what an export carries besides the graph. */
export const WorkflowSettings = z.object({
  /** Which runs are kept: every run, failed ones only, or none (the fastest webhooks). */
  savingPolicy: SavingPolicy.default('all'),
  /** Most runs of this workflow at once across every worker; null for no limit. */
  concurrencyLimit: z.number().int().min(1).max(10_000).nullable().default(null),
  timeoutMs: z.number().int().min(100).max(86_400_000).default(300_000),
});
export type WorkflowSettings = z.output<typeof WorkflowSettings>;

/** A change of some settings; the others stay. */
export const SettingsPatch = z.strictObject({
  savingPolicy: SavingPolicy.optional(),
  concurrencyLimit: z.number().int().min(1).max(10_000).nullable().optional(),
  timeoutMs: z.number().int().min(100).max(86_400_000).optional(),
});
export type SettingsPatch = z.input<typeof SettingsPatch>;

/**
 * A draft graph as the editor saves it: the outer shape only. Everything
 * inside is checked by the engine's validator, whose problems the editor
 * shows; an unfinished draft is still worth saving.
 */
export const DraftGraph = z.object({
  nodes: z.array(z.unknown()).max(2000),
  edges: z.array(z.unknown()).max(10_000),
});
export type DraftGraph = z.output<typeof DraftGraph>;

export const WorkflowName = z.string().trim().min(1).max(200);
export const WorkflowDescription = z.string().max(5000);

/** The export format: stable, pretty JSON that diffs well in git (modules/workflows writes the bytes). */
export const WorkflowDocument = z.object({
  weft: z.literal('workflow'),
  version: z.literal(1),
  name: WorkflowName,
  description: WorkflowDescription.default(''),
  settings: WorkflowSettings.default({ savingPolicy: 'all', concurrencyLimit: null, timeoutMs: 300_000 }),
  graph: DraftGraph,
});
export type WorkflowDocument = z.output<typeof WorkflowDocument>;

export const WorkflowParams = WorkspaceParams.extend({ id: z.uuid() });
export type WorkflowParams = z.output<typeof WorkflowParams>;

/** One thing wrong with a draft; `path` points into the graph (`nodes.2.params.path`). */
export const GraphProblemView = z.object({
  code: z.string(),
  message: z.string(),
  nodeId: z.string().optional(),
  path: z.string(),
});
export type GraphProblemView = z.output<typeof GraphProblemView>;

export const WorkflowSummary = z.object({
  id: z.string(),
  workspaceId: z.string(),
  name: z.string(),
  description: z.string(),
  publishedVersionId: z.string().nullable(),
  publishedVersion: z.number().nullable(),
  settings: WorkflowSettings,
  createdBy: z.string(),
  createdAt: IsoDate,
  updatedAt: IsoDate,
  archivedAt: IsoDate.nullable(),
});
export type WorkflowSummary = z.output<typeof WorkflowSummary>;

/** A workflow with its draft as saved (any shape: problems are listed, not refused) and the draft's problems. */
export const WorkflowView = WorkflowSummary.extend({
  draftGraph: z.unknown(),
  draftUpdatedAt: IsoDate,
  problems: z.array(GraphProblemView),
});
export type WorkflowView = z.output<typeof WorkflowView>;

export const WorkflowListQuery = PageQuery.extend({ includeArchived: z.enum(['true', 'false']).default('false') });
export type WorkflowListQuery = z.input<typeof WorkflowListQuery>;

export const WorkflowPage = Page(WorkflowSummary);
export type WorkflowPage = z.output<typeof WorkflowPage>;

export const CreateWorkflowBody = z.strictObject({
  name: WorkflowName,
  description: WorkflowDescription.optional(),
  graph: DraftGraph.optional(),
  settings: SettingsPatch.optional(),
});
export type CreateWorkflowBody = z.input<typeof CreateWorkflowBody>;

export const UpdateWorkflowBody = z
  .strictObject({
    name: WorkflowName.optional(),
    description: WorkflowDescription.optional(),
    graph: DraftGraph.optional(),
    settings: SettingsPatch.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'Send at least one field to change');
export type UpdateWorkflowBody = z.input<typeof UpdateWorkflowBody>;

/** A version number, or `draft` for the unpublished graph. */
export const VersionRef = z.literal('draft').or(z.coerce.number().int().min(1).max(1_000_000));
const VersionMessage = z.string().max(1000);

export const PublishWorkflowBody = z.strictObject({ message: VersionMessage.default('') }).default({ message: '' });
export type PublishWorkflowBody = z.input<typeof PublishWorkflowBody>;

export const PublishedVersionView = z.object({ versionId: z.string(), version: z.number(), publishedAt: IsoDate });
export type PublishedVersionView = z.output<typeof PublishedVersionView>;

export const VersionSummary = z.object({
  id: z.string(),
  version: z.number(),
  message: z.string(),
  publishedBy: z.string(),
  publishedAt: IsoDate,
});
export type VersionSummary = z.output<typeof VersionSummary>;

export const VersionList = z.object({ items: z.array(VersionSummary) });
export type VersionList = z.output<typeof VersionList>;

export const VersionParams = WorkflowParams.extend({ version: z.coerce.number().int().min(1).max(1_000_000) });
export type VersionParams = z.output<typeof VersionParams>;

export const VersionDetail = VersionSummary.extend({ graph: z.unknown() });
export type VersionDetail = z.output<typeof VersionDetail>;

export const VersionDiffParams = WorkflowParams.extend({ a: VersionRef, b: VersionRef });
export type VersionDiffParams = z.output<typeof VersionDiffParams>;

export const GraphEdgeView = z.object({ from: z.string(), fromPort: z.string(), to: z.string(), toPort: z.string() });
export type GraphEdgeView = z.output<typeof GraphEdgeView>;

/** What changed from one version to another: node ids, the changed parameter paths, edges. */
export const GraphDiffView = z.object({
  nodes: z.object({
    added: z.array(z.string()),
    removed: z.array(z.string()),
    changed: z.array(z.object({ nodeId: z.string(), paths: z.array(z.string()) })),
  }),
  edges: z.object({ added: z.array(GraphEdgeView), removed: z.array(GraphEdgeView) }),
});
export type GraphDiffView = z.output<typeof GraphDiffView>;

export const RollbackWorkflowBody = z.strictObject({ version: z.number().int().min(1), message: VersionMessage.optional() });
export type RollbackWorkflowBody = z.input<typeof RollbackWorkflowBody>;

export const ExportWorkflowQuery = z.object({ version: VersionRef.default('draft') });
export type ExportWorkflowQuery = z.input<typeof ExportWorkflowQuery>;

export const ImportWorkflowBody = z.strictObject({ document: WorkflowDocument, publish: z.boolean().default(false) });
export type ImportWorkflowBody = z.input<typeof ImportWorkflowBody>;

export const ImportedWorkflow = z.object({ workflow: WorkflowSummary, published: PublishedVersionView.nullable() });
export type ImportedWorkflow = z.output<typeof ImportedWorkflow>;
