// A fast reader for the plain block YAML that configs are written in, in front of the `yaml`
// package. yaml builds a concrete syntax tree and then a node tree for every token: ~0.6 s of CPU
// and ~20 MB of live nodes for a 10,000-image config, most of a plan's fixed cost. This reader
// takes one pass over the lines and builds plain values directly.
//
// It answers only for documents it fully understands: block maps and lists, one-line plain,
// quoted and flow scalars, comments. Anything else (anchors, tags, block scalars, multi-line
// scalars, escapes, directives, tabs, odd indentation, any syntax error) makes it give up, and
// the caller parses with yaml as before; so its answer, when it gives one, is yaml's answer.
// Scalars are resolved by yaml's own core-schema tags, and test/config/fast-yaml.test.ts checks
// the whole contract against yaml on thousands of generated documents.
import { isScalar, Schema, type CollectionTag, type ScalarTag } from 'yaml';

export interface FastYaml {
  value: unknown;
  /** Offsets of keys written a second time in their map (as duplicateKeys in yaml-values.ts). */
  duplicates: number[];
}

/** Thrown inside the reader when the document is outside what it understands. */
const GIVE_UP: unique symbol = Symbol('give up');

/** Never in the subset: tabs, CR, other control characters, BOM, Unicode line breaks. */
const OUTSIDE = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]/;

/** Characters that cannot start a plain scalar or key here (yaml indicators, quotes apart). */
const INDICATOR = new Set(['[', ']', '{', '}', ',', '#', '&', '*', '!', '|', '>', '%', '@', '`', '?', ':']);
const FLOW_END = new Set([',', '[', ']', '{', '}']);

/** yaml's tags that resolve plain scalars (null, bool, int, float), in yaml's order. */
const TAGS = new Schema({}).tags.filter(
  (t: CollectionTag | ScalarTag): t is ScalarTag & { test: RegExp } => t.default === true && t.test !== undefined && !('collection' in t),
);
/** A plain scalar starting with none of these is a string under every tag in TAGS. */
const MAY_NOT_BE_STRING = /^(?:$|[-+.~0-9nNtTfF])/;

/** The value of a plain scalar, as yaml's composer resolves it. */
function resolvePlain(text: string): unknown {
  if (!MAY_NOT_BE_STRING.test(text)) return text;
  for (const tag of TAGS) {
    if (tag.test.test(text)) {
      const v: unknown = tag.resolve(text, () => {
        throw GIVE_UP;
      }, { intAsBigInt: false });
      return isScalar(v) ? v.value : v;
    }
  }
  return text;
}

/** One map being built: its keys checked for repeats as yaml-values.ts does. */
class MapBuilder {
  readonly out: Record<string, unknown> = {};
  private readonly ids: unknown[] = [];
  private set: Set<unknown> | undefined;

  /** Notes the key written at `at`; called before its value is read, so repeats are listed in order. */
  key(id: unknown, at: number, duplicates: number[]): void {
    // A merge key: yaml's to read.
    if (id === '<<') throw GIVE_UP;
    if (this.has(id)) duplicates.push(at);
  }

  value(id: unknown, value: unknown): void {
    const k = id === null ? '' : String(id);
    // As yaml's addPairToJSMap: a key already `in` the object (`__proto__`, `toString`, a
    // repeat) is defined as an own property rather than assigned.
    if (k in this.out) Object.defineProperty(this.out, k, { value, writable: true, enumerable: true, configurable: true });
    else this.out[k] = value;
  }

  private has(id: unknown): boolean {
    if (this.set !== undefined) {
      const seen = this.set.has(id);
      this.set.add(id);
      return seen;
    }
    const ids = this.ids;
    let seen = false;
    // SameValueZero, as a Set compares: NaN is a repeat of NaN.
    if (id === id) {
      for (let i = 0; i < ids.length && !seen; i++) seen = ids[i] === id;
    } else {
      for (let i = 0; i < ids.length && !seen; i++) seen = ids[i] !== ids[i];
    }
    ids.push(id);
    if (ids.length > 8) this.set = new Set(ids);
    return seen;
  }
}

/** The value of `text` when it is in the subset; undefined when yaml must read it. */
export function parseSimpleYaml(text: string): FastYaml | undefined {
  if (OUTSIDE.test(text)) return undefined;
  try {
    return new Reader(text).document();
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    throw e;
  }
}

class Reader {
  private readonly duplicates: number[] = [];
  /** The current content line: its start, end (the newline or the text's end) and first non-space. */
  private lineStart = 0;
  private lineEnd = -1;
  private content = 0;
  /** The end of the content line before this one (-1 before the first). */
  private previousEnd = -1;
  private eof = false;

  constructor(private readonly text: string) {}

  document(): FastYaml {
    this.nextLine();
    if (this.eof) throw GIVE_UP; // empty: yaml decides what that is
    const value = this.block(this.indent());
    if (!this.eof) throw GIVE_UP;
    return { value, duplicates: this.duplicates };
  }

  private indent(): number {
    return this.content - this.lineStart;
  }

  /** Moves to the next line that is neither blank nor only a comment. */
  private nextLine(): void {
    const t = this.text;
    for (;;) {
      if (this.lineEnd >= t.length) {
        this.eof = true;
        return;
      }
      if (this.content >= this.lineStart) this.previousEnd = this.lineEnd;
      this.lineStart = this.lineEnd + 1;
      const nl = t.indexOf('\n', this.lineStart);
      this.lineEnd = nl === -1 ? t.length : nl;
      let i = this.lineStart;
      while (i < this.lineEnd && t.charCodeAt(i) === 32) i++;
      if (i === this.lineEnd || t[i] === '#') continue;
      // Document markers and directives.
      if (i === this.lineStart && (t.startsWith('---', i) || t.startsWith('...', i))) throw GIVE_UP;
      this.content = i;
      return;
    }
  }

  private isSeqItem(at: number): boolean {
    return this.text[at] === '-' && (at + 1 === this.lineEnd || this.text[at + 1] === ' ');
  }

  /** A block node starting at the current line, whose indentation is `indent`. */
  private block(indent: number): unknown {
    if (this.isSeqItem(this.content)) return this.seq(indent);
    if (this.keyEnd(this.content) === undefined) throw GIVE_UP; // a lone scalar on its own line
    return this.map(indent);
  }

  private seq(indent: number): unknown[] {
    const out: unknown[] = [];
    const t = this.text;
    for (;;) {
      let at = this.content + 1;
      while (at < this.lineEnd && t.charCodeAt(at) === 32) at++;
      if (at === this.lineEnd || t[at] === '#') {
        out.push(this.nested(indent));
      } else if (this.isSeqItem(at)) {
        throw GIVE_UP; // `- - a`
      } else if (this.keyEnd(at) !== undefined) {
        // `- key: value`: a map whose keys line up with this first one.
        this.content = at;
        out.push(this.map(at - this.lineStart));
      } else {
        out.push(this.inlineThenNext(at, indent));
      }
      if (this.eof || this.indent() < indent) return out;
      if (this.indent() > indent) throw GIVE_UP;
      if (!this.isSeqItem(this.content)) return out; // the parent map's next key, if it has one
    }
  }

  private map(indent: number): Record<string, unknown> {
    const builder = new MapBuilder();
    const t = this.text;
    for (;;) {
      const keyStart = this.content;
      if (this.isSeqItem(keyStart)) throw GIVE_UP;
      const colon = this.keyEnd(keyStart);
      // yaml refuses implicit keys over 1024 characters, counted in some cases from the end of
      // the line before: keys near that length are left to it.
      if (colon === undefined || colon - this.previousEnd > 1000) throw GIVE_UP;
      const id = this.key(keyStart, colon);
      builder.key(id, keyStart, this.duplicates);
      let at = colon + 1;
      while (at < this.lineEnd && t.charCodeAt(at) === 32) at++;
      let value: unknown;
      if (at === this.lineEnd || t[at] === '#') {
        value = this.nested(indent);
        // `key:` followed by a list at the key's own indentation is the key's value.
        if (value === null && !this.eof && this.indent() === indent && this.isSeqItem(this.content)) value = this.seq(indent);
      } else {
        value = this.inlineThenNext(at, indent);
      }
      builder.value(id, value);
      if (this.eof || this.indent() < indent) return builder.out;
      if (this.indent() > indent) throw GIVE_UP;
    }
  }

  /** After `key:` or `-` with nothing else on the line: the block below, or null. */
  private nested(indent: number): unknown {
    this.nextLine();
    if (this.eof || this.indent() <= indent) return null;
    return this.block(this.indent());
  }

  /** A value written on the line from `at`; the next line must not be part of it. */
  private inlineThenNext(at: number, indent: number): unknown {
    const value = this.inline(at);
    this.nextLine();
    if (!this.eof && this.indent() > indent) throw GIVE_UP; // a multi-line scalar, or an error
    return value;
  }

  /**
   * The offset of the colon ending the implicit key that starts at `at`, or undefined when the
   * line from `at` is not `key: ...`.
   */
  private keyEnd(at: number): number | undefined {
    const t = this.text;
    const end = this.lineEnd;
    const c = t[at] as string;
    if (c === '"' || c === "'") {
      const close = this.quoteEnd(at);
      let i = close + 1;
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
  private key(at: number, colon: number): unknown {
    const t = this.text;
    const c = t[at];
    if (c === '"' || c === "'") return this.quoted(at);
    let end = colon;
    while (t.charCodeAt(end - 1) === 32) end--;
    return resolvePlain(t.slice(at, end));
  }

  /** Offset of the quote closing the one-line quoted scalar opened at `at`. */
  private quoteEnd(at: number): number {
    const t = this.text;
    const q = t[at];
    for (let i = at + 1; i < this.lineEnd; i++) {
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

  private quoted(at: number): string {
    const body = this.text.slice(at + 1, this.quoteEnd(at));
    return this.text[at] === "'" ? body.replaceAll("''", "'") : body;
  }

  /** A scalar or flow collection from `at` to the end of the line (a comment aside). */
  private inline(at: number): unknown {
    const t = this.text;
    const c = t[at] as string;
    let value: unknown;
    let after: number;
    if (c === '"' || c === "'") {
      value = this.quoted(at);
      after = this.quoteEnd(at) + 1;
    } else if (c === '[' || c === '{') {
      const flow = new FlowReader(t, at, this.lineEnd, this.duplicates);
      value = flow.node();
      after = flow.at;
    } else {
      return this.plain(at);
    }
    this.restOfLine(after);
    return value;
  }

  /** Only spaces, or spaces then a comment, may follow a value. */
  private restOfLine(from: number): void {
    const t = this.text;
    let i = from;
    while (i < this.lineEnd && t.charCodeAt(i) === 32) i++;
    if (i === this.lineEnd) return;
    if (t[i] === '#' && i > from) return;
    throw GIVE_UP;
  }

  private plain(at: number): unknown {
    const t = this.text;
    const c = t[at] as string;
    if (INDICATOR.has(c) || t.startsWith('---', at) || this.isSeqItem(at)) throw GIVE_UP;
    let end = this.lineEnd;
    for (let i = at; i < this.lineEnd; i++) {
      const ch = t[i];
      if (ch === '#' && t[i - 1] === ' ') {
        end = i;
        break;
      }
      // `a: b: c` nests a map in a compact value: an error for yaml.
      if (ch === ':' && (i + 1 === this.lineEnd || t[i + 1] === ' ')) throw GIVE_UP;
    }
    while (t.charCodeAt(end - 1) === 32) end--;
    return resolvePlain(t.slice(at, end));
  }
}

/** A flow collection (`[a, b]`, `{ k: v }`) that opens and closes on one line. */
class FlowReader {
  constructor(
    private readonly text: string,
    public at: number,
    private readonly end: number,
    private readonly duplicates: number[],
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
    if (c === '[') return this.seq();
    if (c === '{') return this.map();
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
    const t = this.text;
    const q = t[this.at];
    const start = this.at + 1;
    for (let i = start; i < this.end; i++) {
      const ch = t[i];
      if (q === '"' && ch === '\\') throw GIVE_UP;
      if (ch === q) {
        if (q === "'" && t[i + 1] === "'") {
          i++;
          continue;
        }
        this.at = i + 1;
        const body = t.slice(start, i);
        return q === "'" ? body.replaceAll("''", "'") : body;
      }
    }
    throw GIVE_UP;
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
