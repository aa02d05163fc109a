import { describe, expect, it } from 'vitest';
import { compareCodePoints } from './compare';

describe('compareCodePoints', () => {
  it('orders by code unit, uppercase before lowercase, whatever the locale', () => {
    expect(['b', 'a_b', 'B', 'a-b', 'a'].sort(compareCodePoints)).toEqual(['B', 'a', 'a-b', 'a_b', 'b']);
    expect(compareCodePoints('same', 'same')).toBe(0);
  });
});
