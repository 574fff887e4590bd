// A tiny glob matcher for `include:` (Node 20 has no fs.glob, and one more dependency for four
// operators is not worth it). Supports `*` and `?` within a path segment, `**` for any number of
// folders, and `{a,b}` alternatives. Like a shell, wildcards do not match names starting with a
// dot, and `**` does not follow symbolic links to folders (no loops).
import { readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';

export function hasMagic(pattern: string): boolean {
  return /[*?{]/.test(pattern);
}

/** `a{b,c{d,e}}` → [ab, acd, ace]. Unbalanced braces are taken literally. */
export function expandBraces(pattern: string): string[] {
  const open = pattern.indexOf('{');
  if (open < 0) return [pattern];
  let depth = 0;
  const commas: number[] = [];
  for (let i = open; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '{') depth++;
    else if (c === ',' && depth === 1) commas.push(i);
    else if (c === '}' && --depth === 0) {
      const head = pattern.slice(0, open);
      const tail = pattern.slice(i + 1);
      const bounds = [open, ...commas, i];
      const alternatives = bounds.slice(1).map((b, k) => pattern.slice((bounds[k] as number) + 1, b));
      return alternatives.flatMap((alt) => expandBraces(head + alt + tail));
    }
  }
  return [pattern];
}

function segmentRegex(seg: string): RegExp {
  const body = seg.replace(/[.+^$()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`^${body}$`);
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

async function listDir(dir: string): Promise<{ name: string; dir: boolean }[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.map((e) => ({ name: e.name, dir: e.isDirectory() }));
  } catch {
    return [];
  }
}

async function walk(dir: string, segs: readonly string[], out: Set<string>): Promise<void> {
  const [seg, ...rest] = segs;
  if (seg === undefined) {
    if (await isFile(dir)) out.add(dir);
    return;
  }
  if (seg === '**') {
    await walk(dir, rest, out); // zero folders
    for (const e of await listDir(dir)) {
      if (e.dir && !e.name.startsWith('.')) await walk(path.join(dir, e.name), segs, out);
    }
    return;
  }
  if (!hasMagic(seg)) {
    await walk(path.join(dir, seg), rest, out);
    return;
  }
  const re = segmentRegex(seg);
  for (const e of await listDir(dir)) {
    if (e.name.startsWith('.') && !seg.startsWith('.')) continue;
    if (re.test(e.name)) await walk(path.join(dir, e.name), rest, out);
  }
}

/** Absolute paths of the files matching `pattern` (relative to `base` unless absolute), sorted. */
export async function glob(base: string, pattern: string): Promise<string[]> {
  const out = new Set<string>();
  for (const p of expandBraces(pattern.replace(/\\/g, '/'))) {
    const root = path.isAbsolute(p) ? path.parse(p).root : base;
    const segs = (path.isAbsolute(p) ? p.slice(root.length) : p).split('/').filter((s) => s !== '' && s !== '.');
    await walk(root, segs, out);
  }
  return [...out].sort();
}
