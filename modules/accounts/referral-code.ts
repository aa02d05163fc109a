import { randomBytes } from 'node:crypto';

/**
 * No 0/O or 1/I: codes are read aloud and typed by hand. 32 symbols, so a
 * byte maps to one without bias; 8 of them carry 40 random bits.
 */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export function generateReferralCode(): string {
  const bytes = randomBytes(8);
  return [...bytes].map((byte) => ALPHABET[byte % ALPHABET.length]).join('');
}
