import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * Unsaved form input kept in localStorage, so a reload, a crash or a closed
 * tab does not lose it. Never use it for passwords, codes or secrets. Drafts
 * are removed when the form is submitted and at sign-out (clearFormDrafts).
 */
const PREFIX = 'weft:draft:';

export function readDraft<T>(key: string): T | null {
  try {
    const raw = localStorage.getItem(PREFIX + key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

export function writeDraft(key: string, value: unknown): void {
  try {
    localStorage.setItem(PREFIX + key, JSON.stringify(value));
  } catch {
    // Full or blocked storage: the draft just is not kept.
  }
}

export function removeDraft(key: string): void {
  try {
    localStorage.removeItem(PREFIX + key);
  } catch {
    // nothing to do
  }
}

export function clearFormDrafts(): void {
  try {
    for (const key of Object.keys(localStorage)) if (key.startsWith(PREFIX)) localStorage.removeItem(key);
  } catch {
    // nothing to do
  }
}

/**
 * Form state that survives reloads. Returns the values, a setter, whether
 * they came back from a draft, and `discardDraft` for after a submit.
 */
export function useFormDraft<T extends Record<string, unknown>>(key: string, initial: T) {
  const [restored] = useState(() => readDraft<T>(key));
  const [values, setValues] = useState<T>(() => (restored ? { ...initial, ...restored } : initial));
  const isDirty = useRef(false);
  const initialValues = useRef(initial);

  useEffect(() => {
    if (!isDirty.current) return;
    const timer = window.setTimeout(() => writeDraft(key, values), 300);
    return () => window.clearTimeout(timer);
  }, [key, values]);

  const updateValues = useCallback((patch: Partial<T>) => {
    isDirty.current = true;
    setValues((current) => ({ ...current, ...patch }));
  }, []);

  const discardDraft = useCallback(
    (next?: T) => {
      isDirty.current = false;
      removeDraft(key);
      setValues(next ?? initialValues.current);
    },
    [key],
  );

  return { values, updateValues, isRestored: restored !== null, discardDraft };
}
