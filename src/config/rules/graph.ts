// Dependency cycles among images ({ref}s and depends_on). A cycle can never be applied, so it is
// a configuration error, reported once per cycle in the order the edges run.

/**
 * Every cycle found by a depth-first search, each as its members in edge order, rotated to start
 * at its smallest address so the report is stable whatever the input order.
 */
export function findCycles(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const found = new Map<string, string[]>();
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    const out = edges.get(node) ?? [];
    for (const next of out.length > 1 ? [...out].sort() : out) {
      const s = state.get(next);
      if (s === 'open') {
        const cycle = stack.slice(stack.indexOf(next));
        const start = cycle.indexOf([...cycle].sort()[0] as string);
        const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
        found.set(rotated.join('\0'), rotated);
      } else if (s === undefined && edges.has(next)) {
        visit(next);
      }
    }
    stack.pop();
    state.set(node, 'done');
  };
  // A node with no edges closes no cycle, whenever it is visited: only the others start a search.
  const starts: string[] = [];
  for (const [node, out] of edges) if (out.length > 0) starts.push(node);
  for (const node of starts.sort()) if (!state.has(node)) visit(node);
  return [...found.values()].sort((a, b) => (a.join(' ') < b.join(' ') ? -1 : 1));
}

/** `a -> b -> c -> a` */
export function formatCycle(cycle: readonly string[]): string {
  return [...cycle, cycle[0]].join(' -> ');
}
