// `include:` merges image files into the main configuration. Each included file holds an
// `images:` map and nothing else (providers stay in one place). An address defined twice is an
// error naming both places, whichever files they are in. Files are read in sorted order so the
// result does not depend on the file system's listing order.
import * as path from 'node:path';
import { isObject } from '../util/json.js';
import { displayPath, type Diagnostics } from './diagnostics.js';
import { glob, hasMagic } from './glob.js';
import { readYamlFile, type ParsedFile } from './parse.js';
import { posAt } from './positions.js';
import type { SourcePos } from './types.js';
import { validateIncludeFile, type ImageEntry } from './validate.js';

const fmt = (p: SourcePos): string => `${p.file}:${p.line}:${p.col}`;

function entriesOf(pf: ParsedFile): ImageEntry[] {
  const images = isObject(pf.value) ? pf.value['images'] : undefined;
  if (!isObject(images)) return [];
  return Object.keys(images)
    .sort()
    .map((address) => ({ address, pf, path: ['images', address], value: images[address] }));
}

/** Included files, by absolute path, sorted and without the main file. */
async function includedFiles(main: ParsedFile, diags: Diagnostics, warnings: string[]): Promise<string[]> {
  const list = isObject(main.value) ? main.value['include'] : undefined;
  if (!Array.isArray(list)) return [];
  const dir = path.dirname(main.abs);
  const files = new Set<string>();
  for (const [i, pattern] of list.entries()) {
    if (typeof pattern !== 'string' || pattern === '') continue; // the schema reported it
    const matches = await glob(dir, pattern);
    const at = posAt(main, ['include', i]);
    if (matches.length === 0) {
      // A glob over an empty folder is normal (no images yet); a named file that is missing is a mistake.
      if (hasMagic(pattern)) warnings.push(`${fmt(at)}: warning: include '${pattern}' matched no files`);
      else diags.add(at, `${displayPath(['include', i])}: included file '${pattern}' does not exist`);
    }
    for (const m of matches) if (m !== main.abs) files.add(m);
  }
  return [...files].sort();
}

/**
 * Every image of the main file and of the included files, in a stable order, with duplicate
 * addresses reported (and only the first definition kept), and every file read (main first).
 */
export async function collectImages(
  main: ParsedFile,
  display: (abs: string) => string,
  diags: Diagnostics,
  warnings: string[],
): Promise<{ entries: ImageEntry[]; files: string[] }> {
  const all = [...entriesOf(main)];
  const files = await includedFiles(main, diags, warnings);
  for (const abs of files) {
    const parsed = await readYamlFile(abs, display(abs), diags, { file: main.file, line: 1, col: 1 });
    if (parsed === undefined) continue;
    warnings.push(...parsed.warnings);
    if (parsed.parsed.value === undefined) continue; // syntax errors already reported
    // Images of a file with a stray top-level key are still checked: report everything at once.
    validateIncludeFile(parsed.parsed, diags);
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
