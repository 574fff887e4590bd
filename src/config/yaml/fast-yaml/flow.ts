// One-line flow collections for the fast reader (index.ts): `[a, b]`, `{ k: v }`, nested, opened
// and closed on the same line; anything else gives up.
import { quoted, quoteEnd } from './line.js';
import { FLOW_END, GIVE_UP, INDICATOR, MapBuilder, MAX_DEPTH, resolvePlain } from './scalars.js';

/** A flow collection (`[a, b]`, `{ k: v }`) that opens and closes on one line. */
export class FlowReader {
  constructor(
    private readonly text: string,
    public at: number,
    private readonly end: number,
    private readonly duplicates: number[],
    /** Collections already open around this one (MAX_DEPTH). */
    private depth: number,
  ) {}

  private spaces(): void {
    while (this.at < this.end && this.text.charCodeAt(this.at) === 32) this.at++;
  }

  private peek(): string {
    if (this.at >= this.end) throw GIVE_UP; // not closed on this line
    return this.text[this.at] as string;
  }

  node(): unknown {
    const c = this.peek();
    if (c === '[' || c === '{') {
      if (++this.depth > MAX_DEPTH) throw GIVE_UP;
      const value = c === '[' ? this.seq() : this.map();
      this.depth--;
      return value;
    }
    if (c === '"' || c === "'") return this.quoted();
    return this.plain();
  }

  /** After an entry: `,` then more (never a trailing comma), or the closing bracket. */
  private more(close: string): boolean {
    this.spaces();
    const c = this.peek();
    if (c === close) {
      this.at++;
      return false;
    }
    if (c !== ',') throw GIVE_UP;
    this.at++;
    this.spaces();
    if (this.peek() === close || this.peek() === ',') throw GIVE_UP;
    return true;
  }

  private seq(): unknown[] {
    const out: unknown[] = [];
    this.at++;
    this.spaces();
    if (this.peek() === ']') {
      this.at++;
      return out;
    }
    do {
      out.push(this.node());
      this.spaces();
      if (this.peek() === ':') throw GIVE_UP; // `[a: b]`, a pair in a list
    } while (this.more(']'));
    return out;
  }

  private map(): Record<string, unknown> {
    const builder = new MapBuilder();
    this.at++;
    this.spaces();
    if (this.peek() === '}') {
      this.at++;
      return builder.out;
    }
    do {
      const keyAt = this.at;
      const c = this.peek();
      if (c === '[' || c === '{') throw GIVE_UP;
      const id = c === '"' || c === "'" ? this.quoted() : this.plain();
      this.spaces();
      // Only `key: value`: a lone key, or `:` not followed by a space, is left to yaml.
      if (this.peek() !== ':' || this.text[this.at + 1] !== ' ') throw GIVE_UP;
      this.at += 2;
      this.spaces();
      const v = this.peek();
      if (v === ',' || v === '}') throw GIVE_UP;
      builder.key(id, keyAt, this.duplicates);
      builder.value(id, this.node());
    } while (this.more('}'));
    return builder.out;
  }

  private quoted(): string {
    const close = quoteEnd(this.text, this.at, this.end);
    const value = quoted(this.text, this.at, close);
    this.at = close + 1;
    return value;
  }

  /** A plain scalar in a flow: up to `,`, a bracket, or `: `. */
  private plain(): unknown {
    const t = this.text;
    const start = this.at;
    const c = t[start] as string;
    if (INDICATOR.has(c) || (c === '-' && (t[start + 1] === ' ' || FLOW_END.has(t[start + 1] as string)))) throw GIVE_UP;
    let i = start;
    for (; i < this.end; i++) {
      const ch = t[i] as string;
      if (FLOW_END.has(ch)) break;
      if (ch === ':' && (i + 1 === this.end || t[i + 1] === ' ' || FLOW_END.has(t[i + 1] as string))) break;
      if (ch === '#' && t[i - 1] === ' ') throw GIVE_UP;
    }
    let e = i;
    while (t.charCodeAt(e - 1) === 32) e--;
    if (e === start) throw GIVE_UP;
    this.at = i;
    return resolvePlain(t.slice(start, e));
  }
}
