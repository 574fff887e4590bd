// $page/$limit/$filter/$orderby/$select for v4 list operations, and the paginated metadata
// (totalAvailableResults, links self/first/prev/next/last) in the shape of the tasks-list capture.
import { metadata, type Json, type Link } from './envelope.js';
import type { FieldProblem } from './errors.js';
import { parseFilter, parseOrderBy, type Comparator, type Predicate, type Row } from './odata.js';

export interface ListQuery {
  page: number;
  limit: number;
  filter?: Predicate;
  order?: Comparator;
  select?: ReadonlySet<string>;
}

export interface ListQueryOptions {
  filterFields: readonly string[];
  orderFields: readonly string[];
  /** Selectable fields; undefined when the operation has no $select. */
  select: readonly string[] | undefined;
}

function intParam(raw: string | undefined, name: string, min: number, max: number, dflt: number, problems: FieldProblem[]): number {
  if (raw === undefined) return dflt;
  const n = /^-?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `between ${min} and ${max}`;
    problems.push({ location: 'query', attributePath: name, message: `${name} must be an integer ${range}` });
  }
  return n;
}

export function parseListQuery(query: Record<string, string>, o: ListQueryOptions): ListQuery | { problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const page = intParam(query['$page'], '$page', 0, Number.MAX_SAFE_INTEGER, 0, problems);
  const limit = intParam(query['$limit'], '$limit', 1, 100, 50, problems);
  const q: ListQuery = { page, limit };
  const attempt = (name: string, f: () => void) => {
    try {
      f();
    } catch (e) {
      problems.push({ location: 'query', attributePath: name, message: `Invalid ${name}: ${e instanceof Error ? e.message : String(e)}` });
    }
  };
  const filter = query['$filter'];
  if (filter !== undefined) attempt('$filter', () => (q.filter = parseFilter(filter, o.filterFields)));
  const orderby = query['$orderby'];
  if (orderby !== undefined) attempt('$orderby', () => (q.order = parseOrderBy(orderby, o.orderFields)));
  const select = query['$select'];
  if (select !== undefined && o.select) {
    const allowed = o.select;
    attempt('$select', () => {
      const names = select.split(',').map((s) => s.trim());
      const unknown = names.filter((n) => !allowed.includes(n));
      if (unknown.length > 0) throw new Error(`unknown field(s) ${unknown.join(', ')}`);
      q.select = new Set(names);
    });
  }
  return problems.length > 0 ? { problems } : q;
}

export interface Page<T> {
  /** Undefined when nothing is on this page: real servers omit `data` then. */
  items?: T[];
  metadata: Json;
}

export function pageOf<T extends Row>(rows: readonly T[], q: ListQuery, baseHref: string): Page<T> {
  let matched = q.filter ? rows.filter(q.filter) : [...rows];
  if (q.order) matched = matched.sort(q.order);
  const total = matched.length;
  const lastPage = Math.max(0, Math.ceil(total / q.limit) - 1);
  const href = (p: number) => `${baseHref}?$page=${p}&$limit=${q.limit}`;
  const links: Link[] = [{ href: href(q.page), rel: 'self' }];
  if (q.page > 0) links.push({ href: href(Math.min(q.page - 1, lastPage)), rel: 'prev' });
  if (q.page < lastPage) links.push({ href: href(q.page + 1), rel: 'next' });
  links.push({ href: href(lastPage), rel: 'last' }, { href: href(0), rel: 'first' });
  const items = matched.slice(q.page * q.limit, (q.page + 1) * q.limit);
  const page: Page<T> = { metadata: metadata({ links, paginated: true, totalAvailableResults: total }) };
  if (items.length > 0) page.items = items;
  return page;
}
