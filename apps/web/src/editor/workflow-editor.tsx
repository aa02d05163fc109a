import { useReactFlow } from '@xyflow/react';
import { useCallback, useMemo, useState } from 'react';
import { useBlocker } from 'react-router';
import { describeError } from '../api/api-client';
import { nodeTypeKey, type NodeTypeDescription } from '../api/node-types.api';
import type { WorkflowView } from '../api/workflows.api';
import { hasPermission, type Workspace } from '../api/workspaces.api';
import { Button } from '../components/button';
import { Dialog } from '../components/dialog';
import { useToast } from '../components/toast';
import { readWorkflowFile } from '../pages/workflows/read-workflow-file';
import type { EditorDraft } from './editor-draft';
import { EditorCanvas } from './editor-canvas';
import { EditorFactsContext, type EditorFacts } from './editor-context';
import { EditorToolbar } from './editor-toolbar';
import { readDraftGraph, stringifyStable } from './graph-conversion';
import { buildNewNode } from './new-node';
import { NodeInspector } from './node-inspector';
import { NodePalette } from './node-palette';
import { PublishDialog } from './publish-dialog';
import { RunPanel } from './run-panel';
import { useEditorRun } from './use-editor-run';
import { VersionDiffDialog, type VersionComparison } from './version-diff-dialog';
import { useEditorShortcuts } from './use-editor-shortcuts';
import { useEditorState } from './use-editor-state';
import { useWorkflowPersistence } from './use-workflow-persistence';
import { VersionsPanel } from './versions-panel';
import { WorkflowOverview } from './workflow-overview';
import { WorkflowSettingsDialog } from './workflow-settings-dialog';
import { downloadFile, groupProblemsByNode } from './editor-helpers';

interface WorkflowEditorProps {
  workspace: Workspace;
  workflow: WorkflowView;
  nodeTypes: readonly NodeTypeDescription[];
  localDraft: EditorDraft | null;
}

export function WorkflowEditor({ workspace, workflow, nodeTypes, localDraft }: WorkflowEditorProps) {
  const toast = useToast();
  const { screenToFlowPosition, fitView } = useReactFlow();
  const serverGraph = useMemo(() => readDraftGraph(workflow.draftGraph), [workflow.draftGraph]);
  const editor = useEditorState(serverGraph);
  const persistence = useWorkflowPersistence(workspace.slug, workflow, serverGraph, editor);
  const isReadOnly = !hasPermission(workspace, 'resources.write');
  const editorRun = useEditorRun(workspace.slug, workflow.id, editor.graph);
  const canRun = hasPermission(workspace, 'resources.execute');
  // The side panel: version history, the run panel, or (null) the overview; a selected node shows over the run panel.
  const [panel, setPanel] = useState<'versions' | 'run' | null>(null);
  const isVersionsOpen = panel === 'versions';
  const [comparison, setComparison] = useState<VersionComparison | null>(null);
  const [isPaletteOpen, setPaletteOpen] = useState(false);
  const [isPublishOpen, setPublishOpen] = useState(false);
  const [isSettingsOpen, setSettingsOpen] = useState(false);
  const [details, setDetails] = useState({ name: workflow.name, description: workflow.description, settings: workflow.settings });
  const [pendingDraft, setPendingDraft] = useState(() =>
    localDraft && stringifyStable(localDraft.graph) !== stringifyStable(serverGraph) ? localDraft : null,
  );

  const typesByKey = useMemo(() => new Map(nodeTypes.map((item) => [nodeTypeKey(item.type, item.version), item])), [nodeTypes]);
  const facts = useMemo<EditorFacts>(
    () => ({ describeNodeType: (type, version) => typesByKey.get(nodeTypeKey(type, version)), problemsByNode: groupProblemsByNode(persistence.problems), runStates: editorRun.nodeStates }),
    [typesByKey, persistence.problems, editorRun.nodeStates],
  );
  const findNodeType = useCallback((key: string) => typesByKey.get(key), [typesByKey]);

  const addNode = useCallback(
    (description: NodeTypeDescription, position?: { x: number; y: number }) => {
      const taken = new Set(editor.nodes.map((node) => node.id));
      const selected = editor.nodes.filter((node) => node.selected);
      const anchor = selected.length === 1 ? selected[0]! : null;
      const anchorOutputs = anchor ? (facts.describeNodeType(anchor.data.type, anchor.data.version)?.ports.outputs ?? []) : [];
      const canvas = document.querySelector('.editor-canvas')?.getBoundingClientRect();
      const centre = canvas ? screenToFlowPosition({ x: canvas.left + canvas.width / 2, y: canvas.top + canvas.height / 2 }) : { x: 0, y: 0 };
      const at = position ?? (anchor ? { x: anchor.position.x + 300, y: anchor.position.y } : { x: centre.x - 110, y: centre.y - 40 });
      const node = buildNewNode(description, at, taken);
      // Added after the selected node (no drop position given): connect it, as people expect.
      const edges = !position && anchor && anchorOutputs[0] && description.ports.inputs[0] ? [{ from: anchor.id, fromPort: anchorOutputs[0], to: node.id, toPort: description.ports.inputs[0] }] : [];
      editor.insertNodes([node], edges);
      setPaletteOpen(false);
    },
    [editor, facts, screenToFlowPosition],
  );

  const focusNode = useCallback(
    (nodeId: string) => {
      editor.onNodesChange(editor.nodes.map((node) => ({ type: 'select' as const, id: node.id, selected: node.id === nodeId })));
      void fitView({ nodes: [{ id: nodeId }], duration: 300, maxZoom: 1.2 });
    },
    [editor, fitView],
  );

  useEditorShortcuts({ editor, isReadOnly, save: persistence.save });
  const blocker = useBlocker(({ currentLocation, nextLocation }) => persistence.isDirty && currentLocation.pathname !== nextLocation.pathname);

  const exportJson = () => {
    const document = { weft: 'workflow', version: 1, ...details, graph: editor.readGraph() };
    downloadFile(`${details.name.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 80) || 'workflow'}.workflow.json`, stringifyStable(document));
  };
  const importJson = async (file: File) => {
    try {
      const imported = await readWorkflowFile(file);
      editor.replaceGraph(readDraftGraph(imported.graph));
      void fitView({ duration: 300 });
      toast.showInfo(`Imported ${imported.graph.nodes.length} nodes from ${file.name}. Save to keep them; Undo to go back.`);
    } catch (error) {
      toast.showError(describeError(error));
    }
  };

  const selected = editor.nodes.filter((node) => node.selected);
  const inspected = selected.length === 1 ? selected[0]! : null;
  const isInspectorOpen = panel !== null || inspected !== null;
  const runStep = inspected && editorRun.run ? (editorRun.run.steps.filter((step) => step.nodeId === inspected.id).at(-1) ?? null) : null;

  return (
    <EditorFactsContext.Provider value={facts}>
      <div className="editor">
        <EditorToolbar
          workflowName={details.name}
          backTo={`/w/${workspace.slug}/workflows`}
          publishedVersion={persistence.publishedVersion}
          saveState={persistence.saveState}
          problemCount={persistence.problems.length}
          canUndo={editor.canUndo}
          canRedo={editor.canRedo}
          isReadOnly={isReadOnly}
          isPaletteOpen={isPaletteOpen}
          onUndo={editor.undo}
          onRedo={editor.redo}
          onSave={persistence.save}
          onPublish={() => setPublishOpen(true)}
          onRun={() => {
            setPanel((current) => (current === 'run' && !inspected ? null : 'run'));
            if (inspected) editor.onNodesChange(selected.map((node) => ({ type: 'select' as const, id: node.id, selected: false })));
          }}
          isRunOpen={panel === 'run'}
          isRunLive={editorRun.isLive}
          onToggleVersions={() => setPanel((current) => (current === 'versions' ? null : 'versions'))}
          onOpenSettings={() => setSettingsOpen(true)}
          onTogglePalette={() => setPaletteOpen((open) => !open)}
          onExport={exportJson}
          onImport={(file) => void importJson(file)}
        />
        {pendingDraft ? (
          <div className="banner" role="status">
            <span className="grow">
              You have unsaved changes from {new Date(pendingDraft.savedAt).toLocaleString()}
              {pendingDraft.basedOn !== workflow.draftUpdatedAt ? ' (the draft was saved elsewhere since)' : ''}.
            </span>
            <Button size="sm" variant="primary" onClick={() => { editor.replaceGraph(pendingDraft.graph); setPendingDraft(null); }}>
              Restore them
            </Button>
            <Button size="sm" variant="ghost" onClick={() => { persistence.discardLocalDraft(); setPendingDraft(null); }}>
              Discard
            </Button>
          </div>
        ) : null}
        <div className={['editor-body', isPaletteOpen && 'is-palette-open', isInspectorOpen && 'is-inspector-open'].filter(Boolean).join(' ')}>
          <aside className="editor-palette" aria-label="Nodes">
            <NodePalette nodeTypes={nodeTypes} onAdd={(description) => addNode(description)} isReadOnly={isReadOnly} />
          </aside>
          <EditorCanvas editor={editor} isReadOnly={isReadOnly} findNodeType={findNodeType} onAddNode={addNode} shouldFitOnOpen={serverGraph.nodes.length > 0} />
          <aside className="editor-inspector" aria-label={isVersionsOpen ? 'Version history' : inspected ? 'Node settings' : panel === 'run' ? 'Run' : 'Workflow overview'}>
            {isVersionsOpen ? (
              <VersionsPanel
                workspaceSlug={workspace.slug}
                workflowId={workflow.id}
                publishedVersion={persistence.publishedVersion}
                onClose={() => setPanel(null)}
                onRolledBack={persistence.setPublishedVersion}
                onCompare={setComparison}
              />
            ) : inspected ? (
              <NodeInspector
                key={inspected.id}
                node={inspected}
                editor={editor}
                workspaceSlug={workspace.slug}
                isReadOnly={isReadOnly}
                nodeTest={canRun ? { workflowId: workflow.id, isDirty: persistence.isDirty, ensureSaved: persistence.ensureSaved } : null}
                runStep={runStep}
                run={editorRun.run}
                workflowId={workflow.id}
              />
            ) : panel === 'run' ? (
              <RunPanel
                workspaceSlug={workspace.slug}
                graph={editor.graph}
                publishedVersion={persistence.publishedVersion}
                isDirty={persistence.isDirty}
                canRun={canRun}
                editorRun={editorRun}
                ensureSaved={persistence.ensureSaved}
                onFocusNode={focusNode}
                onClose={() => setPanel(null)}
              />
            ) : (
              <WorkflowOverview graph={editor.graph} problems={persistence.problems} workspaceSlug={workspace.slug} isPublished={persistence.publishedVersion !== null} onFocusNode={focusNode} />
            )}
          </aside>
        </div>
      </div>
      <PublishDialog
        workflowId={workflow.id}
        isOpen={isPublishOpen}
        isPublishing={persistence.publish.isPending}
        hasUnsavedChanges={persistence.isDirty}
        problemCount={persistence.problems.length}
        nextVersion={(persistence.publishedVersion ?? 0) + 1}
        onClose={() => setPublishOpen(false)}
        onPublish={(message) => persistence.publish.mutate(message, { onSettled: () => setPublishOpen(false) })}
      />
      {comparison ? (
        <VersionDiffDialog
          workspaceSlug={workspace.slug}
          workflowId={workflow.id}
          comparison={comparison}
          publishedVersion={persistence.publishedVersion}
          canRollback={!isReadOnly}
          onClose={() => setComparison(null)}
          onRolledBack={persistence.setPublishedVersion}
        />
      ) : null}
      <WorkflowSettingsDialog
        key={String(isSettingsOpen)}
        workspaceSlug={workspace.slug}
        workflow={{ id: workflow.id, ...details }}
        isOpen={isSettingsOpen}
        onClose={() => setSettingsOpen(false)}
        onSaved={(updated) => setDetails({ name: updated.name, description: updated.description, settings: updated.settings })}
      />
      <Dialog
        isOpen={blocker.state === 'blocked'}
        title="Leave with unsaved changes?"
        onClose={() => blocker.reset?.()}
        footer={
          <>
            <Button onClick={() => blocker.reset?.()}>Stay</Button>
            <Button variant="danger" onClick={() => blocker.proceed?.()}>
              Leave
            </Button>
          </>
        }
      >
        <p>Your changes are kept on this device and offered again when you come back, but they are not saved to the workspace.</p>
      </Dialog>
    </EditorFactsContext.Provider>
  );
}
