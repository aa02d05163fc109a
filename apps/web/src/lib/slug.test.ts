import { describe, expect, it } from 'vitest';
import { slugFromTitle } from './slug';

describe('slugFromTitle', () => {
  it('makes an address the API accepts from any title', () => {
    expect(slugFromTitle('Weft 1.0 is out!')).toBe('weft-1-0-is-out');
    expect(slugFromTitle('  Crème brûlée — déjà vu  ')).toBe('creme-brulee-deja-vu');
    expect(slugFromTitle('!!!')).toBe('');
    const long = slugFromTitle('word '.repeat(40));
    expect(long.length).toBeLessThanOrEqual(80);
    expect(long).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
  });
});
