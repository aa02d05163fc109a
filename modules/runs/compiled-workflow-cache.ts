import { compileWorkflow, type CompiledWorkflow, type CompileWorkflowOptions, type NodeRegistry } from '@weft/engine';
import { AppError } from '@weft/kernel';
import { WorkflowErrors, type RunnableVersion } from '@weft/workflows';

export interface CompiledWorkflowCacheOptions {
  registry: NodeRegistry;
  findRunnableVersion(versionId: string): Promise<RunnableVersion | null>;
  compileOptions?: CompileWorkflowOptions;
  /** Versions kept compiled; the least recently used goes first. */
  maxEntries?: number;
}

export interface CompiledWorkflowCache {
  /** Compiles a version once; concurrent callers share the same load. */
  load(versionId: string): Promise<CompiledWorkflow>;
  /** The compiled version if it is in memory, without any await (the webhook hot path). */
  peek(versionId: string): CompiledWorkflow | undefined;
  /**
   * What a run executes: its published version, or the draft graph a draft
   * run carries. Draft runs are few (started from the editor) and each has
   * its own graph, so they are compiled again rather than cached.
   */
  loadForRun(run: { versionId: string | null; draftGraph?: unknown }): Promise<CompiledWorkflow>;
  readonly size: number;
}

/**
 * Published versions are immutable, so a compiled version never goes stale:
 * a publish points triggers at a new version id, and the old entry simply
 * ages out of this bounded cache.
 */
export function createCompiledWorkflowCache(options: CompiledWorkflowCacheOptions): CompiledWorkflowCache {
  const maxEntries = options.maxEntries ?? 1000;
  const compiled = new Map<string, CompiledWorkflow>();
  const loading = new Map<string, Promise<CompiledWorkflow>>();

  function remember(versionId: string, workflow: CompiledWorkflow): void {
    compiled.delete(versionId);
    compiled.set(versionId, workflow);
    if (compiled.size > maxEntries) compiled.delete(compiled.keys().next().value!);
  }

  async function compileVersion(versionId: string): Promise<CompiledWorkflow> {
    const version = await options.findRunnableVersion(versionId);
    if (!version) throw new AppError(WorkflowErrors.WORKFLOW_VERSION_NOT_FOUND, `Version ${versionId} not found`);
    const workflow = compileWorkflow(version.graph, options.registry, options.compileOptions);
    remember(versionId, workflow);
    return workflow;
  }

  const cache: CompiledWorkflowCache = {
    // No recency bump here, to keep the hot path to one Map lookup: an evicted version is compiled again on its next load.
    peek: (versionId) => compiled.get(versionId),
    load(versionId) {
      const hit = compiled.get(versionId);
      if (hit) {
        remember(versionId, hit);
        return Promise.resolve(hit);
      }
      let pending = loading.get(versionId);
      if (!pending) {
        pending = compileVersion(versionId).finally(() => loading.delete(versionId));
        loading.set(versionId, pending);
      }
      return pending;
    },
    async loadForRun(run) {
      if (run.versionId !== null) return cache.load(run.versionId);
      return compileWorkflow(run.draftGraph, options.registry, options.compileOptions);
    },
    get size() {
      return compiled.size;
    },
  };
  return cache;
}
