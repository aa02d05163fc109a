import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react';

interface InputProps extends InputHTMLAttributes<HTMLInputElement> {
  isMono?: boolean;
  ref?: React.Ref<HTMLInputElement>;
}

export function Input({ className, isMono, ...rest }: InputProps) {
  return <input className={['input', isMono && 'input-mono', className].filter(Boolean).join(' ')} {...rest} />;
}

interface TextareaProps extends TextareaHTMLAttributes<HTMLTextAreaElement> {
  isMono?: boolean;
  ref?: React.Ref<HTMLTextAreaElement>;
}

export function Textarea({ className, isMono, ...rest }: TextareaProps) {
  return <textarea className={['textarea', isMono && 'input-mono', className].filter(Boolean).join(' ')} {...rest} />;
}

export function Select({ className, children, ...rest }: SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <select className={['select', className].filter(Boolean).join(' ')} {...rest}>
      {children}
    </select>
  );
}

interface CheckboxProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'type'> {
  label: ReactNode;
}

export function Checkbox({ label, className, ...rest }: CheckboxProps) {
  return (
    <label className={['checkbox', className].filter(Boolean).join(' ')}>
      <input type="checkbox" {...rest} />
      <span>{label}</span>
    </label>
  );
}
