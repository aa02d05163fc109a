export { createMailer, type MailerOptions } from './create-mailer';
export { extractLinks, listOutbox, type StoredMail } from './mail-outbox';
export type { Mailer, MailMessage } from './mail-message';
