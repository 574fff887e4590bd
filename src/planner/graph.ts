// Dependency ordering. Edges point from an image to what it needs (references, depends_on).
// Creates and updates run dependencies first; deletes run in reverse.

/** Addresses in dependency order (dependencies first); ties broken by name for stable output. */
export function topoOrder(nodes: readonly string[], deps: (n: string) => readonly string[]): string[] {
  const known = new Set(nodes);
  const indegree = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const n of nodes) indegree.set(n, 0);
  for (const n of nodes) {
    const ds = deps(n);
    if (ds.length === 0) continue; // most images: no Set for nothing
    for (const d of new Set(ds)) {
      if (!known.has(d) || d === n) continue;
      indegree.set(n, (indegree.get(n) ?? 0) + 1);
      const list = dependents.get(d) ?? [];
      list.push(n);
      dependents.set(d, list);
    }
  }
  const ready = nodes.filter((n) => indegree.get(n) === 0).sort();
  const out: string[] = [];
  // An index instead of shift(): 10,000 independent images must not cost a quadratic queue.
  for (let i = 0; i < ready.length; i++) {
    const n = ready[i] as string;
    out.push(n);
    const next: string[] = [];
    for (const m of dependents.get(n) ?? []) {
      const left = (indegree.get(m) ?? 0) - 1;
      indegree.set(m, left);
      if (left === 0) next.push(m);
    }
    if (next.length > 0) {
      const rest = ready.splice(i + 1).concat(next).sort();
      ready.push(...rest);
    }
  }
  // Config validation rejects cycles; anything left here is appended so nothing is dropped.
  if (out.length < nodes.length) {
    const placed = new Set(out);
    out.push(...nodes.filter((n) => !placed.has(n)).sort());
  }
  return out;
}

/** The targets and everything they (transitively) depend on. */
export function withDependencies(targets: readonly string[], deps: (n: string) => readonly string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...targets];
  while (stack.length > 0) {
    const n = stack.pop() as string;
    if (seen.has(n)) continue;
    seen.add(n);
    stack.push(...deps(n));
  }
  return seen;
}
