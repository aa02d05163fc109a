import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { Button } from './button';
import { AlertIcon, CheckIcon, CloseIcon } from './icons';

type ToastTone = 'success' | 'error' | 'info';

interface ToastItem {
  id: number;
  tone: ToastTone;
  message: string;
}

interface ToastApi {
  showSuccess(message: string): void;
  showError(message: string): void;
  showInfo(message: string): void;
}

const ToastContext = createContext<ToastApi | null>(null);
const TOAST_LIFETIME_MS = 5000;
let nextToastId = 1;

/** Short confirmations and failures, announced politely by screen readers. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<ToastItem[]>([]);

  const dismissToast = useCallback((id: number) => setToasts((current) => current.filter((toast) => toast.id !== id)), []);

  const pushToast = useCallback(
    (tone: ToastTone, message: string) => {
      const id = nextToastId++;
      setToasts((current) => [...current.slice(-3), { id, tone, message }]);
      window.setTimeout(() => dismissToast(id), tone === 'error' ? TOAST_LIFETIME_MS * 2 : TOAST_LIFETIME_MS);
    },
    [dismissToast],
  );

  const api = useMemo<ToastApi>(
    () => ({
      showSuccess: (message) => pushToast('success', message),
      showError: (message) => pushToast('error', message),
      showInfo: (message) => pushToast('info', message),
    }),
    [pushToast],
  );

  return (
    <ToastContext.Provider value={api}>
      {children}
      <div className="toast-region" role="region" aria-label="Notifications" aria-live="polite">
        {toasts.map((toast) => (
          <div key={toast.id} className={`toast toast-${toast.tone}`} role={toast.tone === 'error' ? 'alert' : 'status'}>
            {toast.tone === 'error' ? <AlertIcon /> : <CheckIcon />}
            <span className="grow">{toast.message}</span>
            <Button variant="ghost" size="sm" isIconOnly aria-label="Dismiss" onClick={() => dismissToast(toast.id)}>
              <CloseIcon size={14} />
            </Button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function useToast(): ToastApi {
  const api = useContext(ToastContext);
  if (!api) throw new Error('useToast needs a ToastProvider above it');
  return api;
}
