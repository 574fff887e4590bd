// Keys written twice in one map. A key written twice silently overriding the first is a classic
// GitOps footgun, so each repeat is an error at the repeated key. yaml can check this itself
// (`uniqueKeys`), but it compares each key with every earlier key of its map: quadratic, 1.4 s for
// the `images:` map of a 10,000-image config. A Set per map finds the same keys in one pass.
import { isMap, isScalar, isSeq, type Document } from 'yaml';

/**
 * Offsets of every key written a second time in its map, at any depth (keys that are collections
 * included). Keys are compared as yaml compares them: scalar keys by value (SameValueZero, as a
 * Set does: `.nan` repeats `.nan`), others by identity. A YAML 1.1 merge key `<<` is a new
 * Symbol each time, so merges never repeat.
 */
export function duplicateKeys(doc: Document.Parsed): number[] {
  const out: number[] = [];
  collect(doc.contents, out);
  return out;
}

function collect(node: unknown, out: number[]): void {
  if (isMap(node)) {
    const seen = new Set<unknown>();
    for (const { key, value } of node.items) {
      const id: unknown = isScalar(key) ? key.value : key;
      if (seen.has(id) && isScalar(key) && key.range) out.push(key.range[0]);
      seen.add(id);
      if (!isScalar(key)) collect(key, out);
      collect(value, out);
    }
  } else if (isSeq(node)) {
    for (const item of node.items) collect(item, out);
  }
}
