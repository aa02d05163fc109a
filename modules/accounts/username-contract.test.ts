import { describe, expect, it } from 'vitest';
import { Username } from '@weft/contracts';
import { isUsernameReserved, toUsernameCandidate } from './username-policy';

describe('the account contract (packages/contracts)', () => {
  it('accepts every username the Discord sign-up makes up, so such an account can save its profile', () => {
    for (const name of ['Zoë ✨', 'a', 'admin', 'x'.repeat(40), 'john.doe_42']) {
      const candidate = toUsernameCandidate(name);
      expect(Username.safeParse(candidate).success, candidate).toBe(true);
      expect(isUsernameReserved(candidate), candidate).toBe(false);
    }
  });
});
