import { useEffect, useState } from 'react';

export type ThemeChoice = 'light' | 'dark' | 'system';
const STORAGE_KEY = 'weft:theme';
const DARK_QUERY = '(prefers-color-scheme: dark)';

export function readThemeChoice(): ThemeChoice {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    return stored === 'light' || stored === 'dark' ? stored : 'system';
  } catch {
    return 'system';
  }
}

/** Pins light or dark on <html data-theme>; "system" removes it so the CSS follows the OS. */
export function applyThemeChoice(choice: ThemeChoice): void {
  try {
    if (choice === 'system') localStorage.removeItem(STORAGE_KEY);
    else localStorage.setItem(STORAGE_KEY, choice);
  } catch {
    // Storage blocked: the choice lasts for this page only.
  }
  if (choice === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = choice;
  window.dispatchEvent(new CustomEvent('weft:theme-changed'));
}

function resolveTheme(): 'light' | 'dark' {
  const choice = readThemeChoice();
  if (choice !== 'system') return choice;
  return window.matchMedia(DARK_QUERY).matches ? 'dark' : 'light';
}

/** The theme actually shown, following both the user's choice and the OS setting. */
export function useResolvedTheme(): 'light' | 'dark' {
  const [theme, setTheme] = useState(resolveTheme);
  useEffect(() => {
    const media = window.matchMedia(DARK_QUERY);
    const update = () => setTheme(resolveTheme());
    media.addEventListener('change', update);
    window.addEventListener('weft:theme-changed', update);
    return () => {
      media.removeEventListener('change', update);
      window.removeEventListener('weft:theme-changed', update);
    };
  }, []);
  return theme;
}
