// Response envelopes in the exact shape of the captures in specs/nutanix/examples: `$objectType`
// and `$reserved` on the wrapper and on `data` (the Go SDK only copies the ETag into
// `data.$reserved` when both exist), flags hasError/isPaginated/isTruncated, links.
export const FV = 'v4.r0';
export const COMMON_FV = 'v1.r0';

export type Json = Record<string, unknown>;

export const reserved = (fv = FV): Json => ({ $fv: fv });

/** Decorate an object the way the server does: `$reserved` and `$objectType` first. */
export function typed(objectType: string, fields: Json, fv = FV): Json {
  return { $reserved: reserved(fv), $objectType: objectType, ...fields };
}

export function flag(name: string, value: boolean): Json {
  return typed('common.v1.config.Flag', { name, value }, COMMON_FV);
}

export interface Link {
  href: string;
  rel: string;
}

// Both real captures decorate only the first link of the array; later ones are bare {href, rel}.
function links(ls: readonly Link[]): Json[] {
  return ls.map((l, i) => (i === 0 ? typed('common.v1.response.ApiLink', { href: l.href, rel: l.rel }, COMMON_FV) : { href: l.href, rel: l.rel }));
}

export interface MetadataOptions {
  links: readonly Link[];
  paginated?: boolean;
  /** Task reads carry only hasError and isPaginated, as in the captured GetTaskApiResponse. */
  withTruncated?: boolean;
  totalAvailableResults?: number;
  extraInfo?: readonly { name: string; value: unknown }[];
}

export function metadata(o: MetadataOptions): Json {
  const flags = [flag('hasError', false), flag('isPaginated', o.paginated ?? false)];
  if (o.withTruncated ?? true) flags.push(flag('isTruncated', false));
  const m: Json = { flags, $reserved: reserved(COMMON_FV), $objectType: 'common.v1.response.ApiResponseMetadata', links: links(o.links) };
  if (o.totalAvailableResults !== undefined) m['totalAvailableResults'] = o.totalAvailableResults;
  if (o.extraInfo) {
    m['extraInfo'] = o.extraInfo.map((kv, i) => (i === 0 ? typed('common.v1.config.KVPair', { value: kv.value, name: kv.name }, COMMON_FV) : { value: kv.value, name: kv.name }));
  }
  return m;
}

/** A success envelope. `data` undefined means the key is omitted (an empty list page). */
export function apiResponse(objectType: string, data: unknown, meta: Json | undefined): Json {
  const body: Json = {};
  if (data !== undefined) body['data'] = data;
  body['$reserved'] = reserved();
  body['$objectType'] = objectType;
  if (meta) body['metadata'] = meta;
  return body;
}

export function taskReference(taskExtId: string): Json {
  return typed('prism.v4.config.TaskReference', { extId: taskExtId });
}
