import { useEffect, useRef, useState } from 'react';
import { Textarea } from '../components/input';
import type { FieldControlProps } from '../components/field';

/**
 * Any JSON value (e.g. the respond node's body). Text that does not parse
 * stays in the box with an error and is not sent; empty means "not set".
 */
export function JsonField({ control, value, onChange, onValidity }: { control: FieldControlProps; value: unknown; onChange: (value: unknown) => void; onValidity: (error: string | null) => void }) {
  const format = (item: unknown) => (item === undefined ? '' : JSON.stringify(item, null, 2));
  const [text, setText] = useState(() => format(value));
  const lastEmitted = useRef(value);

  useEffect(() => {
    if (value !== lastEmitted.current) {
      setText(format(value));
      lastEmitted.current = value;
      onValidity(null);
    }
  }, [value, onValidity]);

  return (
    <Textarea
      {...control}
      isMono
      rows={5}
      value={text}
      placeholder="JSON, e.g. { &quot;ok&quot;: true }"
      onChange={(event) => {
        const next = event.target.value;
        setText(next);
        if (next.trim() === '') {
          lastEmitted.current = undefined;
          onValidity(null);
          onChange(undefined);
          return;
        }
        try {
          const parsed: unknown = JSON.parse(next);
          lastEmitted.current = parsed;
          onValidity(null);
          onChange(parsed);
        } catch {
          onValidity('Not valid JSON yet: check quotes, commas and brackets.');
        }
      }}
    />
  );
}
