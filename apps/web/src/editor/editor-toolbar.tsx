import { useRef } from 'react';
import { Link } from 'react-router';
import { Button } from '../components/button';
import { ArrowLeftIcon, DownloadIcon, HistoryIcon, PlayIcon, PlusIcon, RedoIcon, RocketIcon, SaveIcon, SettingsIcon, UndoIcon, UploadIcon } from '../components/icons';

interface EditorToolbarProps {
  workflowName: string;
  backTo: string;
  publishedVersion: number | null;
  saveState: 'saved' | 'unsaved' | 'saving' | 'error';
  problemCount: number;
  canUndo: boolean;
  canRedo: boolean;
  isReadOnly: boolean;
  isPaletteOpen: boolean;
  onUndo: () => void;
  onRedo: () => void;
  onSave: () => void;
  onPublish: () => void;
  /** Opens the run panel; `isRunLive` while the followed run is in progress. */
  onRun: () => void;
  isRunOpen: boolean;
  isRunLive: boolean;
  onToggleVersions: () => void;
  onOpenSettings: () => void;
  onTogglePalette: () => void;
  onExport: () => void;
  onImport: (file: File) => void;
}

const SAVE_LABELS = { saved: 'All changes saved', unsaved: 'Unsaved changes', saving: 'Saving…', error: 'Not saved' } as const;

export function EditorToolbar(props: EditorToolbarProps) {
  const fileInput = useRef<HTMLInputElement>(null);
  const mod = navigator.platform.toLowerCase().includes('mac') ? '⌘' : 'Ctrl+';
  return (
    <div className="editor-toolbar" role="toolbar" aria-label="Workflow editor">
      <Link to={props.backTo} className="btn btn-ghost btn-sm btn-icon" aria-label="Back to workflows" title="Back to workflows">
        <ArrowLeftIcon />
      </Link>
      <div className="editor-title">
        <h1>{props.workflowName}</h1>
        <span className="subtle">
          {props.publishedVersion ? `Live: v${props.publishedVersion}` : 'Not published'} ·{' '}
          <span className={`save-state save-state-${props.saveState}`} role="status">
            {SAVE_LABELS[props.saveState]}
          </span>
          {props.problemCount > 0 ? <span className="badge badge-danger toolbar-problems">{props.problemCount === 1 ? '1 problem' : `${props.problemCount} problems`}</span> : null}
        </span>
      </div>
      <div className="editor-toolbar-actions">
        <Button size="sm" variant="ghost" className="palette-toggle" aria-expanded={props.isPaletteOpen} icon={<PlusIcon />} onClick={props.onTogglePalette}>
          Add node
        </Button>
        <Button size="sm" variant="ghost" isIconOnly aria-label="Undo" title={`Undo (${mod}Z)`} disabled={!props.canUndo || props.isReadOnly} onClick={props.onUndo}>
          <UndoIcon />
        </Button>
        <Button size="sm" variant="ghost" isIconOnly aria-label="Redo" title={`Redo (${mod}Shift+Z)`} disabled={!props.canRedo || props.isReadOnly} onClick={props.onRedo}>
          <RedoIcon />
        </Button>
        <input ref={fileInput} type="file" accept="application/json,.json" hidden onChange={(event) => event.target.files?.[0] && props.onImport(event.target.files[0])} />
        <Button size="sm" variant="ghost" isIconOnly aria-label="Import JSON into this workflow" title="Import JSON" disabled={props.isReadOnly} onClick={() => fileInput.current?.click()}>
          <UploadIcon />
        </Button>
        <Button size="sm" variant="ghost" isIconOnly aria-label="Export as JSON" title="Export as JSON" onClick={props.onExport}>
          <DownloadIcon />
        </Button>
        <Button size="sm" variant="ghost" isIconOnly aria-label="Version history" title="Version history" onClick={props.onToggleVersions}>
          <HistoryIcon />
        </Button>
        <Button size="sm" variant="ghost" isIconOnly aria-label="Workflow settings" title="Workflow settings" disabled={props.isReadOnly} onClick={props.onOpenSettings}>
          <SettingsIcon />
        </Button>
        <Button size="sm" icon={<SaveIcon />} disabled={props.isReadOnly || props.saveState === 'saved' || props.saveState === 'saving'} title={`Save draft (${mod}S)`} onClick={props.onSave}>
          Save
        </Button>
        <Button size="sm" icon={props.isRunLive ? <span className="spinner" aria-hidden="true" /> : <PlayIcon size={14} />} aria-expanded={props.isRunOpen} title="Run the workflow and watch its steps" onClick={props.onRun}>
          Run
        </Button>
        <Button size="sm" variant="primary" icon={<RocketIcon />} disabled={props.isReadOnly} onClick={props.onPublish}>
          Publish
        </Button>
      </div>
    </div>
  );
}
