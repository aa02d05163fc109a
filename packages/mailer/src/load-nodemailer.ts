/**
 * nodemailer, loaded with the first mail: about 2.4 MB of heap (measured after start-up) that a
 * server sending no mail does without.
 */
let loading: Promise<typeof import('nodemailer')> | undefined;

export function loadNodemailer(): Promise<typeof import('nodemailer')> {
  loading ??= import('nodemailer');
  return loading;
}
