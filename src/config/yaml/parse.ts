// Reads one YAML file with positions. cosmiconfig only finds files: its js-yaml loader keeps no
// positions, so every file is (re)parsed here with `yaml` and a LineCounter, and every syntax
// error is reported as FILE:LINE:COL rather than stopping at the first. Plain documents are read
// by fast-yaml/ instead, and yaml's tree (for positions) is then built only if one is wanted.
import type { Document, LineCounter } from 'yaml';
import { errorMessage } from '../../util/errors.js';
import { lazyProperties } from '../../util/lazy.js';
import { tracedSync } from '../../util/trace.js';
import { Diagnostics } from '../diagnostics.js';
import { parseSimpleYaml } from './fast-yaml/index.js';
import type { SourcePos } from '../types.js';
import { yamlLib } from './yaml-lib.js';
import { duplicateKeys, NOT_PLAIN, plainValue } from './yaml-values.js';

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

/**
 * Runs `parse` with process.env replaced by a plain copy of itself. yaml's parser reads
 * process.env.LOG_TOKENS once per token (370,000 tokens for 10,000 images), and every read of the
 * real process.env is a lookup in the OS environment: ~60 ms of CPU, a tenth of the parse. The
 * parse is synchronous, so no other code sees the copy, and the real object is back before this
 * returns or throws.
 */
function withPlainEnv<T>(parse: () => T): T {
  const env = process.env;
  if (Object.getOwnPropertyDescriptor(process, 'env')?.writable !== true) return parse();
  process.env = { ...env };
  try {
    return parse();
  } finally {
    process.env = env;
  }
}

function yamlTree(text: string): { doc: Document.Parsed; lineCounter: LineCounter } {
  const yaml = yamlLib();
  const lineCounter = new yaml.LineCounter();
  const doc = withPlainEnv(() => yaml.parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false }));
  return { doc, lineCounter };
}

/** The text of a file read by the fast reader, and yaml's tree of it once someone asked. */
class TreeSource {
  private tree: ReturnType<typeof yamlTree> | undefined;
  constructor(private readonly text: string) {}
  get(): ReturnType<typeof yamlTree> {
    return (this.tree ??= tracedSync('config: yaml tree for positions', () => yamlTree(this.text)));
  }
}

// A position is wanted only when something is wrong, or for a few provider settings: yaml's tree
// of a 10,000-image file costs ~0.6 s, so it is built on the first such question.
const treeOnDemand = lazyProperties({
  doc: (s: TreeSource): Document.Parsed => s.get().doc,
  lineCounter: (s: TreeSource): LineCounter => s.get().lineCounter,
});

/** Parses `text`; syntax errors go to `diags` (all of them) and leave `value` undefined. */
export function parseYaml(abs: string, file: string, text: string, diags: Diagnostics): ParseResult {
  // The fast reader answers only for documents it reads exactly as yaml would, without errors
  // or warnings; duplicate keys are errors here as below.
  const fast = parseSimpleYaml(text);
  if (fast !== undefined) {
    const parsed = treeOnDemand({ abs, file, value: undefined as unknown }, new TreeSource(text));
    for (const at of fast.duplicates) diags.add(offsetPos(parsed, at), syntaxMessage(text, 'DUPLICATE_KEY', '', at, at + 1));
    if (fast.duplicates.length === 0) parsed.value = fast.value;
    return { parsed, warnings: [] };
  }
  const { doc, lineCounter } = yamlTree(text);
  const parsed: ParsedFile = { abs, file, doc, lineCounter, value: undefined };
  const errors = doc.errors.map((e) => ({ code: e.code as string, message: e.message, pos: e.pos }));
  // The value and the duplicate keys in one walk when the document is plain; yaml's walks otherwise.
  let duplicates: number[] = [];
  const value = errors.length === 0 ? plainValue(doc, duplicates) : NOT_PLAIN;
  if (value === NOT_PLAIN) duplicates = duplicateKeys(doc);
  for (const at of duplicates) errors.push({ code: 'DUPLICATE_KEY', message: 'Map keys must be unique', pos: [at, at + 1] });
  for (const e of errors) {
    diags.add(offsetPos(parsed, e.pos[0]), syntaxMessage(text, e.code, e.message, e.pos[0], e.pos[1]));
  }
  const warnings = doc.warnings.map((w) => {
    const p = offsetPos(parsed, w.pos[0]);
    return `${p.file}:${p.line}:${p.col}: warning: ${w.message}`;
  });
  if (errors.length > 0) return { parsed, warnings };
  if (value !== NOT_PLAIN) {
    parsed.value = value;
    return { parsed, warnings };
  }
  try {
    // maxAliasCount bounds alias expansion ("billion laughs"); toJS throws when it is exceeded.
    parsed.value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    diags.add({ file, line: 1, col: 1 }, `YAML error: ${errorMessage(e)}`);
  }
  return { parsed, warnings };
}
