import type { InvitationEmail } from './workspaces.deps';

/**
 * The invitation mail, for the composition root to hand to the mailer
 * (`sendInvitationEmail: (input) => mailer.send(composeInvitationMail(input))`).
 * Plain text: the link is the whole point. Names are quoted because they are
 * chosen by users and should not read as the platform's own words.
 */
export function composeInvitationMail(input: InvitationEmail): { to: string; subject: string; text: string } {
  return {
    to: input.to,
    subject: `Invitation to the workspace "${input.workspaceName}" on Weft`,
    text:
      `Hello,\n\n"${input.inviterName}" invited you to join the workspace "${input.workspaceName}" on Weft.\n\n` +
      `To accept, sign in with this email address and open this link within 7 days:\n\n${input.acceptUrl}\n\n` +
      `The link works once. If you did not expect this invitation, ignore this mail.\n`,
  };
}
