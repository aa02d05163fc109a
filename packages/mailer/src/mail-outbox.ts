import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Transporter } from 'nodemailer';
import { newId, type Logger } from '@weft/kernel';
import type { MailMessage } from './mail-message';
import { loadNodemailer } from './load-nodemailer';

/** A mail as the outbox keeps it: `<id>.json` beside `<id>.eml`. */
export interface StoredMail extends MailMessage {
  id: string;
  from: string;
  createdAt: string;
  /** Every http(s) link in the text body, in order. */
  links: string[];
}

const LINK = /https?:\/\/[^\s<>"')]+/g;

export function extractLinks(text: string): string[] {
  return text.match(LINK) ?? [];
}

/**
 * Writes mail to files instead of sending it, for installations without SMTP:
 * the JSON copy is for tools and tests, the `.eml` copy opens in any mail
 * client. The links are logged so that a self-hoster can verify an address or
 * reset a password from the server log. Files are readable by the owner only:
 * they hold single-use tokens.
 */
export function createOutboxWriter(options: { from: string; outboxDir: string; logger: Logger }) {
  let composer: Promise<Transporter> | undefined;
  return {
    async writeMail(message: MailMessage): Promise<StoredMail> {
      mkdirSync(options.outboxDir, { recursive: true, mode: 0o700 });
      const id = newId();
      const stored: StoredMail = {
        id,
        from: options.from,
        ...message,
        createdAt: new Date().toISOString(),
        links: extractLinks(message.text),
      };
      composer ??= loadNodemailer().then(({ createTransport }) => createTransport({ streamTransport: true, buffer: true, newline: 'unix' }));
      const info = await (await composer).sendMail({ from: options.from, ...message });
      // `buffer: true` above makes the composed message a Buffer, not a stream.
      writePrivateFile(join(options.outboxDir, `${id}.eml`), info.message as Buffer);
      writePrivateFile(join(options.outboxDir, `${id}.json`), JSON.stringify(stored, null, 2) + '\n');
      options.logger.info(
        { mailTo: message.to, subject: message.subject, links: stored.links, file: join(options.outboxDir, `${id}.eml`) },
        'mail saved to the outbox because SMTP_URL is not set',
      );
      return stored;
    },
  };
}

/** The outbox's mails, oldest first (ids are time-ordered UUIDv7). */
export function listOutbox(outboxDir: string): StoredMail[] {
  if (!existsSync(outboxDir)) return [];
  return readdirSync(outboxDir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => JSON.parse(readFileSync(join(outboxDir, name), 'utf8')) as StoredMail);
}

function writePrivateFile(path: string, content: string | Buffer): void {
  writeFileSync(path, content, { mode: 0o600 });
  chmodSync(path, 0o600);
}
