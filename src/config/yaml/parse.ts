// Reads one YAML file with positions. cosmiconfig only finds files: its js-yaml loader keeps no
// positions, so every file is (re)parsed here with `yaml` and a LineCounter, and every syntax
// error is reported as FILE:LINE:COL rather than stopping at the first.
//
// `yaml` is the one reader. A faster copy of it for plain YAML saved 0.5-1 s of CPU at 10,000
// declared images and ~20 ms on the quickstart (bench/RESULTS.md), but had to be kept identical
// to yaml by hand (it needed two `__proto__` fixes); real configs are small. What yaml's toJS guarantees and this code relies on, tested in
// test/config/yaml/parse.test.ts: keys such as `__proto__` become own data properties, never a
// prototype; merge keys (`<<`, YAML 1.1 only) copy keys the same way; aliases expand at most
// maxAliasCount times ("billion laughs").
import { LineCounter, parseDocument, type Document } from 'yaml';
import { errorMessage } from '../../util/errors.js';
import { tracedSync } from '../../util/trace.js';
import { Diagnostics } from '../diagnostics.js';
import type { SourcePos } from '../types.js';
import { duplicateKeys } from './duplicate-keys.js';

export interface ParsedFile {
  /** Absolute path. */
  abs: string;
  /** Path shown in diagnostics (relative to the working directory when inside it). */
  file: string;
  /** yaml's node tree of the file and its line index: for positions. */
  readonly doc: Document.Parsed;
  readonly lineCounter: LineCounter;
  /** The document as plain JS (aliases resolved); undefined when the file had syntax errors. */
  value: unknown;
}

export interface ParseResult {
  parsed: ParsedFile;
  /** YAML warnings (unresolved tags, ...), already formatted FILE:LINE:COL: message. */
  warnings: string[];
}

/** Expansions of aliases allowed in one document: a few hundred bytes can otherwise expand to gigabytes. */
const MAX_ALIAS_COUNT = 100;

export function offsetPos(pf: Pick<ParsedFile, 'file' | 'lineCounter'>, offset: number): SourcePos {
  const { line, col } = pf.lineCounter.linePos(offset);
  return { file: pf.file, line: Math.max(1, line), col: Math.max(1, col) };
}

function syntaxMessage(text: string, code: string, message: string, start: number, end: number): string {
  if (code === 'DUPLICATE_KEY') {
    // The error's range may cover only the key's first character: read the key up to its colon.
    const m = /^("[^"\n]*"|'[^'\n]*'|[^:\n#,{}[\]]+?)\s*:/.exec(text.slice(start, Math.max(end, start + 200)));
    const key = (m?.[1] ?? text.slice(start, end)).trim().replace(/^(["'])(.*)\1$/, '$2');
    return key !== '' && key.length <= 80 ? `duplicate key '${key}' (keys must be unique)` : 'duplicate key (keys must be unique)';
  }
  return `YAML syntax error: ${message}`;
}

/** Parses `text`; syntax errors go to `diags` (all of them) and leave `value` undefined. */
export function parseYaml(abs: string, file: string, text: string, diags: Diagnostics): ParseResult {
  const lineCounter = new LineCounter();
  // uniqueKeys off: yaml's own check compares each key with every earlier one of its map
  // (1.4 s for 10,000 images); duplicateKeys finds the same keys in one pass.
  const doc = tracedSync('config: yaml parse', () => parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false }));
  const parsed: ParsedFile = { abs, file, doc, lineCounter, value: undefined };
  const errors = doc.errors.map((e) => ({ code: e.code as string, message: e.message, pos: e.pos }));
  for (const at of duplicateKeys(doc)) errors.push({ code: 'DUPLICATE_KEY', message: 'Map keys must be unique', pos: [at, at + 1] });
  for (const e of errors) {
    diags.add(offsetPos(parsed, e.pos[0]), syntaxMessage(text, e.code, e.message, e.pos[0], e.pos[1]));
  }
  const warnings = doc.warnings.map((w) => {
    const p = offsetPos(parsed, w.pos[0]);
    return `${p.file}:${p.line}:${p.col}: warning: ${w.message}`;
  });
  if (errors.length > 0) return { parsed, warnings };
  try {
    // toJS throws when aliases expand more than maxAliasCount times, or a merge source is no map.
    parsed.value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    diags.add({ file, line: 1, col: 1 }, `YAML error: ${errorMessage(e)}`);
  }
  return { parsed, warnings };
}
