import type { ReactNode } from 'react';
import { Link, NavLink } from 'react-router';
import { ButtonLink } from '../../components/button';
import { useMe } from '../../session/session';
import { ThemeSwitcher } from '../shell/theme-switcher';

function navClass({ isActive }: { isActive: boolean }): string {
  return isActive ? 'public-nav-link is-active' : 'public-nav-link';
}

/** Pages anyone may read, signed in or not: a slim header, the page, and the feeds in the footer. */
export function PublicLayout({ children }: { children: ReactNode }) {
  const me = useMe();
  return (
    <div className="public-layout">
      <header className="public-header">
        <Link to="/blog" className="row public-brand">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">Weft</span>
        </Link>
        <nav aria-label="Site" className="row">
          <NavLink to="/blog" className={navClass}>
            Blog
          </NavLink>
          <NavLink to="/changelog" className={navClass}>
            Changelog
          </NavLink>
        </nav>
        <div className="row public-header-end">
          <ThemeSwitcher isCompact />
          {me.data ? (
            <ButtonLink to="/" size="sm" variant="primary">
              Dashboard
            </ButtonLink>
          ) : (
            <ButtonLink to="/login" size="sm">
              Log in
            </ButtonLink>
          )}
        </div>
      </header>
      <main id="main" className="public-main">
        {children}
      </main>
      <footer className="public-footer subtle">
        Feeds: <a href="/api/v1/posts/rss.xml?kind=blog">blog (RSS)</a> · <a href="/api/v1/posts/rss.xml?kind=changelog">changelog (RSS)</a>
      </footer>
    </div>
  );
}
