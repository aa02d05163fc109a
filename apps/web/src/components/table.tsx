import type { ReactNode } from 'react';
import { Button } from './button';

interface TableProps {
  /** Names the table for screen readers; visually hidden. */
  label: string;
  head: ReactNode;
  children: ReactNode;
}

/** A data table that scrolls sideways on a narrow screen instead of squeezing its columns (the region is focusable so keyboards can scroll it). */
export function Table({ label, head, children }: TableProps) {
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      <table className="table">
        <caption className="visually-hidden">{label}</caption>
        <thead>{head}</thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** The Edit and Delete buttons of a row, named after the row for screen readers. */
export function EditDeleteActions({ name, onEdit, onDelete }: { name: string; onEdit(): void; onDelete(): void }) {
  return (
    <span className="row">
      <Button size="sm" variant="ghost" aria-label={`Edit ${name}`} onClick={onEdit}>
        Edit
      </Button>
      <Button size="sm" variant="ghost" aria-label={`Delete ${name}`} onClick={onDelete}>
        Delete
      </Button>
    </span>
  );
}
