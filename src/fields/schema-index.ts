// The index that normalisation and the write-only overlays walk, instead of every field of every
// image: kept apart so both read one tree, made once per DriverSchema object.
import type { DriverSchema, FieldSpec } from './schema.js';
import type { JsonValue } from '../util/json.js';

/**
 * The schema as a tree of its pointers, built once per schema (10,000 images share it). `active`
 * marks subtrees holding a normaliser, so normalisation skips the rest without walking it.
 */
export interface SpecNode {
  spec: FieldSpec | undefined;
  children: Map<string, SpecNode>;
  active: boolean;
  /** The children holding a normaliser, by key: the only keys normalisation has to visit. */
  activeChildren: [string, SpecNode][];
}
export interface SchemaIndex {
  root: SpecNode;
  defaults: { parts: string[]; key: string; value: JsonValue }[];
  writeOnly: { parts: string[]; key: string }[];
}
const indexes = new WeakMap<DriverSchema, SchemaIndex>();

export function indexOf(schema: DriverSchema): SchemaIndex {
  let idx = indexes.get(schema);
  if (!idx) {
    const root: SpecNode = { spec: schema.fields[''], children: new Map(), active: schema.fields['']?.normalize !== undefined, activeChildren: [] };
    idx = { root, defaults: [], writeOnly: [] };
    for (const [pointer, spec] of Object.entries(schema.fields)) {
      if (pointer === '') continue;
      const parts = pointer.split('/').slice(1);
      const path: SpecNode[] = [root];
      let node = root;
      for (const part of parts) {
        let child = node.children.get(part);
        if (!child) node.children.set(part, (child = { spec: undefined, children: new Map(), active: false, activeChildren: [] }));
        path.push((node = child));
      }
      node.spec = spec;
      if (spec.normalize !== undefined) for (const n of path) n.active = true;
      const key = parts.pop();
      if (key === undefined) continue;
      if (spec.default !== undefined) idx.defaults.push({ parts, key, value: spec.default });
      if (spec.write_only) idx.writeOnly.push({ parts, key });
    }
    const listActive = (node: SpecNode): void => {
      for (const [key, child] of node.children) {
        if (child.active) node.activeChildren.push([key, child]);
        listActive(child);
      }
    };
    listActive(root);
    indexes.set(schema, idx);
  }
  return idx;
}
