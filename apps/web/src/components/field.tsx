import { useId, type ReactNode } from 'react';
import { AlertIcon } from './icons';

/** What a control needs to be labelled and described by its Field. */
export interface FieldControlProps {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: boolean;
}

interface FieldProps {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | null;
  isOptional?: boolean;
  children: (control: FieldControlProps) => ReactNode;
}

/** A label, the control, a hint and an error, wired together for screen readers. */
export function Field({ label, hint, error, isOptional, children }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
        {isOptional ? <span className="field-optional"> (optional)</span> : null}
      </label>
      {children({ id, 'aria-describedby': describedBy, 'aria-invalid': error ? true : undefined })}
      {hint ? (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={errorId}>
          <AlertIcon size={14} />
          <span>{error}</span>
        </p>
      ) : null}
    </div>
  );
}

/** A whole-form error (e.g. "This email is already registered"), announced when it appears. */
export function FormError({ message }: { message: string | null | undefined }) {
  if (!message) return null;
  return (
    <div className="form-error" role="alert">
      {message}
    </div>
  );
}
