// The PUT body of an in-place update. The v4 API replaces the whole object, so the body is the
// object just read (with its read-only and unknown keys: the server ignores them, and dropping a
// key it does not know would clear it) with only the requested changes applied on top.
import { DriverError } from '../contract.js';
import { isObject, type JsonObject } from '../../util/json.js';
import { inPlaceFields } from '../wire-mapping.js';
import { nutanixSchema } from './schema.js';
import { OT, type WireImage } from './wire.js';

/** What a PUT may change: the schema's `mode: 'update'` fields, the same list the planner reads. */
export const IN_PLACE_FIELDS: readonly string[] = inPlaceFields(nutanixSchema);

function invalid(message: string): DriverError {
  return new DriverError('invalid', message, { definitive: true });
}

function applyField(body: WireImage, key: string, value: JsonObject[string] | undefined): void {
  if (!IN_PLACE_FIELDS.includes(key)) {
    throw invalid(`${key} cannot be changed in place on Nutanix (only ${IN_PLACE_FIELDS.join(', ')}); it needs a replacement`);
  }
  switch (key) {
    case 'name':
    case 'type':
      if (typeof value !== 'string') throw invalid(`${key} must be a string`);
      body[key] = value;
      return;
    case 'description':
      // Removed from YAML while still managed: the PUT leaves it out, which clears it.
      if (value === undefined) delete body.description;
      else if (typeof value === 'string') body.description = value;
      else throw invalid('description must be a string');
      return;
    case 'category_ext_ids':
      if (value === undefined) body.categoryExtIds = [];
      else if (Array.isArray(value) && value.every((v): v is string => typeof v === 'string')) body.categoryExtIds = [...value];
      else throw invalid('category_ext_ids must be a list of ext_ids (unresolved reference?)');
      return;
    default:
      // schema.ts says in place, but nothing here puts it in the PUT: a driver bug, not the user's.
      throw new DriverError('failed', `nutanix driver: in-place field ${key} has no PUT mapping (update-body.ts)`, { definitive: true });
  }
}

/**
 * Servers do not return basicAuth's password (the simulator drops basicAuth whole), yet the
 * schema requires one on PUT and a full replace without basicAuth may forget the credentials.
 * When the desired source is this same URL, send its basic_auth back; otherwise an incomplete
 * basicAuth is left out rather than sent invalid (the server does not download again on PUT).
 */
function restoreBasicAuth(body: WireImage, fields: JsonObject): void {
  const src = body.source;
  if (!isObject(src) || src.$objectType !== OT.urlSource) return;
  if (isObject(src.basicAuth) && typeof src.basicAuth.password === 'string') return;
  const desiredSource = fields['source'];
  const desired = isObject(desiredSource) && desiredSource['url'] === src.url ? desiredSource['basic_auth'] : undefined;
  const sameUser = !isObject(src.basicAuth) || (isObject(desired) && desired['username'] === src.basicAuth.username);
  if (isObject(desired) && typeof desired['username'] === 'string' && typeof desired['password'] === 'string' && sameUser) {
    src.basicAuth = { ...(src.basicAuth ?? { $objectType: OT.basicAuth }), username: desired['username'], password: desired['password'] };
  } else if (src.basicAuth !== undefined) {
    delete src.basicAuth;
  }
}

export function buildUpdateBody(current: WireImage, fields: JsonObject, changed: readonly string[]): WireImage {
  const body = structuredClone(current);
  for (const key of changed) applyField(body, key, fields[key]);
  restoreBasicAuth(body, fields);
  return body;
}
