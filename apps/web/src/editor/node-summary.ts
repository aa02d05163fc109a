import type { WeftNodeData } from './graph-conversion';

/** One line under a node's name that says what it does with its current params. */
export function summariseNode(data: WeftNodeData): string {
  const params = data.params ?? {};
  switch (data.type) {
    case 'trigger.webhook':
      return `${String(params.method ?? 'POST')} /${String(params.path ?? '…')}`;
    case 'transform': {
      const count = params.mapping && typeof params.mapping === 'object' ? Object.keys(params.mapping).length : 0;
      return count === 1 ? '1 field' : `${count} fields`;
    }
    case 'condition':
      return typeof params.expression === 'string' ? params.expression : 'if …';
    case 'respond':
      return `Status ${String(params.status ?? 200)}`;
    default: {
      const first = Object.values(params).find((value) => typeof value === 'string' || typeof value === 'number');
      return first === undefined ? '' : String(first);
    }
  }
}
