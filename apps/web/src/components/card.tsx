import type { ReactNode } from 'react';

interface CardProps {
  title?: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  footer?: ReactNode;
  children?: ReactNode;
  className?: string;
  /** Set when the card has no padding of its own (e.g. it holds a table). */
  isFlush?: boolean;
}

export function Card({ title, description, actions, footer, children, className, isFlush }: CardProps) {
  return (
    <section className={['card', className].filter(Boolean).join(' ')}>
      {title ? (
        <header className="card-header">
          <div>
            <h2>{title}</h2>
            {description ? <p>{description}</p> : null}
          </div>
          {actions ? <div className="row">{actions}</div> : null}
        </header>
      ) : null}
      {children ? isFlush ? children : <div className="card-body">{children}</div> : null}
      {footer ? <footer className="card-footer">{footer}</footer> : null}
    </section>
  );
}
