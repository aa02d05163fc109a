import { useMemo, useState } from 'react';
import { nodeTypeKey, type NodeTypeDescription } from '../api/node-types.api';
import { SearchIcon } from '../components/icons';
import { Input } from '../components/input';

export const DRAG_MIME = 'application/x-weft-node-type';

const GROUPS: { kind: NodeTypeDescription['kind']; label: string }[] = [
  { kind: 'trigger', label: 'Triggers' },
  { kind: 'action', label: 'Actions' },
  { kind: 'flow', label: 'Flow' },
];

interface NodePaletteProps {
  nodeTypes: readonly NodeTypeDescription[];
  onAdd: (description: NodeTypeDescription) => void;
  isReadOnly: boolean;
}

/** Every node type, searchable; click (or Enter) adds one, or drag it onto the canvas. */
export function NodePalette({ nodeTypes, onAdd, isReadOnly }: NodePaletteProps) {
  const [query, setQuery] = useState('');
  const matches = useMemo(() => {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    return nodeTypes.filter((item) => {
      const haystack = `${item.name} ${item.type} ${item.description}`.toLowerCase();
      return words.every((word) => haystack.includes(word));
    });
  }, [nodeTypes, query]);

  return (
    <div className="palette">
      <div className="palette-search">
        <SearchIcon />
        <Input type="search" aria-label="Search nodes" placeholder="Search nodes" value={query} onChange={(event) => setQuery(event.target.value)} />
      </div>
      {matches.length === 0 ? <p className="subtle palette-empty">No node matches “{query}”.</p> : null}
      {GROUPS.map((group) => {
        const items = matches.filter((item) => item.kind === group.kind);
        if (items.length === 0) return null;
        return (
          <section key={group.kind} aria-label={group.label}>
            <h3 className="palette-heading">{group.label}</h3>
            <ul className="list-plain palette-list">
              {items.map((item) => (
                <li key={nodeTypeKey(item.type, item.version)}>
                  <button
                    type="button"
                    className={`palette-item palette-item-${item.kind}`}
                    draggable={!isReadOnly}
                    disabled={isReadOnly}
                    data-node-type={item.type}
                    onClick={() => onAdd(item)}
                    onDragStart={(event) => {
                      event.dataTransfer.setData(DRAG_MIME, nodeTypeKey(item.type, item.version));
                      event.dataTransfer.effectAllowed = 'copy';
                    }}
                  >
                    <span className="palette-item-name">{item.name}</span>
                    <span className="palette-item-description">{item.description}</span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
