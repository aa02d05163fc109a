import { CopyButton } from '../../components/copy-button';
import { formatJson } from '../../lib/format';

/** Pretty JSON in a scrollable, focusable block (so keyboard users can scroll it). */
export function JsonView({ value, label }: { value: unknown; label: string }) {
  if (value === undefined || value === null) return <p className="subtle">Nothing.</p>;
  const text = typeof value === 'string' ? value : formatJson(value);
  return (
    <div className="json-view">
      <pre className="code-block" tabIndex={0} aria-label={label}>
        {text}
      </pre>
      <div className="json-view-copy">
        <CopyButton value={text} />
      </div>
    </div>
  );
}
