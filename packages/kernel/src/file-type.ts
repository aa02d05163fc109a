/**
 * What uploaded bytes are, from their signature rather than from the
 * uploader's content type, and a file name safe to serve them under.
 */
export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];
export type DetectedFileType = ImageType | 'application/pdf' | 'text/plain';

const EXTENSIONS: Record<DetectedFileType, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
  'text/plain': 'txt',
};

/** The image format the bytes are, or null. SVG is never one: it can hold scripts. */
export function detectImageType(bytes: Uint8Array): ImageType | null {
  const startsWith = (...signature: number[]) => signature.every((byte, index) => bytes[index] === byte);
  if (startsWith(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (startsWith(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (startsWith(0x47, 0x49, 0x46, 0x38) && (bytes[4] === 0x37 || bytes[4] === 0x39) && bytes[5] === 0x61) return 'image/gif';
  if (startsWith(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45 && bytes[10] === 0x42 && bytes[11] === 0x50) return 'image/webp';
  return null;
}

/**
 * An image, a PDF (`%PDF-`) or plain text (valid UTF-8 without NUL bytes), or
 * null for anything else (archives, executables, HTML is text but is served
 * as text/plain, never as a page).
 */
export function detectFileType(bytes: Uint8Array): DetectedFileType | null {
  const image = detectImageType(bytes);
  if (image) return image;
  if (bytes.length >= 5 && Buffer.from(bytes.subarray(0, 5)).toString('latin1') === '%PDF-') return 'application/pdf';
  if (bytes.length > 0 && !bytes.includes(0)) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      return 'text/plain';
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * A file name safe in a URL path and a header: the given name's base reduced to
 * lower-case letters, digits and hyphens, with the extension of the real format.
 */
export function safeFilename(given: string, type: DetectedFileType): string {
  const base = given
    .replace(/^.*[/\\]/, '') // a path's last part: the uploader's folders are not ours
    .replace(/\.[^.]*$/, '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return `${base || 'file'}.${EXTENSIONS[type]}`;
}
