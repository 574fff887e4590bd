// A pure (no node:crypto) 64-bit FNV-1a hash, for change detection inside the pure planner:
// saved plans compare what was observed then with what is observed now. Not for secrets.
import { canonicalJson } from './json.js';

const PRIME = 0x100000001b3n;
const OFFSET = 0xcbf29ce484222325n;
const MASK = 0xffffffffffffffffn;

export function fnv1a64(text: string): string {
  let h = OFFSET;
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * PRIME) & MASK;
  }
  return h.toString(16).padStart(16, '0');
}

export function digestOf(value: unknown): string {
  return fnv1a64(canonicalJson(value));
}
