import { useEffect, useState } from 'react';
import { Outlet, useLocation, useMatch } from 'react-router';
import { Button } from '../../components/button';
import { MenuIcon } from '../../components/icons';
import { EmailVerificationBanner } from './email-verification-banner';
import { SidebarNav } from './sidebar-nav';

/** Sidebar with the workspace switcher and navigation; a drawer below 860 px. */
export function AppShell() {
  const location = useLocation();
  const [isDrawerOpen, setDrawerOpen] = useState(false);
  const isEditor = useMatch('/w/:workspace/workflows/:workflowId') !== null;

  useEffect(() => setDrawerOpen(false), [location.pathname]);

  useEffect(() => {
    if (!isDrawerOpen) return;
    const closeOnEscape = (event: KeyboardEvent) => event.key === 'Escape' && setDrawerOpen(false);
    window.addEventListener('keydown', closeOnEscape);
    return () => window.removeEventListener('keydown', closeOnEscape);
  }, [isDrawerOpen]);

  return (
    <div className={isEditor ? 'shell shell-editor' : 'shell'}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="mobile-topbar">
        <Button variant="ghost" isIconOnly aria-label="Open navigation" aria-expanded={isDrawerOpen} aria-controls="sidebar" onClick={() => setDrawerOpen(true)}>
          <MenuIcon size={20} />
        </Button>
        <span className="brand-mark" aria-hidden="true" />
        <span className="brand-name">Weft</span>
      </header>
      <div className={isDrawerOpen ? 'sidebar-scrim is-open' : 'sidebar-scrim'} onClick={() => setDrawerOpen(false)} aria-hidden="true" />
      <aside id="sidebar" className={isDrawerOpen ? 'sidebar is-open' : 'sidebar'} aria-label="Main">
        <SidebarNav onNavigate={() => setDrawerOpen(false)} />
      </aside>
      <main id="main" className="shell-main" tabIndex={-1}>
        <EmailVerificationBanner />
        <Outlet />
      </main>
    </div>
  );
}
