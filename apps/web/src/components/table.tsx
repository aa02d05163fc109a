import type { ReactNode } from 'react';

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
