// The import graph of src/ and the checks the architecture test makes on it. Every kind of import
// counts: `import`, `import type`, `export ... from`, dynamic `import()` and `require()`, because a
// type-only arrow ties two modules together as surely as a value one (it is how cycles creep in).
// Read with TypeScript's own pre-processor, which skips comments and strings.
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, normalize, relative, sep } from 'node:path';
import ts from 'typescript';

/** `from` is a file relative to src/ ('planner/plan.ts'); `to` is one too, or a bare specifier ('node:fs', 'ajv'). */
export interface ImportEdge {
  from: string;
  to: string;
}

export interface ImportGraph {
  files: readonly string[];
  edges: readonly ImportEdge[];
}

/** What may import what: each top-level folder of src/ (or top-level file, without `.ts`) and the ones it may import. */
export type Layering = Readonly<Record<string, readonly string[]>>;

function listTs(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listTs(p, base));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(relative(base, p).split(sep).join('/'));
  }
  return out.sort();
}

export function readImportGraph(srcDir: string): ImportGraph {
  const files = listTs(srcDir);
  const known = new Set(files);
  const edges: ImportEdge[] = [];
  for (const file of files) {
    const info = ts.preProcessFile(readFileSync(join(srcDir, file), 'utf8'), true, true);
    for (const { fileName: spec } of info.importedFiles) {
      if (!spec.startsWith('.')) {
        edges.push({ from: file, to: spec });
        continue;
      }
      const to = normalize(join(dirname(file), spec)).split(sep).join('/').replace(/\.js$/, '.ts');
      // A relative import leaving src/ or naming no source file (JSON, a path inside a string of
      // generated code) is no arrow between modules; tsc reports the broken ones.
      if (known.has(to)) edges.push({ from: file, to });
    }
  }
  return { files, edges };
}

export function isNodeBuiltin(spec: string): boolean {
  return spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0] as string);
}

/** 'planner/plan.ts' → 'planner'; 'cli.ts' → 'cli'. */
export function topFolder(file: string): string {
  const cut = file.indexOf('/');
  return cut < 0 ? file.replace(/\.ts$/, '') : file.slice(0, cut);
}

const isModule = (to: string): boolean => to.endsWith('.ts');

/** One cycle per strongly connected group of modules, written `a.ts -> b.ts -> a.ts`. */
export function findCycles(graph: ImportGraph): string[] {
  const next = new Map<string, string[]>(graph.files.map((f) => [f, []]));
  for (const e of graph.edges) if (isModule(e.to)) next.get(e.from)?.push(e.to);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v) as number);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) !== index.get(v)) return;
    const group: string[] = [];
    let w: string;
    do {
      w = stack.pop() as string;
      onStack.delete(w);
      group.push(w);
    } while (w !== v);
    if (group.length > 1 || (next.get(v) ?? []).includes(v)) groups.push(group);
  };
  for (const f of graph.files) if (!index.has(f)) visit(f);
  return groups.map((g) => cycleWithin(g, next).join(' -> ')).sort();
}

/** The shortest way round from the group's first module (alphabetically) back to itself. */
function cycleWithin(group: readonly string[], next: ReadonlyMap<string, string[]>): string[] {
  const members = new Set(group);
  const start = [...group].sort()[0] as string;
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift() as string;
    for (const w of next.get(v) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const way: string[] = [];
        for (let u = v; u !== start; u = cameFrom.get(u) as string) way.unshift(u);
        return [start, ...way, start];
      }
      if (!cameFrom.has(w)) {
        cameFrom.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

/** Arrows between top-level folders that the layering does not allow, written `a/x.ts -> b/y.ts`. */
export function upwardArrows(graph: ImportGraph, layering: Layering): string[] {
  const out: string[] = [];
  for (const e of graph.edges) {
    if (!isModule(e.to)) continue;
    const from = topFolder(e.from);
    const to = topFolder(e.to);
    if (from !== to && layering[from]?.includes(to) !== true) out.push(`${e.from} -> ${e.to}`);
  }
  return out.sort();
}

/** Top-level folders and files of src/ the layering does not place. */
export function unplaced(graph: ImportGraph, layering: Layering): string[] {
  return [...new Set(graph.files.map(topFolder))].filter((f) => !Object.hasOwn(layering, f)).sort();
}

/** A cycle in the layering table itself (then it is no layering), written `a -> b -> a`, or undefined. */
export function layeringCycle(layering: Layering): string | undefined {
  const files = Object.keys(layering).map((n) => `${n}.ts`);
  const edges = Object.entries(layering).flatMap(([from, tos]) => tos.map((to) => ({ from: `${from}.ts`, to: `${to}.ts` })));
  return findCycles({ files, edges })[0]?.replace(/\.ts/g, '');
}

export interface PureRule {
  /** Top-level folders that must stay pure (no I/O, no driver, no store). */
  folders: readonly string[];
  /** The state modules that only declare types, which pure code may read. */
  stateTypeModules: readonly string[];
}

/** Imports of a Node builtin, a driver or a state store from a pure folder, written `file -> target`. */
export function impureImports(graph: ImportGraph, rule: PureRule): string[] {
  const out: string[] = [];
  for (const e of graph.edges) {
    if (!rule.folders.includes(topFolder(e.from))) continue;
    const bad = isModule(e.to)
      ? topFolder(e.to) === 'drivers' || (topFolder(e.to) === 'state' && !rule.stateTypeModules.includes(e.to))
      : isNodeBuiltin(e.to);
    if (bad) out.push(`${e.from} -> ${e.to}`);
  }
  return out.sort();
}

/**
 * Chains by which a pure folder reaches a driver or a state store through other modules (a
 * renderer reading apply's event types must not pull the applier in), written `a -> b -> c`.
 * Node builtins are left out: shared helpers (util/hash.ts, node:crypto) are fine to reach.
 */
export function impureReach(graph: ImportGraph, rule: PureRule): string[] {
  const next = new Map<string, string[]>();
  for (const e of graph.edges) if (isModule(e.to)) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const impure = (m: string): boolean => topFolder(m) === 'drivers' || (topFolder(m) === 'state' && !rule.stateTypeModules.includes(m));
  const out: string[] = [];
  for (const start of graph.files) {
    if (!rule.folders.includes(topFolder(start))) continue;
    const cameFrom = new Map<string, string>([[start, start]]);
    const queue = [start];
    while (queue.length > 0) {
      const v = queue.shift() as string;
      if (v !== start && impure(v)) {
        const chain = [v];
        for (let u = v; u !== start; u = cameFrom.get(u) as string) chain.unshift(cameFrom.get(u) as string);
        if (chain.length > 2) out.push(chain.join(' -> ')); // a direct import is impureImports' to report
        break;
      }
      for (const w of next.get(v) ?? []) {
        if (cameFrom.has(w)) continue;
        cameFrom.set(w, v);
        queue.push(w);
      }
    }
  }
  return out.sort();
}
