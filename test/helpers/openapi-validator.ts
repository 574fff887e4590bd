// Validates recorded HTTP exchanges against an OpenAPI 3.0 or 3.1 document: the operation must
// exist, required header/query/path parameters must be present and valid, and the request and
// response bodies must match their schemas. The whole document is registered once with ajv under
// an $id and every schema is compiled lazily through a JSON-pointer $ref into it, so
// `#/components/...` refs resolve and an 800 kB spec costs only the operations a test touches.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

export interface Exchange {
  method: string;
  /** Request path without the query string; percent-encoding allowed. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body?: unknown;
  /** 0 = no response (dropped connection): only the request is checked. */
  status: number;
  responseBody?: unknown;
}

export interface SpecOptions {
  /** Prefix of every request path before the spec's paths; default: the path of servers[0].url. */
  basePath?: string;
  /** Correct known defects of a spec in memory before anything is compiled (say why at the call site). */
  patch?: (doc: Record<string, unknown>) => void;
}

export interface OperationMatch {
  method: string;
  template: string;
  operationId?: string;
}

export interface Spec {
  readonly version: string;
  findOperation(method: string, path: string): OperationMatch | undefined;
  validateExchange(ex: Exchange): string[];
}

type Obj = Record<string, unknown>;
const SPEC_ID = 'https://openapi.local/spec.json';
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const escSeg = (s: string) => encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1'));
const ptr = (...segs: string[]) => segs.map((s) => '/' + s.replace(/~/g, '~0').replace(/\//g, '~1')).join('');

/** OpenAPI 3.0 schema dialect → draft-07: `nullable` and boolean exclusive bounds. */
function downgrade30(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(downgrade30);
  if (!isObj(node)) return;
  for (const v of Object.values(node)) downgrade30(v);
  for (const [flag, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
    if (typeof node[flag] === 'boolean') {
      if (node[flag] && typeof node[bound] === 'number') node[flag] = node[bound];
      else delete node[flag];
      if (typeof node[flag] === 'number') delete node[bound];
    }
  }
  if (node['nullable'] !== true) return;
  delete node['nullable'];
  if (typeof node['type'] === 'string') {
    node['type'] = [node['type'], 'null'];
    if (Array.isArray(node['enum'])) node['enum'] = [...node['enum'], null];
  } else {
    const inner = { ...node };
    for (const k of Object.keys(node)) delete node[k];
    node['anyOf'] = [inner, { type: 'null' }];
  }
}

function newAjv(v31: boolean, coerce: boolean): Ajv {
  const opts = { strict: false, allErrors: true, validateSchema: false, logger: false as const, ...(coerce ? { coerceTypes: 'array' as const } : {}) };
  const ajv = v31 ? new Ajv2020(opts) : new Ajv(opts);
  addFormats.default(ajv);
  // OpenAPI's own formats: annotations here, not checks.
  for (const f of ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password']) ajv.addFormat(f, true);
  return ajv;
}

interface Route {
  template: string;
  regex: RegExp;
  params: string[];
  item: Obj;
}

function compileRoutes(paths: Obj): Route[] {
  const routes = Object.entries(paths).flatMap(([template, item]) => {
    if (!isObj(item)) return [];
    const params: string[] = [];
    const src = template.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\{([^}]+)\\\}/g, (_m, name: string) => (params.push(name), '([^/]+)'));
    return [{ template, regex: new RegExp(`^${src}$`), params, item }];
  });
  // Literal segments win over parameters: /images/$actions/import before /images/{extId}.
  return routes.sort((a, b) => a.params.length - b.params.length);
}

function fmt(where: string, errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    const extra = e.keyword === 'additionalProperties' ? ` '${String((e.params as { additionalProperty?: string }).additionalProperty)}'` : e.keyword === 'enum' ? ` ${JSON.stringify((e.params as { allowedValues?: unknown }).allowedValues)}` : '';
    return `${where}${e.instancePath} ${e.message ?? e.keyword}${extra}`;
  });
}

class OpenApiSpec implements Spec {
  readonly version: string;
  private readonly routes: Route[];
  private readonly basePath: string;
  private readonly bodyAjv: Ajv;
  private readonly paramAjv: Ajv;
  private readonly cache = new Map<string, ValidateFunction>();

  constructor(private readonly doc: Obj, opts: SpecOptions) {
    this.version = String(doc['openapi'] ?? '');
    const v31 = this.version.startsWith('3.1');
    if (!v31) downgrade30(doc);
    this.routes = compileRoutes(isObj(doc['paths']) ? doc['paths'] : {});
    this.basePath = (opts.basePath ?? this.serverBasePath()).replace(/\/$/, '');
    this.bodyAjv = newAjv(v31, false);
    this.paramAjv = newAjv(v31, true);
    this.bodyAjv.addSchema(doc, SPEC_ID);
    this.paramAjv.addSchema(doc, SPEC_ID);
  }

  private serverBasePath(): string {
    const servers = this.doc['servers'];
    const first = Array.isArray(servers) && isObj(servers[0]) ? servers[0] : undefined;
    if (typeof first?.['url'] !== 'string') return '';
    const url = first['url'].replace(/\{[^}]+\}/g, 'x');
    try {
      return new URL(url, 'http://x').pathname;
    } catch {
      return '';
    }
  }

  /** Follow `#/...` $refs outside schemas (parameters, requestBodies, responses), tracking the pointer. */
  private deref(node: unknown, pointer: string): { node: Obj; pointer: string } | undefined {
    let cur = node, at = pointer;
    for (let hops = 0; isObj(cur) && typeof cur['$ref'] === 'string' && hops < 20; hops++) {
      const ref = cur['$ref'];
      if (!ref.startsWith('#/')) return undefined;
      at = ref.slice(1);
      cur = at.split('/').slice(1).reduce<unknown>((o, s) => (isObj(o) ? o[s.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), this.doc);
    }
    return isObj(cur) ? { node: cur, pointer: at } : undefined;
  }

  private validator(ajv: Ajv, pointer: string, wrapParam: boolean): ValidateFunction {
    const key = `${ajv === this.paramAjv ? 'p' : 'b'}:${pointer}`;
    let fn = this.cache.get(key);
    if (!fn) {
      const ref = { $ref: `${SPEC_ID}#${pointer.split('/').slice(1).map((s) => '/' + escSeg(s.replace(/~1/g, '/').replace(/~0/g, '~'))).join('')}` };
      fn = ajv.compile(wrapParam ? { type: 'object', properties: { v: ref } } : ref);
      this.cache.set(key, fn);
    }
    return fn;
  }

  private match(method: string, path: string): { route: Route; op: Obj; values: Record<string, string> } | { error: string } {
    if (!path.startsWith(this.basePath)) return { error: `path ${path} is outside the base path ${this.basePath}` };
    const rel = path.slice(this.basePath.length) || '/';
    const m = method.toLowerCase();
    let pathMatched = false;
    for (const route of this.routes) {
      const hit = route.regex.exec(rel);
      if (!hit) continue;
      pathMatched = true;
      const op = route.item[m];
      if (!isObj(op)) continue;
      const values: Record<string, string> = {};
      route.params.forEach((p, i) => {
        const raw = hit[i + 1] ?? '';
        try {
          values[p] = decodeURIComponent(raw);
        } catch {
          values[p] = raw;
        }
      });
      return { route, op, values };
    }
    return { error: pathMatched ? `no ${method.toUpperCase()} operation for ${path}` : `no operation matches ${method.toUpperCase()} ${path}` };
  }

  findOperation(method: string, path: string): OperationMatch | undefined {
    const m = this.match(method, path);
    if ('error' in m) return undefined;
    const r: OperationMatch = { method: method.toUpperCase(), template: m.route.template };
    if (typeof m.op['operationId'] === 'string') r.operationId = m.op['operationId'];
    return r;
  }

  private parameters(route: Route, method: string): { node: Obj; pointer: string }[] {
    const byKey = new Map<string, { node: Obj; pointer: string }>();
    const base = ptr('paths', route.template);
    const lists: [unknown, string][] = [[route.item['parameters'], `${base}/parameters`], [(route.item[method] as Obj)['parameters'], `${base}/${method}/parameters`]];
    for (const [list, at] of lists) {
      if (!Array.isArray(list)) continue;
      list.forEach((p, i) => {
        const d = this.deref(p, `${at}/${i}`);
        if (d) byKey.set(`${String(d.node['in'])}:${String(d.node['name']).toLowerCase()}`, d);
      });
    }
    return [...byKey.values()];
  }

  private checkParams(ex: Exchange, route: Route, method: string, values: Record<string, string>): string[] {
    const errors: string[] = [];
    const headers = Object.fromEntries(Object.entries(ex.headers).map(([k, v]) => [k.toLowerCase(), v]));
    for (const { node: p, pointer } of this.parameters(route, method)) {
      const name = String(p['name']);
      const where = p['in'];
      const value = where === 'path' ? values[name] : where === 'query' ? ex.query[name] : where === 'header' ? headers[name.toLowerCase()] : undefined;
      if (where === 'cookie') continue;
      if (value === undefined) {
        if (p['required'] === true || where === 'path') errors.push(`request ${String(where)} parameter ${name} is required`);
        continue;
      }
      if (!isObj(p['schema'])) continue;
      const fn = this.validator(this.paramAjv, `${pointer}/schema`, true);
      if (!fn({ v: value })) errors.push(...fmt(`request ${String(where)} parameter ${name}`, fn.errors).map((e) => e.replace(/\/v(?=[/ ])/, '')));
    }
    return errors;
  }

  private static jsonMedia(content: unknown): string | undefined {
    if (!isObj(content)) return undefined;
    return Object.keys(content).find((k) => /json/i.test(k)) ?? Object.keys(content).find((k) => k === '*/*');
  }

  private checkBody(label: string, container: { node: Obj; pointer: string } | undefined, body: unknown, mustHave: boolean): string[] {
    if (!container) return [];
    const media = OpenApiSpec.jsonMedia(container.node['content']);
    if (media === undefined) return [];
    if (body === undefined) return mustHave ? [`${label} is required`] : [];
    const fn = this.validator(this.bodyAjv, `${container.pointer}/content/${media.replace(/~/g, '~0').replace(/\//g, '~1')}/schema`, false);
    return fn(body) ? [] : fmt(label, fn.errors);
  }

  private responseFor(op: Obj, opPointer: string, status: number): { node: Obj; pointer: string } | undefined {
    const responses = op['responses'];
    if (!isObj(responses)) return undefined;
    const keys = [String(status), `${Math.floor(status / 100)}XX`, `${Math.floor(status / 100)}xx`, 'default'];
    const key = keys.find((k) => k in responses);
    return key === undefined ? undefined : this.deref(responses[key], `${opPointer}/responses/${key}`);
  }

  validateExchange(ex: Exchange): string[] {
    const m = this.match(ex.method, ex.path);
    if ('error' in m) return [m.error];
    const method = ex.method.toLowerCase();
    const opPointer = ptr('paths', m.route.template, method);
    const errors = this.checkParams(ex, m.route, method, m.values);
    const rb = this.deref(m.op['requestBody'], `${opPointer}/requestBody`);
    errors.push(...this.checkBody('request body', rb, ex.body, rb?.node['required'] === true));
    if (ex.status === 0) return errors;
    const resp = this.responseFor(m.op, opPointer, ex.status);
    if (!resp) return [...errors, `response status ${ex.status} is not declared for ${ex.method.toUpperCase()} ${m.route.template}`];
    errors.push(...this.checkBody(`response ${ex.status} body`, resp, ex.responseBody, true));
    return errors;
  }
}

export function loadSpec(path: string, opts: SpecOptions = {}): Spec {
  const doc = parse(readFileSync(path, 'utf8'), { maxAliasCount: -1 }) as unknown;
  if (!isObj(doc) || typeof doc['openapi'] !== 'string') throw new Error(`${path}: not an OpenAPI document`);
  opts.patch?.(doc);
  return new OpenApiSpec(doc, opts);
}

// ---------------------------------------------------------------------------------------------
// The reconstructed Nutanix spec, shared by the simulator's and the driver's contract tests.

export const NUTANIX_SPEC_PATH = fileURLToPath(new URL('../../specs/nutanix/vmm-images-v4.0_prism-tasks-v4.0.RECONSTRUCTED.openapi.yaml', import.meta.url));

/** The corrected reconstruction (see specs/nutanix/SOURCES.md), validated as it is on disk. */
export function loadNutanixSpec(): Spec {
  return loadSpec(NUTANIX_SPEC_PATH, { basePath: '/api' });
}
