import { useState } from 'react';
import { MonitorIcon, MoonIcon, SunIcon } from '../../components/icons';
import { applyThemeChoice, readThemeChoice, type ThemeChoice } from '../../lib/theme';

const CHOICES: { value: ThemeChoice; label: string; icon: React.ReactNode }[] = [
  { value: 'light', label: 'Light', icon: <SunIcon size={14} /> },
  { value: 'dark', label: 'Dark', icon: <MoonIcon size={14} /> },
  { value: 'system', label: 'System', icon: <MonitorIcon size={14} /> },
];

export function ThemeSwitcher({ isCompact }: { isCompact?: boolean }) {
  const [choice, setChoice] = useState(readThemeChoice);
  return (
    <div className="segmented" role="group" aria-label="Theme">
      {CHOICES.map((option) => (
        <button
          key={option.value}
          type="button"
          aria-pressed={choice === option.value}
          aria-label={isCompact ? `${option.label} theme` : undefined}
          title={`${option.label} theme`}
          onClick={() => {
            applyThemeChoice(option.value);
            setChoice(option.value);
          }}
        >
          <span className="row">
            {option.icon}
            {isCompact ? null : option.label}
          </span>
        </button>
      ))}
    </div>
  );
}
