import { describe, expect, it } from 'vitest';
import { findCycles, findReachable, orderTopologically } from './graph-order';

describe('findCycles', () => {
  it('finds each cycle once and ignores acyclic parts', () => {
    const edges = [
      { from: 0, to: 1 },
      { from: 1, to: 2 },
      { from: 2, to: 1 },
      { from: 3, to: 3 },
      { from: 2, to: 4 },
    ];
    expect(findCycles(5, edges)).toEqual([[1, 2], [3]]);
  });

  it('handles a long chain without overflowing the stack', () => {
    const edges = Array.from({ length: 50_000 }, (_, at) => ({ from: at, to: at + 1 }));
    expect(findCycles(50_001, edges)).toEqual([]);
    expect(findCycles(50_001, [...edges, { from: 50_000, to: 0 }])[0]).toHaveLength(50_001);
  });
});

describe('orderTopologically', () => {
  it('puts the first node first and keeps declaration order among ready nodes', () => {
    const edges = [
      { from: 3, to: 1 },
      { from: 3, to: 0 },
      { from: 1, to: 2 },
      { from: 0, to: 2 },
    ];
    expect(orderTopologically(4, edges, 3)).toEqual([3, 0, 1, 2]);
  });

  it('refuses a cyclic graph', () => {
    expect(() => orderTopologically(2, [{ from: 0, to: 1 }, { from: 1, to: 0 }], 0)).toThrow(/acyclic/);
  });
});

describe('findReachable', () => {
  it('follows edges forward only', () => {
    expect([...findReachable(1, 4, [{ from: 0, to: 1 }, { from: 1, to: 2 }, { from: 2, to: 3 }])].sort()).toEqual([1, 2, 3]);
  });
});
