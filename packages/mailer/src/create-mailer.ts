import type { Transporter } from 'nodemailer';
import type { Logger } from '@weft/kernel';
import type { Mailer, MailMessage } from './mail-message';
import { createOutboxWriter } from './mail-outbox';
import { loadNodemailer } from './load-nodemailer';

export interface MailerOptions {
  /** `smtp://` or `smtps://` URL with optional credentials; without it mail goes to `outboxDir`. */
  smtpUrl?: string;
  /** Sender, e.g. `Weft <no-reply@example.com>`. */
  from: string;
  /** Where mail is written when there is no SMTP server, normally `<dataDir>/outbox`. */
  outboxDir: string;
  logger: Logger;
}

/** Chosen once at the composition root: real SMTP when configured, the file outbox otherwise. */
export function createMailer(options: MailerOptions): Mailer {
  if (!options.smtpUrl) {
    const outbox = createOutboxWriter(options);
    return {
      async send(message) {
        await outbox.writeMail(message);
      },
      async close() {},
    };
  }
  const smtpUrl = options.smtpUrl;
  let transport: Promise<Transporter> | undefined;
  return {
    async send(message: MailMessage) {
      transport ??= loadNodemailer().then(({ createTransport }) => createTransport(smtpUrl, { from: options.from }));
      const info = await (await transport).sendMail(message);
      // Only the server's id: addresses are personal data and belong in no log line.
      options.logger.debug({ messageId: info.messageId }, 'mail sent');
    },
    async close() {
      (await transport)?.close();
    },
  };
}
