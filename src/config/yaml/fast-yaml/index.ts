// A fast reader for the plain block YAML that configs are written in, in front of the `yaml`
// package. yaml builds a concrete syntax tree and then a node tree for every token: ~0.6 s of CPU
// and ~20 MB of live nodes for a 10,000-image config, most of a plan's fixed cost. This reader
// takes one pass over the lines and builds plain values directly.
//
// It answers only for documents it fully understands: block maps and lists, one-line plain,
// quoted and flow scalars, comments. Anything else (anchors, tags, block scalars, multi-line
// scalars, escapes, directives, tabs, odd indentation, any syntax error) makes it give up, and
// the caller parses with yaml as before; so its answer, when it gives one, is yaml's answer.
// Scalars are resolved by YAML 1.2's core schema as yaml does (scalars.ts); a plain config is read
// without loading yaml at all. test/config/fast-yaml.test.ts checks the whole contract against
// yaml on thousands of generated documents. This file follows the lines and their indentation;
// line.ts reads within a line, flow.ts one-line flow collections.
import { FlowReader } from './flow.js';
import { isSeqItem, key, keyEnd, plain, quoted, quoteEnd, restOfLine } from './line.js';
import { GIVE_UP, MapBuilder, MAX_DEPTH, OUTSIDE } from './scalars.js';

export interface FastYaml {
  value: unknown;
  /** Offsets of keys written a second time in their map (as duplicateKeys in yaml-values.ts). */
  duplicates: number[];
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
  /** Collections open around the current one (MAX_DEPTH). */
  private depth = 0;

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
    return isSeqItem(this.text, at, this.lineEnd);
  }

  private keyEnd(at: number): number | undefined {
    return keyEnd(this.text, at, this.lineEnd);
  }

  /** A block node starting at the current line, whose indentation is `indent`. */
  private block(indent: number): unknown {
    if (this.isSeqItem(this.content)) return this.seq(indent);
    if (this.keyEnd(this.content) === undefined) throw GIVE_UP; // a lone scalar on its own line
    return this.map(indent);
  }

  /** Counts a collection opening (giving up past MAX_DEPTH) for the duration of `read`. */
  private nest<T>(read: () => T): T {
    if (++this.depth > MAX_DEPTH) throw GIVE_UP;
    const value = read();
    this.depth--;
    return value;
  }

  private seq(indent: number): unknown[] {
    return this.nest(() => this.seqItems(indent));
  }

  private seqItems(indent: number): unknown[] {
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
    return this.nest(() => this.mapEntries(indent));
  }

  private mapEntries(indent: number): Record<string, unknown> {
    const builder = new MapBuilder();
    const t = this.text;
    for (;;) {
      const keyStart = this.content;
      if (this.isSeqItem(keyStart)) throw GIVE_UP;
      const colon = this.keyEnd(keyStart);
      // yaml refuses implicit keys over 1024 characters, counted in some cases from the end of
      // the line before: keys near that length are left to it.
      if (colon === undefined || colon - this.previousEnd > 1000) throw GIVE_UP;
      const id = key(t, keyStart, colon, this.lineEnd);
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

  /** A scalar or flow collection from `at` to the end of the line (a comment aside). */
  private inline(at: number): unknown {
    const t = this.text;
    const c = t[at] as string;
    let value: unknown;
    let after: number;
    if (c === '"' || c === "'") {
      const close = quoteEnd(t, at, this.lineEnd);
      value = quoted(t, at, close);
      after = close + 1;
    } else if (c === '[' || c === '{') {
      const flow = new FlowReader(t, at, this.lineEnd, this.duplicates, this.depth);
      value = flow.node();
      after = flow.at;
    } else {
      return plain(t, at, this.lineEnd);
    }
    restOfLine(t, after, this.lineEnd);
    return value;
  }
}
