import { NavLink, useMatch } from 'react-router';
import { hasPermission } from '../../api/workspaces.api';
import { BotIcon, DiscordIcon, KeyIcon, ListIcon, LogOutIcon, VaultIcon, RunsIcon, SettingsIcon, ShieldIcon, UserIcon, UsersIcon, WorkflowIcon, LockIcon, MailIcon } from '../../components/icons';
import { useLogOut, useSignedInAccount } from '../../session/session';
import { readLastWorkspace } from '../../session/last-workspace';
import { ThemeSwitcher } from './theme-switcher';
import { WorkspaceSwitcher } from './workspace-switcher';
import { useWorkspaces } from './workspace-scope';

function navClass({ isActive }: { isActive: boolean }): string {
  return isActive ? 'nav-link is-active' : 'nav-link';
}

export function SidebarNav({ onNavigate }: { onNavigate: () => void }) {
  const account = useSignedInAccount();
  const logOut = useLogOut();
  const workspaces = useWorkspaces();
  const match = useMatch('/w/:workspace/*');
  const slug = match?.params.workspace ?? readLastWorkspace() ?? workspaces.data?.[0]?.slug;
  const workspace = workspaces.data?.find((item) => item.slug === slug);
  const base = workspace ? `/w/${workspace.slug}` : null;

  return (
    <div className="sidebar-inner">
      <div className="sidebar-brand">
        <span className="brand-mark" aria-hidden="true" />
        <span className="brand-name">Weft</span>
      </div>
      <WorkspaceSwitcher current={workspace} />
      {base ? (
        <nav aria-label="Workspace" className="nav-section">
          <NavLink to={`${base}/workflows`} className={navClass} onClick={onNavigate}>
            <WorkflowIcon /> Workflows
          </NavLink>
          <NavLink to={`${base}/runs`} className={navClass} onClick={onNavigate}>
            <RunsIcon /> Runs
          </NavLink>
          <NavLink to={`${base}/bots`} className={navClass} onClick={onNavigate}>
            <BotIcon /> Bots
          </NavLink>
          <NavLink to={`${base}/credentials`} className={navClass} onClick={onNavigate}>
            <VaultIcon /> Credentials
          </NavLink>
          {hasPermission(workspace, 'members.read') ? (
            <NavLink to={`${base}/members`} className={navClass} onClick={onNavigate}>
              <UsersIcon /> Members
            </NavLink>
          ) : null}
          {account.isAdmin || hasPermission(workspace, 'audit.read') ? (
            <NavLink to={`${base}/audit-log`} className={navClass} onClick={onNavigate}>
              <ListIcon /> Audit log
            </NavLink>
          ) : null}
          <NavLink to={`${base}/settings`} className={navClass} onClick={onNavigate}>
            <SettingsIcon /> Workspace settings
          </NavLink>
        </nav>
      ) : null}
      <nav aria-label="Account" className="nav-section">
        <p className="nav-heading">Account</p>
        <NavLink to="/settings/account" className={navClass} onClick={onNavigate}>
          <UserIcon /> Profile
        </NavLink>
        <NavLink to="/settings/security" className={navClass} onClick={onNavigate}>
          <ShieldIcon /> Security
        </NavLink>
        <NavLink to="/settings/tokens" className={navClass} onClick={onNavigate}>
          <KeyIcon /> API tokens
        </NavLink>
        <NavLink to="/settings/privacy" className={navClass} onClick={onNavigate}>
          <LockIcon /> Privacy
        </NavLink>
        <NavLink to="/servers" className={navClass} onClick={onNavigate}>
          <DiscordIcon /> Your servers
        </NavLink>
        <NavLink to="/support" className={navClass} onClick={onNavigate}>
          <MailIcon /> Support
        </NavLink>
      </nav>
      {account.isAdmin ? (
        <nav aria-label="Instance" className="nav-section">
          <p className="nav-heading">Instance</p>
          <NavLink to="/admin/posts" className={navClass} onClick={onNavigate}>
            <ListIcon /> Blog &amp; changelog
          </NavLink>
          <NavLink to="/admin/support" className={navClass} onClick={onNavigate}>
            <MailIcon /> Support inbox
          </NavLink>
        </nav>
      ) : null}
      <div className="sidebar-footer">
        <ThemeSwitcher isCompact />
        <div className="sidebar-account">
          <span className="avatar" aria-hidden="true">
            {account.username.slice(0, 1).toUpperCase()}
          </span>
          <span className="grow sidebar-account-name">
            <strong>{account.username}</strong>
            <span className="subtle">{account.email}</span>
          </span>
          <button type="button" className="btn btn-ghost btn-sm btn-icon" aria-label="Sign out" title="Sign out" onClick={() => logOut.mutate()}>
            <LogOutIcon />
          </button>
        </div>
      </div>
    </div>
  );
}
