import { describe, expect, it } from 'vitest';
import { decodeQuotedPrintable, parseMime } from './parse-mime';

describe('parseMime', () => {
  it('reads a multipart/alternative message with quoted-printable and base64 parts', () => {
    const raw = [
      'From: Weft <no-reply@localhost>',
      'Subject: =?UTF-8?Q?V=C3=A9rifiez?= your',
      ' address',
      'Content-Type: multipart/alternative; boundary="--b1"',
      '',
      '----b1',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Open http://localhost/verify-email?token=3Dabc=',
      'def to continue =E2=80=94 thanks',
      '----b1',
      'Content-Type: text/html; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('<p>Hello</p>').toString('base64'),
      '----b1--',
      '',
    ].join('\r\n');
    const mail = parseMime(raw);
    expect(mail.subject).toBe('Vérifiez your address');
    expect(mail.text).toBe('Open http://localhost/verify-email?token=abcdef to continue — thanks');
    expect(mail.html).toBe('<p>Hello</p>');
    expect(mail.headers.from).toBe('Weft <no-reply@localhost>');
  });

  it('reads a single-part plain message', () => {
    const mail = parseMime('Subject: hi\r\n\r\nplain body\r\n');
    expect(mail).toMatchObject({ subject: 'hi', text: 'plain body', html: undefined });
  });

  it('leaves a lone "=" that is not an escape alone', () => {
    expect(decodeQuotedPrintable('a = b')).toBe('a = b');
  });
});
