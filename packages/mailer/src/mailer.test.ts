import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@weft/kernel';
import { startSmtpStandin, type SmtpStandin } from '@weft/testing';
import { createMailer, listOutbox } from './index';

const quiet = createLogger({ level: 'silent', format: 'json' });

describe('mailer over SMTP', () => {
  let smtp: SmtpStandin;
  beforeAll(async () => {
    smtp = await startSmtpStandin();
  });
  afterAll(async () => {
    await smtp.close();
  });

  it('delivers text and HTML to the SMTP server with the configured sender', async () => {
    const outboxDir = mkdtempSync(join(tmpdir(), 'weft-outbox-'));
    const mailer = createMailer({ smtpUrl: smtp.url, from: 'Weft <no-reply@weft.test>', outboxDir, logger: quiet });
    const link = 'http://localhost:3000/verify-email?token=AbC_123-xyz';
    // A long line with non-ASCII text makes nodemailer use quoted-printable, which must not mangle the link.
    const text = `Bienvenue — confirmez votre adresse en ouvrant ${link} ${'très '.repeat(30)}`;
    await mailer.send({ to: 'alice@example.com', subject: 'Vérifiez votre adresse', text, html: `<a href="${link}">ok</a>` });
    const [mail] = await smtp.waitForMessages(1);
    expect(mail!.envelopeFrom).toBe('no-reply@weft.test');
    expect(mail!.envelopeTo).toEqual(['alice@example.com']);
    expect(mail!.subject).toBe('Vérifiez votre adresse');
    expect(mail!.text?.trim()).toBe(text.trim());
    expect(mail!.html).toContain(link);
    expect(listOutbox(outboxDir)).toEqual([]);
    await mailer.close();
  });

  it('fails loudly when the SMTP server cannot be reached', async () => {
    const mailer = createMailer({ smtpUrl: 'smtp://127.0.0.1:1', from: 'a@b.test', outboxDir: tmpdir(), logger: quiet });
    await expect(mailer.send({ to: 'x@example.com', subject: 's', text: 't' })).rejects.toThrow();
  });
});

describe('mailer without SMTP (outbox)', () => {
  it('writes each mail to the outbox, owner-readable only, and logs its links', async () => {
    const outboxDir = join(mkdtempSync(join(tmpdir(), 'weft-data-')), 'outbox');
    const lines: string[] = [];
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
    const logger = createLogger({ level: 'info', format: 'json', destination: stream });
    const mailer = createMailer({ from: 'Weft <no-reply@localhost>', outboxDir, logger });

    await mailer.send({ to: 'bob@example.com', subject: 'Reset your password', text: 'Open http://localhost:3000/reset-password?token=t1 now.' });
    await mailer.send({ to: 'carol@example.com', subject: 'Second', text: 'No link here.' });

    const stored = listOutbox(outboxDir);
    expect(stored.map((m) => m.subject)).toEqual(['Reset your password', 'Second']);
    expect(stored[0]).toMatchObject({ to: 'bob@example.com', from: 'Weft <no-reply@localhost>', links: ['http://localhost:3000/reset-password?token=t1'] });
    const eml = readFileSync(join(outboxDir, `${stored[0]!.id}.eml`), 'utf8');
    expect(eml).toContain('Subject: Reset your password');
    expect(eml).toContain('To: bob@example.com');
    expect(statSync(join(outboxDir, `${stored[0]!.id}.json`)).mode & 0o777).toBe(0o600);
    expect(statSync(outboxDir).mode & 0o777).toBe(0o700);
    expect(lines.join('')).toContain('http://localhost:3000/reset-password?token=t1');
  });

  it('lists nothing for an outbox that does not exist yet', () => {
    expect(listOutbox(join(tmpdir(), 'weft-no-such-outbox'))).toEqual([]);
  });
});
