// Reads one YAML file with positions. cosmiconfig only finds files: its js-yaml loader keeps no
// positions, so every file is (re)parsed here with `yaml` and a LineCounter, and every syntax
// error is reported as FILE:LINE:COL rather than stopping at the first.
import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { errorMessage } from '../util/errors.js';
import { Diagnostics } from './diagnostics.js';
import type { SourcePos } from './types.js';

export interface ParsedFile {
  /** Absolute path. */
  abs: string;
  /** Path shown in diagnostics (relative to the working directory when inside it). */
  file: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
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

/** Parses `text`; syntax errors go to `diags` (all of them) and leave `value` undefined. */
export function parseYaml(abs: string, file: string, text: string, diags: Diagnostics): ParseResult {
  const lineCounter = new LineCounter();
  // uniqueKeys: a key written twice silently overriding the first is a classic GitOps footgun.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const parsed: ParsedFile = { abs, file, doc, lineCounter, value: undefined };
  for (const e of doc.errors) {
    diags.add(offsetPos(parsed, e.pos[0]), syntaxMessage(text, e.code, e.message, e.pos[0], e.pos[1]));
  }
  const warnings = doc.warnings.map((w) => {
    const p = offsetPos(parsed, w.pos[0]);
    return `${p.file}:${p.line}:${p.col}: warning: ${w.message}`;
  });
  if (doc.errors.length === 0) {
    try {
      // maxAliasCount bounds alias expansion ("billion laughs"); toJS throws when it is exceeded.
      parsed.value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      diags.add({ file, line: 1, col: 1 }, `YAML error: ${errorMessage(e)}`);
    }
  }
  return { parsed, warnings };
}

/** Reads and parses a file; an unreadable file is a diagnostic at `usedAt` (e.g. the include line). */
export async function readYamlFile(
  abs: string,
  file: string,
  diags: Diagnostics,
  usedAt: SourcePos,
): Promise<ParseResult | undefined> {
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    diags.add(usedAt, `cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : errorMessage(e)}`);
    return undefined;
  }
  return parseYaml(abs, file, text, diags);
}
