// The parsed document as plain JS, and the keys written twice in it, in one walk over the nodes.
// yaml's doc.toJS and a second walk for duplicate keys each visited every node of a 10,000-image
// config (~50 ms together). The walk here covers the documents people write (maps, lists and
// scalars) and gives up on anything else (aliases, merge keys, non-scalar keys, YAML 1.1
// collections such as !!set): the caller then asks yaml's own toJS and duplicateKeys, so the
// result is always what those give. Only documents the fast reader (fast-yaml/) hands back come
// here, so yaml is already loaded (yaml-lib.ts) when these run.
import type { Document, YAMLMap } from 'yaml';
import { RepeatedKeys, setKey } from './map-keys.js';
import { yamlLib } from './yaml-lib.js';

/** Returned when the document needs yaml's own conversion. */
export const NOT_PLAIN: unique symbol = Symbol('not plain');

const keyId = (k: unknown): unknown => (yamlLib().isScalar(k) ? k.value : k);

/**
 * Offsets of every key written a second time in its map. A key written twice silently overriding
 * the first is a classic GitOps footgun. Keys are compared as yaml does (map-keys.ts).
 */
export function duplicateKeys(doc: Document.Parsed): number[] {
  const out: number[] = [];
  collectDuplicates(doc.contents, out);
  return out;
}

function collectDuplicates(node: unknown, out: number[]): void {
  if (yamlLib().isMap(node)) {
    const keys = new RepeatedKeys();
    for (const pair of node.items) {
      const k = pair.key;
      if (keys.repeated(keyId(k)) && yamlLib().isScalar(k) && k.range) out.push(k.range[0]);
      if (!yamlLib().isScalar(k)) collectDuplicates(k, out);
      collectDuplicates(pair.value, out);
    }
  } else if (yamlLib().isSeq(node)) {
    for (const item of node.items) collectDuplicates(item, out);
  }
}

/**
 * doc.toJS() of a plain document, pushing the offset of every key written twice onto `duplicates`
 * (as duplicateKeys would); NOT_PLAIN, with `duplicates` incomplete, for any other document.
 */
export function plainValue(doc: Document.Parsed, duplicates: number[]): unknown {
  return toPlain(doc.contents, duplicates);
}

function toPlain(node: unknown, duplicates: number[]): unknown {
  if (node === null) return null;
  // An anchor changes nothing in the value as long as no alias uses it; aliases are left to yaml.
  if (node instanceof yamlLib().Scalar) return node.value;
  if (node instanceof yamlLib().YAMLMap) return node.constructor === yamlLib().YAMLMap ? mapToPlain(node, duplicates) : NOT_PLAIN;
  if (node instanceof yamlLib().YAMLSeq && node.constructor === yamlLib().YAMLSeq) {
    const out: unknown[] = [];
    for (const item of node.items) {
      const v = toPlain(item, duplicates);
      if (v === NOT_PLAIN) return NOT_PLAIN;
      out.push(v);
    }
    return out;
  }
  return NOT_PLAIN; // an alias, a pair inside a list (!!pairs), ...
}

function mapToPlain(map: YAMLMap, duplicates: number[]): unknown {
  const out: Record<string, unknown> = {};
  const keys = new RepeatedKeys();
  for (const { key, value } of map.items) {
    if (!(key instanceof yamlLib().Scalar)) return NOT_PLAIN;
    const id: unknown = key.value;
    // A merge key (`<<`, a Symbol('<<') where merge keys are on) and an object key (a YAML 1.1
    // timestamp or binary) are turned into properties otherwise than by String().
    if (id === '<<' || typeof id === 'symbol' || (typeof id === 'object' && id !== null)) return NOT_PLAIN;
    if (keys.repeated(id) && key.range) duplicates.push(key.range[0]);
    const v = toPlain(value, duplicates);
    if (v === NOT_PLAIN) return NOT_PLAIN;
    setKey(out, id, v);
  }
  return out;
}
