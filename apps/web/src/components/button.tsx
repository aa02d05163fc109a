import type { ButtonHTMLAttributes, ReactNode } from 'react';
import { Link, type LinkProps } from 'react-router';

type Variant = 'primary' | 'secondary' | 'ghost' | 'danger';
type Size = 'sm' | 'md';

interface StyleProps {
  variant?: Variant;
  size?: Size;
  isIconOnly?: boolean;
  isBlock?: boolean;
}

function buttonClass({ variant = 'secondary', size = 'md', isIconOnly, isBlock }: StyleProps, extra?: string): string {
  return ['btn', `btn-${variant}`, size === 'sm' && 'btn-sm', isIconOnly && 'btn-icon', isBlock && 'btn-block', extra]
    .filter(Boolean)
    .join(' ');
}

interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement>, StyleProps {
  isLoading?: boolean;
  icon?: ReactNode;
}

export function Button({ variant, size, isIconOnly, isBlock, isLoading, icon, className, children, disabled, type = 'button', ...rest }: ButtonProps) {
  return (
    <button
      type={type}
      className={buttonClass({ variant, size, isIconOnly, isBlock }, className)}
      disabled={disabled || isLoading}
      aria-busy={isLoading || undefined}
      {...rest}
    >
      {isLoading ? <span className="spinner" aria-hidden="true" /> : icon}
      {children}
    </button>
  );
}

interface ButtonLinkProps extends LinkProps, StyleProps {
  icon?: ReactNode;
}

/** A link that looks like a button (navigation stays a link for assistive technology). */
export function ButtonLink({ variant, size, isIconOnly, isBlock, icon, className, children, ...rest }: ButtonLinkProps) {
  return (
    <Link className={buttonClass({ variant, size, isIconOnly, isBlock }, className)} {...rest}>
      {icon}
      {children}
    </Link>
  );
}

/** For links that leave the SPA (server routes such as /api/v1/auth/discord or /privacy). */
export function ButtonAnchor({
  variant,
  size,
  isBlock,
  icon,
  className,
  children,
  ...rest
}: React.AnchorHTMLAttributes<HTMLAnchorElement> & StyleProps & { icon?: ReactNode }) {
  return (
    <a className={buttonClass({ variant, size, isBlock }, className)} {...rest}>
      {icon}
      {children}
    </a>
  );
}
