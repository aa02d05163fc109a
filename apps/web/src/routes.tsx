import { lazy, Suspense, type ComponentType, type LazyExoticComponent } from 'react';
import { createBrowserRouter, Navigate, Outlet } from 'react-router';
import { LoadingBlock } from './components/spinner';
import { loadWorkflowEditorPage } from './lib/preload-editor';
import { AcceptInvitationPage } from './pages/auth/accept-invitation-page';
import { ForgotPasswordPage } from './pages/auth/forgot-password-page';
import { LoginPage } from './pages/auth/login-page';
import { ResetPasswordPage } from './pages/auth/reset-password-page';
import { SignUpPage } from './pages/auth/signup-page';
import { VerifyEmailPage } from './pages/auth/verify-email-page';
import { AccountPage } from './pages/account/account-page';
import { ApiTokensPage } from './pages/account/api-tokens-page';
import { PrivacyPage } from './pages/account/privacy-page';
import { SecurityPage } from './pages/account/security-page';
import { PublicPostPage } from './pages/blog/public-post-page';
import { PublicPostsPage } from './pages/blog/public-posts-page';
import { RunDetailPage } from './pages/runs/run-detail-page';
import { RunsListPage } from './pages/runs/runs-list-page';
import { AppShell } from './pages/shell/app-shell';
import { NotFoundPage } from './pages/shell/not-found-page';
import { RouteErrorPage } from './pages/shell/route-error-page';
import { HomeRedirect, WorkspaceScope } from './pages/shell/workspace-scope';
import { WorkflowsListPage } from './pages/workflows/workflows-list-page';
import { MembersPage } from './pages/workspaces/members-page';
import { WorkspaceSettingsPage } from './pages/workspaces/workspace-settings-page';
import { RedirectIfSignedIn, RequireAuth } from './session/require-auth';

// The editor brings @xyflow/react: its own chunk, loaded when a workflow is opened.
const WorkflowEditorPage = lazy(loadWorkflowEditorPage);
// Screens visited now and then load on demand, so the first page stays light.
const CredentialsPage = lazy(() => import('./pages/credentials/credentials-page').then((module) => ({ default: module.CredentialsPage })));
const AuditLogPage = lazy(() => import('./pages/audit/audit-log-page').then((module) => ({ default: module.AuditLogPage })));
const BotsListPage = lazy(() => import('./pages/bots/bots-list-page').then((module) => ({ default: module.BotsListPage })));
const ServersPage = lazy(() => import('./pages/servers/servers-page').then((module) => ({ default: module.ServersPage })));
const BotPage = lazy(() => import('./pages/bots/bot-page').then((module) => ({ default: module.BotPage })));
const PostsAdminPage = lazy(() => import('./pages/posts/posts-admin-page').then((module) => ({ default: module.PostsAdminPage })));
const TicketsPage = lazy(() => import('./pages/support/tickets-page').then((module) => ({ default: module.TicketsPage })));
const TicketPage = lazy(() => import('./pages/support/ticket-page').then((module) => ({ default: module.TicketPage })));
const PostEditorPage = lazy(() => import('./pages/posts/post-editor-page').then((module) => ({ default: module.PostEditorPage })));

function renderLazy<Props extends object>(Page: LazyExoticComponent<ComponentType<Props>>, label = 'Loading…', props?: Props) {
  return (
    <Suspense fallback={<LoadingBlock label={label} />}>
      <Page {...(props ?? ({} as Props))} />
    </Suspense>
  );
}

function SignedOutOnly() {
  return (
    <RedirectIfSignedIn>
      <Outlet />
    </RedirectIfSignedIn>
  );
}

function SignedInShell() {
  return (
    <RequireAuth>
      <AppShell />
    </RequireAuth>
  );
}

export function createAppRouter() {
  return createBrowserRouter([
    {
      errorElement: <RouteErrorPage />,
      children: [
        {
          element: <SignedOutOnly />,
          children: [
            { path: '/login', element: <LoginPage /> },
            { path: '/signup', element: <SignUpPage /> },
            { path: '/forgot-password', element: <ForgotPasswordPage /> },
          ],
        },
        { path: '/verify-email', element: <VerifyEmailPage /> },
        { path: '/reset-password', element: <ResetPasswordPage /> },
        // Readable by anyone, signed in or not.
        { path: '/blog', element: <PublicPostsPage kind="blog" /> },
        { path: '/blog/:slug', element: <PublicPostPage kind="blog" /> },
        { path: '/changelog', element: <PublicPostsPage kind="changelog" /> },
        { path: '/changelog/:slug', element: <PublicPostPage kind="changelog" /> },
        {
          element: <SignedInShell />,
          children: [
            { path: '/', element: <HomeRedirect /> },
            { path: '/invitations/accept', element: <AcceptInvitationPage /> },
            { path: '/settings', element: <Navigate to="/settings/account" replace /> },
            { path: '/settings/account', element: <AccountPage /> },
            { path: '/settings/security', element: <SecurityPage /> },
            { path: '/settings/tokens', element: <ApiTokensPage /> },
            { path: '/settings/privacy', element: <PrivacyPage /> },
            { path: '/servers', element: renderLazy(ServersPage, 'Loading your servers…') },
            { path: '/support', element: renderLazy(TicketsPage, 'Loading…', { side: 'user' as const }) },
            { path: '/support/:ticketId', element: renderLazy(TicketPage, 'Loading…', { side: 'user' as const }) },
            { path: '/admin/support', element: renderLazy(TicketsPage, 'Loading…', { side: 'staff' as const }) },
            { path: '/admin/support/:ticketId', element: renderLazy(TicketPage, 'Loading…', { side: 'staff' as const }) },
            { path: '/admin/posts', element: renderLazy(PostsAdminPage) },
            { path: '/admin/posts/new', element: renderLazy(PostEditorPage) },
            { path: '/admin/posts/:postId', element: renderLazy(PostEditorPage) },
            {
              path: '/w/:workspace',
              element: <WorkspaceScope />,
              children: [
                { index: true, element: <Navigate to="workflows" replace /> },
                { path: 'workflows', element: <WorkflowsListPage /> },
                { path: 'workflows/:workflowId', element: renderLazy(WorkflowEditorPage, 'Opening the editor…') },
                { path: 'credentials', element: renderLazy(CredentialsPage) },
                { path: 'bots', element: renderLazy(BotsListPage) },
                { path: 'bots/:botId', element: renderLazy(BotPage) },
                { path: 'audit-log', element: renderLazy(AuditLogPage) },
                { path: 'runs', element: <RunsListPage /> },
                { path: 'runs/:runId', element: <RunDetailPage /> },
                { path: 'members', element: <MembersPage /> },
                { path: 'settings', element: <WorkspaceSettingsPage /> },
              ],
            },
            { path: '*', element: <NotFoundPage /> },
          ],
        },
      ],
    },
  ]);
}
