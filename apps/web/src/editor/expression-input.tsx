import { useId, useMemo, useRef, useState, type InputHTMLAttributes, type KeyboardEvent } from 'react';
import { Input } from '../components/input';
import { useExpressionScope } from './expression-scope';
import { applySuggestion, findExpressionToken, suggestCompletions, type ExpressionMode } from './expression-suggestions';

interface ExpressionInputProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'> {
  value: string;
  onChange: (value: string) => void;
  mode: ExpressionMode;
  isMono?: boolean;
}

/**
 * A text field with autocomplete of what expressions can read ($input,
 * $trigger, $nodes.<id> and the fields of their last known outputs), as a
 * WAI-ARIA combobox: arrows move, Enter or Tab inserts, Escape closes.
 */
export function ExpressionInput({ value, onChange, mode, isMono, onKeyDown, onBlur, ...rest }: ExpressionInputProps) {
  const scope = useExpressionScope();
  const listId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [caret, setCaret] = useState<number | null>(null);
  const [activeIndex, setActiveIndex] = useState(0);
  const [dismissedAt, setDismissedAt] = useState<string | null>(null);

  const token = caret === null ? null : findExpressionToken(value, caret, mode);
  const suggestions = useMemo(() => (token ? suggestCompletions(scope, mode, token.word) : []), [scope, mode, token?.word, token?.start]); // eslint-disable-line react-hooks/exhaustive-deps
  const isOpen = suggestions.length > 0 && dismissedAt !== `${value}@${caret}`;
  const active = Math.min(activeIndex, suggestions.length - 1);

  const readCaret = () => setCaret(inputRef.current?.selectionStart ?? null);

  const accept = (index: number) => {
    if (!token) return;
    const next = applySuggestion(value, token, suggestions[index]!.value, mode);
    onChange(next.text);
    setCaret(next.caret);
    setActiveIndex(0);
    requestAnimationFrame(() => inputRef.current?.setSelectionRange(next.caret, next.caret));
  };

  const handleKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (isOpen) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        setActiveIndex((active + step + suggestions.length) % suggestions.length);
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault();
        accept(active);
        return;
      }
      if (event.key === 'Escape') {
        // Closes the list only, not the dialog or panel around the field.
        event.preventDefault();
        event.stopPropagation();
        setDismissedAt(`${value}@${caret}`);
        return;
      }
    } else if (event.key === ' ' && event.ctrlKey) {
      event.preventDefault();
      setDismissedAt(null);
      readCaret();
    }
    onKeyDown?.(event);
  };

  return (
    <div className="expression-input">
      <Input
        {...rest}
        ref={inputRef}
        isMono={isMono}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={isOpen}
        aria-controls={listId}
        aria-activedescendant={isOpen ? `${listId}-${active}` : undefined}
        autoComplete="off"
        spellCheck={false}
        value={value}
        onChange={(event) => {
          onChange(event.target.value);
          setCaret(event.target.selectionStart);
          setActiveIndex(0);
        }}
        onKeyDown={handleKeyDown}
        onKeyUp={(event) => (event.key === 'ArrowLeft' || event.key === 'ArrowRight' || event.key === 'Home' || event.key === 'End') && readCaret()}
        onClick={readCaret}
        onFocus={readCaret}
        onBlur={(event) => {
          setCaret(null);
          onBlur?.(event);
        }}
      />
      <ul id={listId} role="listbox" aria-label="Suggestions" className="expression-suggestions" hidden={!isOpen}>
        {isOpen
          ? suggestions.map((suggestion, index) => (
              <li
                key={suggestion.value}
                id={`${listId}-${index}`}
                role="option"
                aria-selected={index === active}
                className={index === active ? 'is-active' : undefined}
                // mousedown, not click: the field keeps focus and its caret.
                onMouseDown={(event) => {
                  event.preventDefault();
                  accept(index);
                }}
              >
                <span className="mono">{suggestion.value}</span>
                <span className="subtle">{suggestion.detail}</span>
              </li>
            ))
          : null}
      </ul>
    </div>
  );
}
