import type { ReactNode } from 'react';
import { CheckIcon } from '../../components/icons';

/** Sign-in pages: a calm form on the right, what Weft is on the left (hidden on phones). */
export function AuthLayout({ title, subtitle, children }: { title: string; subtitle?: ReactNode; children: ReactNode }) {
  return (
    <div className="auth-layout">
      <aside className="auth-aside" aria-hidden="true">
        <div className="row">
          <span className="brand-mark" />
          <span className="brand-name">Weft</span>
        </div>
        <div>
          <h2>Automations you can see, run and trust.</h2>
          <ul>
            <li>
              <CheckIcon /> A visual editor for workflows and Discord bots
            </li>
            <li>
              <CheckIcon /> Durable runs with every step on record
            </li>
            <li>
              <CheckIcon /> Self-hostable, private by construction
            </li>
          </ul>
        </div>
        <p className="subtle">Open source · AGPL-3.0</p>
      </aside>
      <main className="auth-main" id="main">
        <div className="auth-card">
          <header>
            <h1>{title}</h1>
            {subtitle ? <p>{subtitle}</p> : null}
          </header>
          {children}
        </div>
      </main>
    </div>
  );
}
