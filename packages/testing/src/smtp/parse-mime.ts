/**
 * Just enough MIME (RFC 2045/2046) to read what Weft sends: header unfolding,
 * multipart bodies, quoted-printable and base64. Parts are read as UTF-8, the
 * only charset Weft writes. A stand-in for tests, not a general mail parser.
 */
export interface ParsedMail {
  /** Header names lower-cased; repeated headers keep the first value. */
  headers: Record<string, string>;
  subject: string;
  text: string | undefined;
  html: string | undefined;
}

interface MimePart {
  headers: Record<string, string>;
  body: string;
}

export function parseMime(raw: string): ParsedMail {
  const root = splitPart(raw.replace(/\r\n/g, '\n'));
  const leaves = collectLeaves(root);
  const pick = (type: string) => leaves.find((part) => mediaType(part) === type);
  const text = pick('text/plain') ?? (leaves.length === 1 && !root.headers['content-type'] ? leaves[0] : undefined);
  const html = pick('text/html');
  return {
    headers: root.headers,
    subject: decodeEncodedWords(root.headers.subject ?? ''),
    text: text ? decodeBody(text) : undefined,
    html: html ? decodeBody(html) : undefined,
  };
}

function splitPart(source: string): MimePart {
  const end = source.indexOf('\n\n');
  const head = end === -1 ? source : source.slice(0, end);
  const body = end === -1 ? '' : source.slice(end + 2);
  const headers: Record<string, string> = {};
  // RFC 5322 §2.2.3: a line starting with white space continues the previous header.
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    headers[name] ??= line.slice(colon + 1).trim();
  }
  return { headers, body };
}

function collectLeaves(part: MimePart): MimePart[] {
  const boundary = /boundary="?([^";]+)"?/i.exec(part.headers['content-type'] ?? '')?.[1];
  if (!mediaType(part).startsWith('multipart/') || !boundary) return [part];
  const sections = part.body.split(`--${boundary}`).slice(1);
  return sections
    .filter((section) => !section.startsWith('--'))
    .flatMap((section) => collectLeaves(splitPart(section.replace(/^\n/, ''))));
}

function mediaType(part: MimePart): string {
  return (part.headers['content-type'] ?? 'text/plain').split(';')[0]!.trim().toLowerCase();
}

function decodeBody(part: MimePart): string {
  const encoding = (part.headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  const body = part.body.replace(/\n$/, '');
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body);
  return body;
}

/** RFC 2045 §6.7: `=XX` is a byte, `=` at a line end is a soft line break. */
export function decodeQuotedPrintable(body: string): string {
  const joined = body.replace(/=\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** RFC 2047 encoded words in headers, e.g. `=?UTF-8?Q?Caf=C3=A9?=`. */
function decodeEncodedWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_match, _charset: string, kind: string, text: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : decodeQuotedPrintable(text.replace(/_/g, ' ')),
    );
}
