// What the fast reader reads within one line (index.ts reads the lines): where an implicit key
// ends, keys, quoted and plain scalars, and what may follow a value. Each function takes the text,
// an offset and the line's end (its newline or the text's end), and gives up on anything else.
import { GIVE_UP, INDICATOR, resolvePlain } from './scalars.js';

export function isSeqItem(t: string, at: number, end: number): boolean {
  return t[at] === '-' && (at + 1 === end || t[at + 1] === ' ');
}

/** The offset of the colon ending the implicit key that starts at `at`, or undefined when the line from `at` is not `key: ...`. */
export function keyEnd(t: string, at: number, end: number): number | undefined {
  const c = t[at] as string;
  if (c === '"' || c === "'") {
    let i = quoteEnd(t, at, end) + 1;
    while (i < end && t.charCodeAt(i) === 32) i++;
    if (i < end && t[i] === ':' && (i + 1 === end || t[i + 1] === ' ')) return i;
    return undefined;
  }
  if (c === '[' || c === '{') return undefined; // a flow value (as a key it is yaml's to read)
  if (INDICATOR.has(c)) throw GIVE_UP;
  for (let i = at; i < end; i++) {
    const ch = t[i];
    if (ch === ':' && (i + 1 === end || t[i + 1] === ' ')) return i;
    if (ch === '#' && t[i - 1] === ' ') return undefined;
  }
  return undefined;
}

/** The key written from `at` to its colon, as yaml resolves it. */
export function key(t: string, at: number, colon: number, end: number): unknown {
  const c = t[at];
  if (c === '"' || c === "'") return quoted(t, at, quoteEnd(t, at, end));
  let last = colon;
  while (t.charCodeAt(last - 1) === 32) last--;
  return resolvePlain(t.slice(at, last));
}

/** Offset of the quote closing the one-line quoted scalar opened at `at`. */
export function quoteEnd(t: string, at: number, end: number): number {
  const q = t[at];
  for (let i = at + 1; i < end; i++) {
    const ch = t[i];
    if (q === '"' && ch === '\\') throw GIVE_UP; // escapes: yaml's to read
    if (ch === q) {
      if (q === "'" && t[i + 1] === "'") {
        i++;
        continue;
      }
      return i;
    }
  }
  throw GIVE_UP; // continues on the next line
}

/** The value of the quoted scalar opened at `at` and closed at `close` (quoteEnd). */
export function quoted(t: string, at: number, close: number): string {
  const body = t.slice(at + 1, close);
  return t[at] === "'" ? body.replaceAll("''", "'") : body;
}

/** Only spaces, or spaces then a comment, may follow a value. */
export function restOfLine(t: string, from: number, end: number): void {
  let i = from;
  while (i < end && t.charCodeAt(i) === 32) i++;
  if (i === end) return;
  if (t[i] === '#' && i > from) return;
  throw GIVE_UP;
}

/** A plain scalar from `at` to the end of the line or a comment. */
export function plain(t: string, at: number, end: number): unknown {
  const c = t[at] as string;
  if (INDICATOR.has(c) || t.startsWith('---', at) || isSeqItem(t, at, end)) throw GIVE_UP;
  let last = end;
  for (let i = at; i < end; i++) {
    const ch = t[i];
    if (ch === '#' && t[i - 1] === ' ') {
      last = i;
      break;
    }
    // `a: b: c` nests a map in a compact value: an error for yaml.
    if (ch === ':' && (i + 1 === end || t[i + 1] === ' ')) throw GIVE_UP;
  }
  while (t.charCodeAt(last - 1) === 32) last--;
  return resolvePlain(t.slice(at, last));
}
