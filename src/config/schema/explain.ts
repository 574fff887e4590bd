// Turns ajv's raw error list into one problem per real mistake. With allErrors, an anyOf/oneOf
// failure arrives as every branch's errors plus "must match a schema in anyOf": for
// `ext_id: 12` (uuid or {ref}) the user would read both "must be a string" and "must be object".
// Here the branch the value was evidently meant for is picked from the value's shape (a scalar
// goes to the scalar branch, `{ref: ...}` to the ref branch, ...) and only that branch's errors
// are reported, by validating the value against that branch alone.
import type { ErrorObject } from 'ajv';
import { isObject, pointerToPath, type JsonObject } from '../../util/json.js';
import type { Validators } from './validators.js';
import { DEFS_ID, defsSchema } from './defs.js';
import { badNameMessage, keywordMessage, requiredMessage, typeWords, unknownFieldMessage } from './messages.js';
import type { Path } from '../yaml/positions.js';

/** One mistake at `path` (relative to the validated value); `at` says which node to point at. */
export interface Problem {
  path: Path;
  message: string;
  at: 'value' | 'key' | 'object';
}

export const LITERAL_SECRET = 'literal secret: use {env: NAME} or {file: PATH}';

type BranchKind = 'ref' | 'lookup' | 'secret' | 'plain';

interface Branch {
  schema: JsonObject;
  kind: BranchKind;
  types: string[] | undefined;
}

const sharedDefs = defsSchema['$defs'] as JsonObject;

function classify(schema: JsonObject): Branch {
  const ref = schema['$ref'];
  let resolved = schema;
  let kind: BranchKind = 'plain';
  if (typeof ref === 'string') {
    const m = new RegExp(`^(?:${DEFS_ID})?#/\\$defs/([^/]+)$`).exec(ref);
    const def = m?.[1] === undefined ? undefined : sharedDefs[m[1]];
    if (m?.[1] !== undefined && isObject(def)) {
      resolved = def;
      if (m[1] === 'ref' || m[1] === 'lookup' || m[1] === 'secret') kind = m[1];
    }
  } else if (Array.isArray(schema['required']) && schema['required'].includes('ref')) kind = 'ref';
  else if (Array.isArray(schema['required']) && schema['required'].some((k) => k === 'env' || k === 'file')) kind = 'secret';
  else if (isObject(schema['properties']) && 'lookup' in schema['properties']) kind = 'lookup';
  const t = resolved['type'];
  const types = typeof t === 'string' ? [t] : Array.isArray(t) ? t.map(String) : kind === 'secret' ? ['object'] : undefined;
  return { schema, kind, types };
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function accepts(b: Branch, v: unknown): boolean {
  if (b.types === undefined) return true;
  const t = typeOf(v);
  return b.types.includes(t) || (t === 'integer' && b.types.includes('number'));
}

function requiredPresent(b: Branch, v: JsonObject): boolean {
  const req = b.schema['required'];
  return !Array.isArray(req) || req.every((k) => typeof k === 'string' && k in v);
}

/** The branch the value was evidently written for, if any. */
function pick(branches: Branch[], v: unknown): Branch | undefined {
  if (isObject(v)) {
    const marker = 'ref' in v ? 'ref' : 'lookup' in v ? 'lookup' : 'env' in v || 'file' in v ? 'secret' : undefined;
    const special = branches.filter((b) => b.kind === marker);
    const fit = special.find((b) => requiredPresent(b, v)) ?? special[0];
    if (fit !== undefined) return fit;
  }
  const plain = branches.filter((b) => b.kind === 'plain' && accepts(b, v));
  return (isObject(v) ? plain.find((b) => requiredPresent(b, v)) : undefined) ?? plain[0];
}

function describe(b: Branch): string {
  if (b.kind === 'ref') return 'a {ref: ADDRESS.ATTRIBUTE}';
  if (b.kind === 'lookup') return 'a {lookup: KIND, ...}';
  if (b.kind === 'secret') return '{env: NAME} or {file: PATH}';
  return b.types === undefined ? 'another form' : typeWords(b.types);
}

function explainAlternatives(e: ErrorObject, base: Path, v: Validators): Problem[] {
  const branches = (Array.isArray(e.schema) ? e.schema : []).filter(isObject).map(classify);
  if (e.keyword === 'oneOf' && (e.params as { passingSchemas?: unknown }).passingSchemas != null) {
    return [{ path: base, message: 'matches more than one allowed form', at: 'value' }];
  }
  const chosen = pick(branches, e.data);
  if (chosen === undefined) {
    if (!isObject(e.data) && branches.every((b) => b.kind === 'secret')) return [{ path: base, message: LITERAL_SECRET, at: 'value' }];
    return [{ path: base, message: `must be ${[...new Set(branches.map(describe))].join(' or ')}`, at: 'value' }];
  }
  const validate = v.compile(chosen.schema);
  if (validate === undefined || validate(e.data)) {
    return [{ path: base, message: `must be ${[...new Set(branches.map(describe))].join(' or ')}`, at: 'value' }];
  }
  let problems = explain(validate.errors ?? [], v, base);
  // The lookup kind is checked against the driver's declared lookups (refs.ts), with a better message.
  if (chosen.kind === 'lookup') problems = problems.filter((p) => !(p.path.length === base.length + 1 && p.path.at(-1) === 'lookup'));
  return problems;
}

function isUnder(path: Path, base: Path): boolean {
  return path.length >= base.length && base.every((s, i) => String(s) === String(path[i]));
}

/** ajv errors (instancePath relative to the validated value) → problems with paths under `base`. */
export function explain(errors: readonly ErrorObject[], v: Validators, base: Path = []): Problem[] {
  const out: Problem[] = [];
  for (const e of errors) {
    const path = [...base, ...pointerToPath(e.instancePath)];
    if (e.keyword === 'if' || e.keyword === 'propertyNames') continue;
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf') {
      // The branch errors were emitted just before, at or below this path: replace them.
      while (out.length > 0 && isUnder((out[out.length - 1] as Problem).path, path)) out.pop();
      out.push(...explainAlternatives(e, path, v));
    } else if (e.propertyName !== undefined) {
      out.push({ path: [...path, e.propertyName], message: badNameMessage(e, e.propertyName), at: 'key' });
    } else if (e.keyword === 'required') {
      out.push({ path, message: requiredMessage(e), at: 'object' });
    } else if (e.keyword === 'additionalProperties' || e.keyword === 'unevaluatedProperties') {
      const field = String((e.params as Record<string, unknown>)['additionalProperty'] ?? (e.params as Record<string, unknown>)['unevaluatedProperty']);
      out.push({ path: [...path, field], message: unknownFieldMessage(e, field), at: 'key' });
    } else {
      out.push({ path, message: keywordMessage(e), at: 'value' });
    }
  }
  return out;
}
