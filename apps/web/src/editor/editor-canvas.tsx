import { Background, BackgroundVariant, Controls, MiniMap, ReactFlow, useNodesInitialized, useReactFlow, type IsValidConnection } from '@xyflow/react';
import { useCallback, useEffect, useState, type DragEvent } from 'react';
import type { NodeTypeDescription } from '../api/node-types.api';
import { useResolvedTheme } from '../lib/theme';
import { useEditorFacts } from './editor-context';
import type { WeftFlowNode } from './graph-conversion';
import { DRAG_MIME } from './node-palette';
import type { EditorState } from './use-editor-state';
import { NODE_TYPES } from './weft-node';

const KIND_COLORS = { trigger: 'var(--kind-trigger)', action: 'var(--kind-action)', flow: 'var(--kind-flow)' } as const;
const DEFAULT_EDGE_OPTIONS = { type: 'smoothstep', pathOptions: { borderRadius: 12 } };
const SNAP_GRID: [number, number] = [20, 20];
const FIT_VIEW_OPTIONS = { padding: 0.2, maxZoom: 1.2 };
const MULTI_SELECTION_KEYS = ['Meta', 'Control', 'Shift'];
// xyflow copies many props into its store when they change identity, and every
// store update runs the selectors of every node, edge and handle: props stay stable.

interface EditorCanvasProps {
  editor: EditorState;
  isReadOnly: boolean;
  findNodeType: (key: string) => NodeTypeDescription | undefined;
  onAddNode: (description: NodeTypeDescription, position: { x: number; y: number }) => void;
  /** Fit the graph in view when it opens; an empty canvas keeps zoom 1, so the first node lands where it is dropped. */
  shouldFitOnOpen: boolean;
}

/**
 * The minimap subscribes to every node: mounting it once the nodes are
 * measured, when the browser is idle, keeps it out of the first render of a
 * large workflow (it appears a moment later).
 */
function useIsMinimapShown(): boolean {
  const isInitialized = useNodesInitialized();
  const [isShown, setShown] = useState(false);
  useEffect(() => {
    if (isShown || !isInitialized) return;
    const handle = window.requestIdleCallback(() => setShown(true), { timeout: 500 });
    return () => window.cancelIdleCallback(handle);
  }, [isInitialized, isShown]);
  return isShown;
}

export function EditorCanvas({ editor, isReadOnly, findNodeType, onAddNode, shouldFitOnOpen }: EditorCanvasProps) {
  const { screenToFlowPosition } = useReactFlow();
  const { describeNodeType } = useEditorFacts();
  const theme = useResolvedTheme();
  const isMinimapShown = useIsMinimapShown();

  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(DRAG_MIME)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const description = findNodeType(event.dataTransfer.getData(DRAG_MIME));
      if (!description || isReadOnly) return;
      event.preventDefault();
      // Centre the node (about 220×90) under the pointer.
      const position = screenToFlowPosition({ x: event.clientX, y: event.clientY });
      onAddNode(description, { x: position.x - 110, y: position.y - 40 });
    },
    [findNodeType, isReadOnly, onAddNode, screenToFlowPosition],
  );

  const { checkpoint } = editor;
  const onNodeDragStart = useCallback(() => checkpoint(), [checkpoint]);
  const isValidConnection: IsValidConnection = useCallback((connection) => connection.source !== connection.target, []);

  const minimapColor = useCallback(
    (node: WeftFlowNode) => KIND_COLORS[describeNodeType(node.data.type, node.data.version)?.kind ?? 'action'],
    [describeNodeType],
  );

  return (
    <div className="editor-canvas" onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow<WeftFlowNode>
        nodes={editor.nodes}
        edges={editor.edges}
        nodeTypes={NODE_TYPES}
        onNodesChange={editor.onNodesChange}
        onEdgesChange={editor.onEdgesChange}
        onConnect={editor.onConnect}
        onNodeDragStart={onNodeDragStart}
        onNodeDragStop={editor.dropCheckpointIfUnchanged}
        isValidConnection={isValidConnection}
        nodesDraggable={!isReadOnly}
        nodesConnectable={!isReadOnly}
        deleteKeyCode={null}
        multiSelectionKeyCode={MULTI_SELECTION_KEYS}
        selectionKeyCode="Shift"
        defaultEdgeOptions={DEFAULT_EDGE_OPTIONS}
        snapToGrid
        snapGrid={SNAP_GRID}
        colorMode={theme}
        fitView={shouldFitOnOpen}
        fitViewOptions={FIT_VIEW_OPTIONS}
        minZoom={0.1}
        maxZoom={2}
        aria-label="Workflow canvas"
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1.2} />
        <Controls showInteractive={false} />
        {isMinimapShown ? <MiniMap pannable zoomable nodeColor={minimapColor} nodeStrokeWidth={0} ariaLabel="Overview of the workflow" /> : null}
      </ReactFlow>
    </div>
  );
}
