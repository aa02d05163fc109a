import { useQuery } from '@tanstack/react-query';
import { createContext, useContext, useEffect } from 'react';
import { Navigate, Outlet, useParams } from 'react-router';
import { queryKeys } from '../../api/query-keys';
import { workspacesApi, type Workspace } from '../../api/workspaces.api';
import { ButtonLink } from '../../components/button';
import { EmptyState, ErrorState } from '../../components/empty-state';
import { LoadingBlock } from '../../components/spinner';
import { readLastWorkspace, rememberLastWorkspace } from '../../session/last-workspace';

const WorkspaceContext = createContext<Workspace | null>(null);

export function useWorkspaces() {
  return useQuery({ queryKey: queryKeys.workspaces, queryFn: () => workspacesApi.listWorkspaces().then((page) => page.items) });
}

/** The workspace of the URL (`/w/:workspace/…`), inside WorkspaceScope. */
export function useCurrentWorkspace(): Workspace {
  const workspace = useContext(WorkspaceContext);
  if (!workspace) throw new Error('useCurrentWorkspace is used outside WorkspaceScope');
  return workspace;
}

/** Resolves `:workspace` (a slug) among my workspaces and provides it to the pages below. */
export function WorkspaceScope() {
  const { workspace: slug = '' } = useParams();
  const workspaces = useWorkspaces();
  const workspace = workspaces.data?.find((item) => item.slug === slug || item.id === slug);

  useEffect(() => {
    if (workspace) rememberLastWorkspace(workspace.slug);
  }, [workspace]);

  if (workspaces.isPending) return <LoadingBlock />;
  if (workspaces.isError) return <ErrorState error={workspaces.error} onRetry={() => void workspaces.refetch()} />;
  if (!workspace) {
    return (
      <div className="page">
        <EmptyState
          title="Workspace not found"
          description={`There is no workspace “${slug}” among yours. It may have been renamed or deleted, or you are no longer a member.`}
          actions={<ButtonLink to="/">Go to my workspace</ButtonLink>}
        />
      </div>
    );
  }
  return (
    <WorkspaceContext.Provider value={workspace}>
      <Outlet />
    </WorkspaceContext.Provider>
  );
}

/** `/`: the workspace used last, else the personal one. */
export function HomeRedirect() {
  const workspaces = useWorkspaces();
  if (workspaces.isPending) return <LoadingBlock />;
  if (workspaces.isError) return <ErrorState error={workspaces.error} onRetry={() => void workspaces.refetch()} />;
  const items = workspaces.data;
  const last = readLastWorkspace();
  const target = items.find((item) => item.slug === last) ?? items.find((item) => item.kind === 'personal') ?? items[0];
  if (!target) {
    return (
      <div className="page">
        <EmptyState title="No workspace yet" description="Create a team workspace to start building workflows." />
      </div>
    );
  }
  const welcome = new URLSearchParams(window.location.search).get('welcome');
  return <Navigate to={`/w/${target.slug}/workflows${welcome ? `?welcome=${encodeURIComponent(welcome)}` : ''}`} replace />;
}
