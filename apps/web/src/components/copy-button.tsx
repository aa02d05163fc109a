import { useState } from 'react';
import { Button } from './button';
import { CheckIcon, CopyIcon } from './icons';

export function CopyButton({ value, label = 'Copy' }: { value: string; label?: string }) {
  const [isCopied, setCopied] = useState(false);
  return (
    <Button
      size="sm"
      variant="ghost"
      icon={isCopied ? <CheckIcon /> : <CopyIcon />}
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(value);
          setCopied(true);
          window.setTimeout(() => setCopied(false), 1500);
        } catch {
          // Clipboard blocked (insecure context): the value stays selectable on screen.
        }
      }}
    >
      <span aria-live="polite">{isCopied ? 'Copied' : label}</span>
    </Button>
  );
}
