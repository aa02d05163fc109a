import { describe, expect, it } from 'vitest';
import { composeInvitationMail } from './invitation-mail';

describe('invitation mail', () => {
  it('carries the accept link on its own line and quotes the user-chosen names', () => {
    const mail = composeInvitationMail({
      to: 'a@example.test',
      workspaceName: 'Acme',
      inviterName: 'bob',
      acceptUrl: 'https://weft.test/invitations/accept#token=abc',
    });
    expect(mail.to).toBe('a@example.test');
    expect(mail.subject).toContain('"Acme"');
    expect(mail.text).toContain('"bob" invited you');
    expect(mail.text).toContain('\n\nhttps://weft.test/invitations/accept#token=abc\n\n');
  });
});
