import { describe, expect, it } from 'vitest';
import { PASSWORD_MAX_LENGTH as API_PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH as API_PASSWORD_MIN_LENGTH, USERNAME_PATTERN as API_USERNAME_PATTERN, Username } from '@weft/contracts';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password-policy';
import { isUsernameReserved, toUsernameCandidate, USERNAME_PATTERN } from './username-policy';

describe('the account contract (packages/contracts)', () => {
  it('checks passwords and usernames with the bounds the account policies use', () => {
    expect([API_PASSWORD_MIN_LENGTH, API_PASSWORD_MAX_LENGTH]).toEqual([PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH]);
    expect(API_USERNAME_PATTERN.source).toBe(USERNAME_PATTERN.source);
  });

  it('accepts every username the Discord sign-up makes up, so such an account can save its profile', () => {
    for (const name of ['Zoë ✨', 'a', 'admin', 'x'.repeat(40), 'john.doe_42']) {
      const candidate = toUsernameCandidate(name);
      expect(Username.safeParse(candidate).success, candidate).toBe(true);
      expect(isUsernameReserved(candidate), candidate).toBe(false);
    }
  });
});
