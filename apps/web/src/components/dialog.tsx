import { useEffect, useId, useRef, type FormEvent, type ReactNode } from 'react';
import { Button } from './button';
import { CloseIcon } from './icons';

interface DialogProps {
  isOpen: boolean;
  title: ReactNode;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  /** Makes the body a form: Enter submits, the footer's submit button belongs to it. */
  onSubmit?: (event: FormEvent<HTMLFormElement>) => void;
  isWide?: boolean;
}

/**
 * A modal on the native <dialog>: the browser traps focus, closes on Escape,
 * makes the page behind it inert and returns focus to the opener.
 */
export function Dialog({ isOpen, title, onClose, children, footer, onSubmit, isWide }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (isOpen && !dialog.open) dialog.showModal();
    if (!isOpen && dialog.open) dialog.close();
  }, [isOpen]);

  const content = (
    <>
      <header className="dialog-header">
        <h2 id={titleId}>{title}</h2>
        <Button variant="ghost" size="sm" isIconOnly onClick={onClose} aria-label="Close">
          <CloseIcon />
        </Button>
      </header>
      <div className="dialog-body">{children}</div>
      {footer ? <footer className="dialog-footer">{footer}</footer> : null}
    </>
  );

  return (
    <dialog
      ref={ref}
      className={isWide ? 'dialog dialog-wide' : 'dialog'}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onClick={(event) => {
        // A click on the backdrop lands on the <dialog> element itself.
        if (event.target === ref.current) onClose();
      }}
    >
      {isOpen ? (
        onSubmit ? (
          <form
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              onSubmit(event);
            }}
          >
            {content}
          </form>
        ) : (
          content
        )
      ) : null}
    </dialog>
  );
}
