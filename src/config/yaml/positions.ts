// Maps a place in the parsed data (a path or JSON Pointer, as ajv and drivers report them) back
// to FILE:LINE:COL. Walks the YAML node tree by hand rather than doc.getIn so that it can stop at
// the nearest existing ancestor and can answer with a pair's key node (unknown fields are
// reported on the key the user typed, not on its value).
import { isAlias, isMap, isScalar, isSeq, type Node } from 'yaml';
import { pointerToPath } from '../../util/json.js';
import { offsetPos, type ParsedFile } from './parse.js';
import type { SourcePos } from '../types.js';

export type Path = readonly (string | number)[];

function hasRange(n: unknown): n is Node & { range: [number, number, number] } {
  return typeof n === 'object' && n !== null && Array.isArray((n as { range?: unknown }).range);
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  if (typeof key === 'string' || typeof key === 'number') return String(key);
  return undefined;
}

type MapNode = { items: { key: unknown; value: unknown }[] };
const pairIndex = new WeakMap<object, Map<string, { key: unknown; value: unknown }>>();

/** Maps this small are searched in place: an index per image map would cost more than it saves. */
const SCAN_LIMIT = 16;

/**
 * The pair with this key (the first of duplicates), through an index built once per large map
 * (the parsed document is never edited): a linear find per lookup is quadratic over a config of
 * 10,000 images.
 */
function pairOf(map: MapNode, key: string): { key: unknown; value: unknown } | undefined {
  if (map.items.length <= SCAN_LIMIT) return scan(map, key);
  let index = pairIndex.get(map);
  if (index === undefined) {
    index = new Map();
    for (const p of map.items) {
      const k = keyText(p.key);
      if (k !== undefined && !index.has(k)) index.set(k, p);
    }
    pairIndex.set(map, index);
  }
  const hit = index.get(key);
  if (hit !== undefined || index.size === map.items.length) return hit;
  return scan(map, key);
}

function scan(map: MapNode, key: string): { key: unknown; value: unknown } | undefined {
  for (const p of map.items) if (keyText(p.key) === key) return p;
  return undefined;
}

/**
 * The node at `path` (or its pair's key when `key` is set); when part of the path does not exist,
 * the deepest node that does.
 */
export function nodeAt(pf: ParsedFile, path: Path, key = false): Node | undefined {
  let node: unknown = pf.doc.contents;
  let deepest: Node | undefined = hasRange(node) ? node : undefined;
  for (let i = 0; i < path.length; i++) {
    if (isAlias(node)) node = node.resolve(pf.doc);
    const seg = path[i];
    if (isMap(node)) {
      const pair = pairOf(node as unknown as MapNode, String(seg));
      if (pair === undefined) break;
      if (key && i === path.length - 1 && hasRange(pair.key)) return pair.key;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)];
      if (item === undefined) break;
      node = item;
    } else {
      break;
    }
    if (hasRange(node)) deepest = node;
  }
  return deepest;
}

/** Position of the value at `path` (or of its key), falling back to the nearest parent. */
export function posAt(pf: ParsedFile, path: Path, opts: { key?: boolean } = {}): SourcePos {
  const node = nodeAt(pf, path, opts.key ?? false);
  return node !== undefined && hasRange(node) ? offsetPos(pf, node.range[0]) : { file: pf.file, line: 1, col: 1 };
}

/**
 * Position for "this object lacks something": the key that opens the object (`ubuntu:`), which
 * is where a reader looks; the object itself for the top level or sequence items.
 */
export function objectPos(pf: ParsedFile, path: Path): SourcePos {
  const last = path[path.length - 1];
  if (path.length > 0 && typeof last === 'string') return posAt(pf, path, { key: true });
  return posAt(pf, path);
}

export function pointerPos(pf: ParsedFile, base: Path, pointer: string, opts: { key?: boolean } = {}): SourcePos {
  return posAt(pf, [...base, ...pointerToPath(pointer)], opts);
}

/** Every JSON Pointer under the node at `base`, with its position (for DesiredImage.positions). */
export function collectPositions(pf: ParsedFile, base: Path, value: unknown, pointer = ''): Record<string, SourcePos> {
  const out: Record<string, SourcePos> = { [pointer]: pointerPos(pf, base, pointer) };
  if (Array.isArray(value)) {
    value.forEach((v, i) => Object.assign(out, collectPositions(pf, base, v, `${pointer}/${i}`)));
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      const seg = k.replace(/~/g, '~0').replace(/\//g, '~1');
      Object.assign(out, collectPositions(pf, base, v, `${pointer}/${seg}`));
    }
  }
  return out;
}
