// What the fast reader shares: giving up, the characters that matter, scalars resolved as yaml's
// core schema does, and maps built as yaml's toJS builds them (see index.ts).
import { RepeatedKeys, setKey } from '../map-keys.js';

/** Thrown inside the reader when the document is outside what it understands. */
export const GIVE_UP: unique symbol = Symbol('give up');

/** Never in the subset: tabs, CR, other control characters, BOM, Unicode line breaks. */
export const OUTSIDE = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]/;

/** Characters that cannot start a plain scalar or key here (yaml indicators, quotes apart). */
export const INDICATOR = new Set(['[', ']', '{', '}', ',', '#', '&', '*', '!', '|', '>', '%', '@', '`', '?', ':']);
/**
 * Collections nested deeper than this are yaml's to read. Configs nest a few levels; yaml itself
 * refuses documents nested ~800 deep or more (where depends on the call stack), and a reader
 * without a limit would accept those, or overflow its own stack.
 */
export const MAX_DEPTH = 64;

export const FLOW_END = new Set([',', '[', ']', '{', '}']);

/**
 * YAML 1.2's core schema for plain scalars, as yaml 2 resolves it (null, bool, int, float, in
 * yaml's order; anything else is a string). Written out rather than taken from yaml so that a
 * plain config is read without loading yaml at all; test/config/fast-yaml.test.ts holds every
 * answer to yaml's own.
 */
const CORE: readonly [RegExp, (text: string) => unknown][] = [
  [/^(?:~|[Nn]ull|NULL)?$/, () => null],
  [/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (s) => s[0] === 't' || s[0] === 'T'],
  [/^0o[0-7]+$/, (s) => parseInt(s.substring(2), 8)],
  [/^[-+]?[0-9]+$/, (s) => parseInt(s, 10)],
  [/^0x[0-9a-fA-F]+$/, (s) => parseInt(s.substring(2), 16)],
  [/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/, (s) => (s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? -Infinity : Infinity)],
  [/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, (s) => parseFloat(s)],
  [/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/, (s) => parseFloat(s)],
];
/** A plain scalar starting with none of these is a string under every rule in CORE. */
const MAY_NOT_BE_STRING = /^(?:$|[-+.~0-9nNtTfF])/;

/** The value of a plain scalar, as yaml's composer resolves it. */
export function resolvePlain(text: string): unknown {
  if (!MAY_NOT_BE_STRING.test(text)) return text;
  for (const [test, resolve] of CORE) if (test.test(text)) return resolve(text);
  return text;
}

/** One map being built: keys checked for repeats and set as yaml does (map-keys.ts). */
export class MapBuilder {
  readonly out: Record<string, unknown> = {};
  private readonly keys = new RepeatedKeys();

  /** Notes the key written at `at`; called before its value is read, so repeats are listed in order. */
  key(id: unknown, at: number, duplicates: number[]): void {
    // A merge key: yaml's to read.
    if (id === '<<') throw GIVE_UP;
    if (this.keys.repeated(id)) duplicates.push(at);
  }

  value(id: unknown, value: unknown): void {
    setKey(this.out, id, value);
  }
}
