import { InvalidParamsError } from './errors.js';

const HEX_RE = /^[0-9a-fA-F]*$/;

export function isHex(value: string): boolean {
  return HEX_RE.test(value);
}

/** Lowercase hex of exactly `chars` characters, or an InvalidParamsError naming `field`. */
export function exactHex(value: unknown, chars: number, field: string): string {
  if (typeof value !== 'string' || value.length !== chars || !isHex(value)) {
    throw new InvalidParamsError(field, `${chars} hex characters`, value);
  }
  return value.toLowerCase();
}

/**
 * Lowercase hex left-padded with zeros to `chars` characters. Real miners drop leading zeros
 * (NerdMiner prints the nonce with `String(nonce, HEX)`), so `1a2b` means `00001a2b`.
 */
export function paddedHex(value: unknown, chars: number, field: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > chars || !isHex(value)) {
    throw new InvalidParamsError(field, `1 to ${chars} hex characters`, value);
  }
  return value.toLowerCase().padStart(chars, '0');
}

/** Lowercase hex of whole bytes (an even number of characters), any length up to `maxChars`. */
export function byteHex(value: unknown, field: string, maxChars = Number.MAX_SAFE_INTEGER): string {
  if (typeof value !== 'string' || value.length % 2 !== 0 || value.length > maxChars || !isHex(value)) {
    throw new InvalidParamsError(field, 'hex string of whole bytes', value);
  }
  return value.toLowerCase();
}

/** A 32-bit unsigned integer from 8 big-endian hex characters. */
export function u32FromHex(hex: string): number {
  return Number.parseInt(hex, 16) >>> 0;
}

export function u32ToHex(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}

export function reverseBytes(buf: Buffer): Buffer {
  return Buffer.from(buf).reverse();
}
