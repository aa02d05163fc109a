import { useEffect, useRef } from 'react';
import type { GraphNode, GraphEdge } from '../api/workflows.api';
import { copyNodes, preparePaste, readClipboardContent } from './graph-clipboard';
import type { EditorState } from './use-editor-state';

interface ShortcutActions {
  editor: EditorState;
  isReadOnly: boolean;
  save: () => void;
}

/** Typing in a field keeps the browser's own shortcuts (undo a word, copy text…). */
function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) || target.closest('dialog[open]') !== null;
}

/**
 * Editor keyboard shortcuts: undo/redo, save, delete, select all, duplicate,
 * and copy/cut/paste through the system clipboard (as JSON, so nodes can move
 * between tabs), with an in-memory copy when the clipboard is unavailable.
 */
export function useEditorShortcuts({ editor, isReadOnly, save }: ShortcutActions): void {
  const latest = useRef({ editor, isReadOnly, save });
  latest.current = { editor, isReadOnly, save };

  useEffect(() => {
    const selectedIds = () => new Set(latest.current.editor.nodes.filter((node) => node.selected).map((node) => node.id));
    const takenIds = () => new Set(latest.current.editor.nodes.map((node) => node.id));
    const paste = (content: { nodes: GraphNode[]; edges: GraphEdge[] } | null) => {
      if (!content || content.nodes.length === 0) return;
      const prepared = preparePaste({ weftClipboard: 1, ...content }, takenIds());
      latest.current.editor.insertNodes(prepared.nodes, prepared.edges);
    };

    const onKeyDown = (event: KeyboardEvent) => {
      const { editor: state, isReadOnly: readOnly } = latest.current;
      const isMod = event.metaKey || event.ctrlKey;
      const key = event.key.toLowerCase();
      if (isMod && key === 's') {
        event.preventDefault();
        if (!readOnly) latest.current.save();
        return;
      }
      if (isTypingTarget(event.target) || readOnly) return;
      if (isMod && key === 'z') {
        event.preventDefault();
        if (event.shiftKey) state.redo();
        else state.undo();
      } else if (isMod && key === 'y') {
        event.preventDefault();
        state.redo();
      } else if (isMod && key === 'a') {
        event.preventDefault();
        state.selectAll();
      } else if (isMod && key === 'd') {
        event.preventDefault();
        paste(copyNodes(state.readGraph(), selectedIds()));
      } else if (!isMod && (event.key === 'Delete' || event.key === 'Backspace')) {
        event.preventDefault();
        state.deleteSelection();
      }
    };

    const onCopy = (event: ClipboardEvent, isCut: boolean) => {
      if (isTypingTarget(event.target) || window.getSelection()?.toString()) return;
      const content = copyNodes(latest.current.editor.readGraph(), selectedIds());
      if (!content) return;
      event.preventDefault();
      event.clipboardData?.setData('text/plain', JSON.stringify(content, null, 2));
      if (isCut && !latest.current.isReadOnly) latest.current.editor.deleteSelection();
    };
    const onPaste = (event: ClipboardEvent) => {
      if (isTypingTarget(event.target) || latest.current.isReadOnly) return;
      const content = readClipboardContent(event.clipboardData?.getData('text/plain'));
      if (!content) return;
      event.preventDefault();
      paste(content);
    };
    const copyListener = (event: ClipboardEvent) => onCopy(event, false);
    const cutListener = (event: ClipboardEvent) => onCopy(event, true);

    window.addEventListener('keydown', onKeyDown);
    document.addEventListener('copy', copyListener);
    document.addEventListener('cut', cutListener);
    document.addEventListener('paste', onPaste);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      document.removeEventListener('copy', copyListener);
      document.removeEventListener('cut', cutListener);
      document.removeEventListener('paste', onPaste);
    };
  }, []);
}
