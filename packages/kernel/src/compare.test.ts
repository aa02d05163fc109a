import { describe, expect, it } from 'vitest';
import { compareCodeUnits } from './compare';

describe('compareCodeUnits', () => {
  it('orders by code unit, uppercase before lowercase, whatever the locale', () => {
    expect(['b', 'a_b', 'B', 'a-b', 'a'].sort(compareCodeUnits)).toEqual(['B', 'a', 'a-b', 'a_b', 'b']);
    expect(compareCodeUnits('same', 'same')).toBe(0);
  });
});
