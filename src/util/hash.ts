// A pure (no node:crypto) 64-bit FNV-1a hash, for change detection inside the pure planner:
// saved plans compare what was observed then with what is observed now. Not for secrets.
import { canonicalJson } from './json.js';

/**
 * FNV-1a 64 on two 32-bit halves, bit for bit what BigInt arithmetic gives (the prime is
 * 2^40 + 0x1b3, so h × prime = h × 0x1b3 + (low half << 40)); BigInt per character was the
 * planner's largest cost at 10,000 images.
 */
export function fnv1a64(text: string): string {
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (let i = 0; i < text.length; i++) {
    lo = (lo ^ text.charCodeAt(i)) >>> 0;
    const p = lo * 0x1b3; // < 2^41: exact in a double
    hi = (Math.imul(hi, 0x1b3) + Math.floor(p / 0x100000000) + (lo << 8)) >>> 0;
    lo = p >>> 0;
  }
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}

export function digestOf(value: unknown): string {
  return fnv1a64(canonicalJson(value));
}
