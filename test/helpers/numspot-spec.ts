// Numspot's public OpenAPI 3.1 spec (2026-02-16), shared by the simulator's and the driver's
// contract tests, with its defects corrected in memory. Each patch below is there because the
// spec, as written, rejects traffic the real API was recorded sending (specs/numspot extract,
// research/numspot.md §2.4), or cannot accept any value at all.
import { fileURLToPath } from 'node:url';
import { loadSpec, type Spec } from './openapi-validator.js';

export const NUMSPOT_SPEC_PATH = fileURLToPath(new URL('../../specs/numspot/public-oas.yaml', import.meta.url));
export const NUMSPOT_RECORDING_PATH = fileURLToPath(new URL('../../specs/numspot/TestAccImageResource.images-and-tags.extract.json', import.meta.url));

type Obj = Record<string, unknown>;

function at(doc: Obj, ...path: string[]): Obj {
  let cur: unknown = doc;
  for (const seg of path) cur = (cur as Obj | undefined)?.[seg];
  if (typeof cur !== 'object' || cur === null) throw new Error(`patchNumspotSpec: ${path.join('.')} not found; has the spec changed?`);
  return cur as Obj;
}

/**
 * 1. Error.type is `$ref: Urn` (pattern ^urn:…), but every error the real API returned in the
 *    recording has a URL type ("https://docs.numspot.cloud/docs/domains/cloud/errors#…"); the
 *    older Numspot SDK spec also declares URL types. Accept either.
 * 2. Error.instance is `$ref: Url` (format uri, absolute), but the recorded errors carry a
 *    path ("/compute/spaces/…/subnets/subnet-a0117d9e"). Accept a URI reference.
 * 3. BadRequestError is `allOf: [Error, {violations}]` with `additionalProperties: false` on
 *    Error, on the second branch and at the top: under JSON Schema 2020-12 each of those rejects
 *    the others' properties, so no 400 body (not even `{type, title}`) can validate. Flattened to
 *    the evident intent: Error's properties plus `violations`.
 * 4. CreateImage declares no 409, yet names are "unique" and the recorded API answers a
 *    conflict with 409 ResourceConflict (the provider retries 409 on create). Added, as Error.
 * 5. PUT /iam/token/convert declares no 404; the simulator answers 404 (research §2.2: the
 *    provider ignores any non-200 there). Added, as ErrorOauth2.
 */
export function patchNumspotSpec(doc: Obj): void {
  const schemas = at(doc, 'components', 'schemas');
  const error = at(schemas, 'Error');
  const props = at(error, 'properties');
  props['type'] = { anyOf: [{ $ref: '#/components/schemas/Urn' }, { type: 'string', format: 'uri' }], description: 'URN (spec) or documentation URL (observed).' };
  props['instance'] = { type: 'string', format: 'uri-reference' };
  const violations = at(schemas, 'BadRequestError', 'allOf', '1', 'properties', 'violations');
  schemas['BadRequestError'] = { ...error, title: 'BadRequestError', properties: { ...props, violations } };
  const createResponses = at(doc, 'paths', '/compute/spaces/{spaceId}/images', 'post', 'responses');
  createResponses['409'] = { description: 'Conflict', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Error' } } } };
  const convert = at(doc, 'paths', '/iam/token/convert', 'put', 'responses');
  convert['404'] = { description: 'Not Found', content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorOauth2' } } } };
}

/** Paths in the spec start at /compute and /iam, on the host root (servers is absent). */
export function loadNumspotSpec(opts: { patched?: boolean } = {}): Spec {
  return loadSpec(NUMSPOT_SPEC_PATH, { basePath: '', ...(opts.patched === false ? {} : { patch: patchNumspotSpec }) });
}
