// References between images and to the cloud. Inside an image's fields:
//   {ref: ADDRESS.ATTRIBUTE}   a value of another image, known after it is applied (an ordering edge)
//   {lookup: KIND, ...query}   a value found through the API at plan time
//   {env: NAME} / {file: PATH} a secret (or any value kept out of the YAML)
// They are collected with their pointer and position, checked against the declared images and the
// driver's lookup kinds, and the dependency graph (refs + depends_on) is checked for cycles.
import { isObject, pointerToPath, type JsonObject, type JsonValue } from '../util/json.js';
import { validators } from './ajv.js';
import { displayPath, type Diagnostics } from './diagnostics.js';
import { explain } from './explain.js';
import { findCycles, formatCycle } from './graph.js';
import { posAt } from './positions.js';
import { didYouMean } from './suggest.js';
import type { LookupUse, RefUse, SecretRef, SecretUse, SourcePos } from './types.js';
import { report, type ImageEntry } from './validate.js';

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
  if (!isObject(v) || Object.keys(v).length !== 1) return undefined;
  if (typeof v['env'] === 'string') return { env: v['env'] };
  if (typeof v['file'] === 'string') return { file: v['file'] };
  return undefined;
}

const escape = (k: string): string => k.replace(/~/g, '~0').replace(/\//g, '~1');

/** Walks `fields`; `posOf` maps a pointer (relative to the fields) to its position. */
export function collectUses(fields: JsonObject, posOf: (pointer: string) => SourcePos): Uses {
  const uses: Uses = { refs: [], lookups: [], secrets: [] };
  const walk = (v: JsonValue, pointer: string): void => {
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, `${pointer}/${i}`));
      return;
    }
    if (!isObject(v)) return;
    const ref = v['ref'];
    if (typeof ref === 'string' && Object.keys(v).length === 1 && ref.includes('.')) {
      const dot = ref.indexOf('.');
      uses.refs.push({ pointer, target: ref.slice(0, dot), attribute: ref.slice(dot + 1), pos: posOf(pointer) });
      return;
    }
    const kind = v['lookup'];
    if (typeof kind === 'string') {
      const query = Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'lookup'));
      uses.lookups.push({ pointer, kind, query, pos: posOf(pointer) });
      return;
    }
    const secret = asSecretRef(v);
    if (secret !== undefined) {
      uses.secrets.push({ pointer, ref: secret, pos: posOf(pointer) });
      return;
    }
    for (const [k, x] of Object.entries(v)) walk(x, `${pointer}/${escape(k)}`);
  };
  walk(fields, '');
  return uses;
}

function checkLookups(img: ImageInfo, diags: Diagnostics): void {
  const v = validators();
  const driver = img.driver === undefined ? undefined : v.drivers[img.driver];
  if (driver === undefined) return;
  const known = Object.keys(driver.schema.lookups).sort();
  for (const l of img.uses.lookups) {
    const path = pathOf(img, l.pointer);
    const spec = driver.schema.lookups[l.kind];
    if (spec === undefined) {
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

/** Reference targets, depends_on entries, lookups and cycles; returns the dependency edges. */
export function checkReferences(images: readonly ImageInfo[], diags: Diagnostics): Map<string, string[]> {
  const declared = new Set(images.map((i) => i.entry.address));
  const edges = new Map<string, string[]>();
  for (const img of images) {
    const targets = new Set<string>();
    for (const r of img.uses.refs) {
      if (declared.has(r.target)) targets.add(r.target);
      else {
        const path = pathOf(img, r.pointer);
        diags.add(r.pos, `${displayPath(path)}: reference to undeclared image '${r.target}'${didYouMean(r.target, declared)}`);
      }
    }
    img.depends_on.forEach((d, i) => {
      const path = [...img.entry.path, 'depends_on', i];
      if (declared.has(d)) targets.add(d);
      else diags.add(posAt(img.entry.pf, path), `${displayPath(path)}: depends on undeclared image '${d}'${didYouMean(d, declared)}`);
    });
    edges.set(img.entry.address, [...targets].sort());
    checkLookups(img, diags);
  }
  const byAddress = new Map(images.map((i) => [i.entry.address, i]));
  for (const cycle of findCycles(edges)) {
    const first = byAddress.get(cycle[0] as string);
    if (first === undefined) continue;
    diags.add(posAt(first.entry.pf, first.entry.path, { key: true }), `${displayPath(first.entry.path)}: dependency cycle: ${formatCycle(cycle)}`);
  }
  return edges;
}
