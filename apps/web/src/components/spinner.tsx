interface SpinnerProps {
  size?: 'md' | 'lg';
  /** Read by screen readers; the spinner itself is decorative. */
  label?: string;
}

export function Spinner({ size = 'md', label }: SpinnerProps) {
  return (
    <span role={label ? 'status' : undefined} className="row">
      <span className={size === 'lg' ? 'spinner spinner-lg' : 'spinner'} aria-hidden="true" />
      {label ? <span className="visually-hidden">{label}</span> : null}
    </span>
  );
}

/** The loading state of a page or a section. */
export function LoadingBlock({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="loading-block" role="status">
      <span className="spinner spinner-lg" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}
