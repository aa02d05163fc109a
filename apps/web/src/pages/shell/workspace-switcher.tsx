import { useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import type { Workspace } from '../../api/workspaces.api';
import { CheckIcon, ChevronDownIcon, PlusIcon } from '../../components/icons';
import { CreateWorkspaceDialog } from '../workspaces/create-workspace-dialog';
import { useWorkspaces } from './workspace-scope';

function WorkspaceBadge({ workspace }: { workspace: Workspace }) {
  return (
    <span className="workspace-badge" aria-hidden="true">
      {workspace.name.slice(0, 1).toUpperCase()}
    </span>
  );
}

/** A disclosure listing my workspaces, with "Create team workspace" at the end. */
export function WorkspaceSwitcher({ current }: { current: Workspace | undefined }) {
  const workspaces = useWorkspaces();
  const [isOpen, setOpen] = useState(false);
  const [isCreating, setCreating] = useState(false);
  const listId = useId();
  const rootRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!isOpen) return;
    const closeOutside = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    const closeOnEscape = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false);
    };
    document.addEventListener('pointerdown', closeOutside);
    document.addEventListener('keydown', closeOnEscape);
    return () => {
      document.removeEventListener('pointerdown', closeOutside);
      document.removeEventListener('keydown', closeOnEscape);
    };
  }, [isOpen]);

  return (
    <div className="workspace-switcher" ref={rootRef}>
      <button
        type="button"
        className="workspace-switcher-button"
        aria-expanded={isOpen}
        aria-controls={listId}
        onClick={() => setOpen((open) => !open)}
      >
        {current ? <WorkspaceBadge workspace={current} /> : null}
        <span className="grow workspace-switcher-label">
          <span className="subtle">Workspace</span>
          <strong>{current?.name ?? 'Choose a workspace'}</strong>
        </span>
        <ChevronDownIcon />
      </button>
      {isOpen ? (
        <div id={listId} className="popover" role="group" aria-label="Workspaces">
          <ul className="popover-list">
            {(workspaces.data ?? []).map((workspace) => (
              <li key={workspace.id}>
                <Link
                  to={`/w/${workspace.slug}/workflows`}
                  className="popover-item"
                  aria-current={workspace.id === current?.id ? 'true' : undefined}
                  onClick={() => setOpen(false)}
                >
                  <WorkspaceBadge workspace={workspace} />
                  <span className="grow">
                    {workspace.name}
                    <span className="subtle"> · {workspace.kind === 'personal' ? 'Personal' : workspace.role}</span>
                  </span>
                  {workspace.id === current?.id ? <CheckIcon /> : null}
                </Link>
              </li>
            ))}
          </ul>
          <button
            type="button"
            className="popover-item popover-action"
            onClick={() => {
              setOpen(false);
              setCreating(true);
            }}
          >
            <PlusIcon /> Create team workspace
          </button>
        </div>
      ) : null}
      <CreateWorkspaceDialog isOpen={isCreating} onClose={() => setCreating(false)} />
    </div>
  );
}
