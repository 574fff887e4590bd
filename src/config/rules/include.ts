// `include:` merges image files into the main configuration. Each included file holds an
// `images:` map and nothing else (providers stay in one place). An address defined twice is an
// error naming both places, whichever files they are in. Files are read in sorted order so the
// result does not depend on the file system's listing order.
//
// Includes stay inside the configuration's folder (symbolic links are followed first), unless
// IMAGECTL_INCLUDE_PATH lists more folders: `include: ["../../../etc/shadow"]` must not read a
// file, and a file that is not an images file is named with a position, never shown, since an
// error message ends up in CI logs.
import { realpath } from 'node:fs/promises';
import * as path from 'node:path';
import { FileTooLargeError, LIMITS, readText } from '../../util/bounded-read.js';
import { errorMessage } from '../../util/errors.js';
import { isObject } from '../../util/json.js';
import { displayPath, type Diagnostics } from '../diagnostics.js';
import { glob, hasMagic } from './glob.js';
import { parseYaml, type ParseResult, type ParsedFile } from '../yaml/parse.js';
import { posAt } from '../yaml/positions.js';
import type { SourcePos } from '../types.js';
import { validateIncludeFile, type ImageEntry } from '../schema/validate.js';
import type { Validators } from '../schema/validators.js';

const fmt = (p: SourcePos): string => `${p.file}:${p.line}:${p.col}`;

function entriesOf(pf: ParsedFile): ImageEntry[] {
  const images = isObject(pf.value) ? pf.value['images'] : undefined;
  if (!isObject(images)) return [];
  return Object.keys(images)
    .sort()
    .map((address) => ({ address, pf, path: ['images', address], value: images[address] }));
}

export const INCLUDE_PATH_ENV = 'IMAGECTL_INCLUDE_PATH';

/** The folders included files may be in: the config's own, and those the environment adds. */
async function allowedRoots(dir: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const extra = (env[INCLUDE_PATH_ENV] ?? '').split(path.delimiter).filter((d) => d !== '');
  const roots = await Promise.all([dir, ...extra].map((d) => realpath(path.resolve(dir, d)).catch(() => undefined)));
  return roots.filter((r): r is string => r !== undefined);
}

async function isInside(file: string, roots: readonly string[]): Promise<boolean> {
  const real = await realpath(file).catch(() => undefined);
  return real !== undefined && roots.some((r) => real === r || real.startsWith(r.endsWith(path.sep) ? r : r + path.sep));
}

/** Included files, by absolute path, sorted and without the main file. */
async function includedFiles(main: ParsedFile, display: (abs: string) => string, diags: Diagnostics, warnings: string[]): Promise<{ abs: string; at: SourcePos }[]> {
  const list = isObject(main.value) ? main.value['include'] : undefined;
  if (!Array.isArray(list)) return [];
  const dir = path.dirname(main.abs);
  const roots = await allowedRoots(dir, process.env);
  const files = new Map<string, SourcePos>();
  for (const [i, pattern] of list.entries()) {
    if (typeof pattern !== 'string' || pattern === '') continue; // the schema reported it
    const matches = await glob(dir, pattern);
    const at = posAt(main, ['include', i]);
    if (matches.length === 0) {
      // A glob over an empty folder is normal (no images yet); a named file that is missing is a mistake.
      if (hasMagic(pattern)) warnings.push(`${fmt(at)}: warning: include '${pattern}' matched no files`);
      else diags.add(at, `${displayPath(['include', i])}: included file '${pattern}' does not exist`);
    }
    for (const m of matches) {
      if (m === main.abs || files.has(m)) continue;
      if (await isInside(m, roots)) files.set(m, at);
      else {
        diags.add(at, `${displayPath(['include', i])}: ${display(m)} is outside the configuration's folder and was not read; includes stay inside ${dir} (to allow another folder, list it in ${INCLUDE_PATH_ENV})`);
      }
    }
  }
  return [...files.keys()].sort().map((abs) => ({ abs, at: files.get(abs) as SourcePos }));
}

// An images file has a top-level `images:` key; a file with content but none is something else
// (notes, keys, /etc/shadow) and its text must not reach an error message.
const IMAGES_KEY = /^(?:\{\s*)?["']?images["']?[ \t]*:/m;

/** The first line with content (not blank, not a comment), 1-based; undefined for an empty file. */
function firstContentLine(text: string): number | undefined {
  const m = /^[ \t]*[^\s#]/m.exec(text);
  return m === null ? undefined : text.slice(0, m.index).split('\n').length;
}

async function readIncluded(abs: string, file: string, diags: Diagnostics, usedAt: SourcePos): Promise<ParseResult | undefined> {
  let text: string;
  try {
    text = await readText(abs, LIMITS.config, file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    diags.add(usedAt, e instanceof FileTooLargeError ? e.message : `cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : errorMessage(e)}`);
    return undefined;
  }
  const line = firstContentLine(text);
  if (line !== undefined && !IMAGES_KEY.test(text)) {
    diags.add({ file, line, col: 1 }, 'not an images file: an included file holds an `images:` map and nothing else (its content is not shown)');
    return undefined;
  }
  return parseYaml(abs, file, text, diags);
}

/**
 * Every image of the main file and of the included files, in a stable order, with duplicate
 * addresses reported (and only the first definition kept), and every file read (main first).
 */
export async function collectImages(
  main: ParsedFile,
  v: Validators,
  display: (abs: string) => string,
  diags: Diagnostics,
  warnings: string[],
): Promise<{ entries: ImageEntry[]; files: string[] }> {
  const all = [...entriesOf(main)];
  const included = await includedFiles(main, display, diags, warnings);
  const files = included.map((f) => f.abs);
  for (const { abs, at } of included) {
    const parsed = await readIncluded(abs, display(abs), diags, at);
    if (parsed === undefined) continue;
    warnings.push(...parsed.warnings);
    if (parsed.parsed.value === undefined) continue; // syntax errors already reported
    // Images of a file with a stray top-level key are still checked: report everything at once.
    validateIncludeFile(parsed.parsed, v, diags);
    all.push(...entriesOf(parsed.parsed));
  }
  const byAddress = new Map<string, ImageEntry>();
  for (const e of all) {
    const first = byAddress.get(e.address);
    if (first === undefined) {
      byAddress.set(e.address, e);
      continue;
    }
    const a = posAt(first.pf, first.path, { key: true });
    const b = posAt(e.pf, e.path, { key: true });
    diags.add(b, `${displayPath(e.path)}: address '${e.address}' is defined twice: at ${fmt(a)} and at ${fmt(b)}`);
  }
  const entries = [...byAddress.values()].sort((x, y) => (x.address < y.address ? -1 : x.address > y.address ? 1 : 0));
  return { entries, files: [main.abs, ...files] };
}
