// List filters, Outscale style: values within one filter are ORed, filters are ANDed. Arrays come
// as repeated keys (`?ids=a&ids=b`, oapi-codegen's form/explode); a comma-separated value is one
// literal value, since only the repeated form was ever observed. Parameters a list operation
// does not declare are ignored, as the gateway drops query strings it does not forward: a client
// that sends a filter the API version lacks gets everything back, not an error.
import type { SimRequest } from '../messages.js';
import type { Violation } from './problems.js';
import type { SeedTag } from './seed.js';

export type FilterKind = 'strings' | 'ints' | 'bool' | 'string';

/** How a filter reads a resource: the values it has for that filter (any match passes). */
export interface FilterSpec<R> {
  kind: FilterKind;
  values: (r: R) => readonly (string | number | boolean)[];
}

export type FilterTable<R> = Record<string, FilterSpec<R>>;

export function queryValues(req: SimRequest, name: string): string[] | undefined {
  const all = req.queryAll?.[name];
  if (all) return all;
  const one = req.query[name];
  return one === undefined ? undefined : [one];
}

type Parsed = { name: string; wanted: (string | number | boolean)[] };

function parseOne(name: string, kind: FilterKind, raw: string[], violations: Violation[]): Parsed | undefined {
  if (kind === 'strings' || kind === 'string') return { name, wanted: kind === 'string' ? raw.slice(-1) : raw };
  if (kind === 'bool') {
    const v = raw[raw.length - 1];
    if (v !== 'true' && v !== 'false') return violations.push({ field: name, description: `${name} must be true or false` }), undefined;
    return { name, wanted: [v === 'true'] };
  }
  const ints = raw.map((v) => (/^-?\d+$/.test(v) ? Number(v) : NaN));
  if (ints.some((n) => Number.isNaN(n))) return violations.push({ field: name, description: `${name} must be integers` }), undefined;
  return { name, wanted: ints };
}

/** A predicate over resources, or the violations of malformed typed filters (400). */
export function compileFilters<R>(req: SimRequest, table: FilterTable<R>): ((r: R) => boolean) | Violation[] {
  const violations: Violation[] = [];
  const parsed: Parsed[] = [];
  for (const [name, spec] of Object.entries(table)) {
    const raw = queryValues(req, name);
    if (raw === undefined) continue;
    const p = parseOne(name, spec.kind, raw, violations);
    if (p) parsed.push(p);
  }
  if (violations.length > 0) return violations;
  return (r) =>
    parsed.every(({ name, wanted }) => {
      const have = table[name]?.values(r) ?? [];
      return wanted.some((w) => have.includes(w));
    });
}

/** The three tag filters every taggable compute list shares. */
export function tagFilters<R>(tagsOf: (r: R) => readonly SeedTag[]): FilterTable<R> {
  return {
    tagKeys: { kind: 'strings', values: (r) => tagsOf(r).map((t) => t.key) },
    tagValues: { kind: 'strings', values: (r) => tagsOf(r).map((t) => t.value) },
    // "KEY=VALUE"; a bare "KEY" (no '=') matches the key with any value.
    tags: { kind: 'strings', values: (r) => tagsOf(r).flatMap((t) => [`${t.key}=${t.value}`, t.key]) },
  };
}
