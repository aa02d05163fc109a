import { useEffect, useRef, useState } from 'react';
import { Button } from '../components/button';
import { CloseIcon, PlusIcon } from '../components/icons';
import { Input } from '../components/input';
import { ExpressionInput } from './expression-input';
import type { ExpressionMode } from './expression-suggestions';

interface Row {
  key: string;
  value: string;
}

function toRows(value: unknown): Row[] {
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value as Record<string, unknown>).map(([key, item]) => ({ key, value: typeof item === 'string' ? item : JSON.stringify(item) }));
}

function toObject(rows: Row[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const row of rows) if (row.key.trim() && !(row.key in result)) result[row.key] = row.value;
  return result;
}

interface KeyValueEditorProps {
  label: string;
  value: unknown;
  onChange: (value: Record<string, string>) => void;
  keyLabel?: string;
  valueLabel?: string;
  isValueMono?: boolean;
  describedBy?: string;
  /** Values are expressions: they get autocomplete. */
  valueMode?: ExpressionMode;
}

/**
 * An object of strings as editable rows (transform mapping, response headers).
 * Rows being typed (an empty or repeated key) stay on screen but are left out
 * of the value until they make sense.
 */
export function KeyValueEditor({ label, value, onChange, keyLabel = 'Name', valueLabel = 'Value', isValueMono, describedBy, valueMode = 'template' }: KeyValueEditorProps) {
  const [rows, setRows] = useState<Row[]>(() => toRows(value));
  const lastEmitted = useRef(JSON.stringify(toObject(rows)));

  useEffect(() => {
    // Undo, redo or an import changed the value from outside: show it.
    if (JSON.stringify(value ?? {}) !== lastEmitted.current) {
      setRows(toRows(value));
      lastEmitted.current = JSON.stringify(value ?? {});
    }
  }, [value]);

  const update = (next: Row[]) => {
    setRows(next);
    const object = toObject(next);
    lastEmitted.current = JSON.stringify(object);
    onChange(object);
  };

  return (
    <div className="kv-editor" role="group" aria-label={label} aria-describedby={describedBy}>
      {rows.map((row, index) => {
        const isDuplicate = rows.findIndex((other) => other.key === row.key) !== index && row.key !== '';
        return (
          <div className="kv-row" key={index}>
            <Input
              aria-label={`${keyLabel} ${index + 1}`}
              placeholder={keyLabel}
              className="kv-key"
              value={row.key}
              aria-invalid={isDuplicate || undefined}
              title={isDuplicate ? 'This name is used twice; only the first counts.' : undefined}
              onChange={(event) => update(rows.map((item, at) => (at === index ? { ...item, key: event.target.value } : item)))}
            />
            <ExpressionInput
              aria-label={`${valueLabel} of ${row.key || `row ${index + 1}`}`}
              placeholder={valueLabel}
              className="kv-value"
              mode={valueMode}
              isMono={isValueMono}
              value={row.value}
              onChange={(text) => update(rows.map((item, at) => (at === index ? { ...item, value: text } : item)))}
            />
            <Button size="sm" variant="ghost" isIconOnly className="kv-remove" aria-label={`Remove ${row.key || `row ${index + 1}`}`} onClick={() => update(rows.filter((_, at) => at !== index))}>
              <CloseIcon size={14} />
            </Button>
          </div>
        );
      })}
      <div>
        <Button size="sm" variant="ghost" icon={<PlusIcon size={14} />} onClick={() => setRows([...rows, { key: '', value: '' }])}>
          Add {keyLabel.toLowerCase()}
        </Button>
      </div>
    </div>
  );
}
