// References between images and to the cloud. Inside an image's fields:
//   {ref: ADDRESS.ATTRIBUTE}   a value of another image, known after it is applied (an ordering edge)
//   {lookup: KIND, ...query}   a value found through the API at plan time
//   {env: NAME} / {file: PATH} a secret (or any value kept out of the YAML)
// They are collected with their pointer and position, checked against the declared images and the
// driver's lookup kinds, and the dependency graph (refs + depends_on) is checked for cycles.
import { isObject, pointerToPath, type JsonObject, type JsonValue } from '../../util/json.js';
import type { Validators } from '../schema/validators.js';
import { displayPath, type Diagnostics } from '../diagnostics.js';
import { explain } from '../schema/explain.js';
import { findCycles, formatCycle } from './graph.js';
import { lazyProperties } from '../../util/lazy.js';
import type { ParsedFile } from '../yaml/parse.js';
import { pointerPos, posAt, type Path } from '../yaml/positions.js';
import { didYouMean } from '../../util/suggest.js';
import type { LookupUse, RefUse, SecretRef, SecretUse, SourcePos } from '../types.js';
import { omitKeys, report, type ImageEntry } from '../schema/validate.js';

export interface Uses {
  refs: RefUse[];
  lookups: LookupUse[];
  secrets: SecretUse[];
}

/** What the reference checks need to know about one image. */
export interface ImageInfo {
  entry: ImageEntry;
  driver: string | undefined;
  fields: JsonObject;
  uses: Uses;
  depends_on: string[];
}

export function asSecretRef(v: unknown): SecretRef | undefined {
  if (!isObject(v)) return undefined;
  const env = v['env'];
  const file = v['file'];
  // Cheap tests first: most objects walked are neither, and counting keys allocates.
  if (typeof env !== 'string' && typeof file !== 'string') return undefined;
  if (Object.keys(v).length !== 1) return undefined;
  return typeof env === 'string' ? { env } : { file: file as string };
}

const escape = (k: string): string => (k.includes('~') || k.includes('/') ? k.replace(/~/g, '~0').replace(/\//g, '~1') : k);

/** Where the walk records what it finds, and how it positions it. */
interface UseWalk {
  uses: Uses;
  pf: ParsedFile;
  /** Path of the image in its file; pointers are relative to its fields. */
  base: Path;
}

/** Walks an image's `fields`, positioning each use found in `pf` under `base`. */
export function collectUses(fields: JsonObject, pf: ParsedFile, base: Path): Uses {
  const w: UseWalk = { uses: { refs: [], lookups: [], secrets: [] }, pf, base };
  walkUses(fields, '', w);
  return w.uses;
}

/** Where a use sits: what its position is found from. */
interface UseSource {
  pf: ParsedFile;
  base: Path;
  pointer: string;
}

// Found in the YAML only when read: a use's position is only wanted in a message.
const withPos = lazyProperties({ pos: (s: UseSource): SourcePos => pointerPos(s.pf, s.base, s.pointer) });

function walkUses(v: JsonValue, pointer: string, w: UseWalk): void {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (isNested(v[i])) walkUses(v[i] as JsonValue, `${pointer}/${i}`, w);
    return;
  }
  if (!isObject(v)) return;
  const ref = v['ref'];
  if (typeof ref === 'string' && Object.keys(v).length === 1 && ref.includes('.')) {
    const dot = ref.indexOf('.');
    w.uses.refs.push(withPos({ pointer, target: ref.slice(0, dot), attribute: ref.slice(dot + 1) }, { pf: w.pf, base: w.base, pointer }));
    return;
  }
  const kind = v['lookup'];
  if (typeof kind === 'string') {
    w.uses.lookups.push(withPos({ pointer, kind, query: omitKeys(v, LOOKUP_KEY) }, { pf: w.pf, base: w.base, pointer }));
    return;
  }
  const secret = asSecretRef(v);
  if (secret !== undefined) {
    w.uses.secrets.push(withPos({ pointer, ref: secret }, { pf: w.pf, base: w.base, pointer }));
    return;
  }
  // Scalars hold no use: only objects and lists are worth a pointer and a call.
  for (const k of Object.keys(v)) if (isNested(v[k])) walkUses(v[k] as JsonValue, `${pointer}/${escape(k)}`, w);
}

const LOOKUP_KEY: readonly string[] = ['lookup'];
const isNested = (v: unknown): boolean => typeof v === 'object' && v !== null;

function checkLookups(img: ImageInfo, v: Validators, diags: Diagnostics): void {
  if (img.uses.lookups.length === 0) return;
  const driver = img.driver === undefined ? undefined : v.drivers[img.driver];
  if (driver === undefined) return;
  for (const l of img.uses.lookups) {
    const spec = driver.schema.lookups[l.kind];
    if (spec === undefined) {
      const path = pathOf(img, l.pointer);
      const known = Object.keys(driver.schema.lookups).sort();
      const list = known.length === 0 ? 'it has none' : `known: ${known.join(', ')}`;
      diags.add(
        posAt(img.entry.pf, [...path, 'lookup']),
        `${displayPath([...path, 'lookup'])}: unknown lookup kind '${l.kind}' for driver ${driver.schema.driver} (${list})${didYouMean(l.kind, known)}`,
      );
      continue;
    }
    const validate = v.compile(spec.query_schema);
    if (validate !== undefined && !validate(l.query)) report(diags, img.entry.pf, explain(validate.errors ?? [], v, pathOf(img, l.pointer)));
  }
}

function pathOf(img: ImageInfo, pointer: string): (string | number)[] {
  return [...img.entry.path, ...pointerToPath(pointer)];
}

/** The declared images this one depends on (its refs and depends_on), sorted; the others are diagnostics. */
function dependencyTargets(img: ImageInfo, declared: ReadonlySet<string>, diags: Diagnostics): string[] {
  if (img.uses.refs.length === 0 && img.depends_on.length === 0) return [];
  const targets = new Set<string>();
  for (const r of img.uses.refs) {
    if (declared.has(r.target)) targets.add(r.target);
    else {
      const path = pathOf(img, r.pointer);
      diags.add(r.pos, `${displayPath(path)}: reference to undeclared image '${r.target}'${didYouMean(r.target, declared)}`);
    }
  }
  for (let i = 0; i < img.depends_on.length; i++) {
    const d = img.depends_on[i] as string;
    const path = [...img.entry.path, 'depends_on', i];
    if (declared.has(d)) targets.add(d);
    else diags.add(posAt(img.entry.pf, path), `${displayPath(path)}: depends on undeclared image '${d}'${didYouMean(d, declared)}`);
  }
  return [...targets].sort();
}

/** Reference targets, depends_on entries, lookups and cycles; returns the dependency edges. */
export function checkReferences(images: readonly ImageInfo[], v: Validators, diags: Diagnostics): Map<string, string[]> {
  const declared = new Set<string>();
  for (const img of images) declared.add(img.entry.address);
  const edges = new Map<string, string[]>();
  for (const img of images) {
    edges.set(img.entry.address, dependencyTargets(img, declared, diags));
    checkLookups(img, v, diags);
  }
  const cycles = findCycles(edges);
  if (cycles.length === 0) return edges;
  const byAddress = new Map(images.map((i) => [i.entry.address, i]));
  for (const cycle of cycles) {
    const first = byAddress.get(cycle[0] as string);
    if (first === undefined) continue;
    diags.add(posAt(first.entry.pf, first.entry.path, { key: true }), `${displayPath(first.entry.path)}: dependency cycle: ${formatCycle(cycle)}`);
  }
  return edges;
}
