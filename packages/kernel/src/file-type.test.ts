import { describe, expect, it } from 'vitest';
import { detectFileType, detectImageType, safeFilename } from './file-type';

describe('file types from the bytes', () => {
  it('knows images, PDFs and plain text by their content, whatever they are called', () => {
    expect(detectImageType(Buffer.from('89504e470d0a1a0a0000', 'hex'))).toBe('image/png');
    expect(detectFileType(Buffer.from('ffd8ffe000', 'hex'))).toBe('image/jpeg');
    expect(detectFileType(Buffer.from('GIF89a....'))).toBe('image/gif');
    expect(detectFileType(Buffer.from('RIFF\x00\x00\x00\x00WEBPVP8 ', 'latin1'))).toBe('image/webp');
    expect(detectFileType(Buffer.from('%PDF-1.7\n...'))).toBe('application/pdf');
    expect(detectFileType(Buffer.from('Error: 500 at 09:00 — héllo\n'))).toBe('text/plain');
    expect(detectFileType(Buffer.from('<svg onload="alert(1)"/>'))).toBe('text/plain');
    expect(detectImageType(Buffer.from('<svg onload="alert(1)"/>'))).toBeNull();
  });

  it('refuses what is none of those: binary with NUL bytes, invalid UTF-8, nothing at all', () => {
    expect(detectFileType(Buffer.from('504b030414000000', 'hex'))).toBeNull(); // a zip
    expect(detectFileType(Buffer.from([0xc3, 0x28]))).toBeNull();
    expect(detectFileType(Buffer.alloc(0))).toBeNull();
  });

  it('names a file with safe words and the extension of what it really is', () => {
    expect(safeFilename('Screenshot 2026.PNG', 'image/png')).toBe('screenshot-2026.png');
    expect(safeFilename('../../etc/passwd', 'text/plain')).toBe('passwd.txt');
    expect(safeFilename('C:\\Users\\me\\log file.TXT', 'text/plain')).toBe('log-file.txt');
    expect(safeFilename('report.exe', 'application/pdf')).toBe('report.pdf');
    expect(safeFilename('***', 'image/gif')).toBe('file.gif');
  });
});
