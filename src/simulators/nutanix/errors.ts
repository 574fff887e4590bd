// Error bodies. Only VMM-20005 (404) is captured from a real server; the other codes are
// invented in the same style ([INF] in research/nutanix.md) and kept in this one table so they
// are easy to correct when a real capture turns up.
import type { SimResponse } from '../messages.js';
import { reserved, typed, type Json } from './envelope.js';

export type Namespace = 'vmm' | 'prism' | 'clustermgmt';

export interface AppMessageInput {
  code: string;
  message: string;
  errorGroup?: string;
  argumentsMap?: Record<string, string>;
}

export const MESSAGES = {
  notFound: { code: 'VMM-20005', message: 'Failed to perform the operation as the backend service could not find the entity.' },
  unauthorized: { code: 'VMM-10401', message: 'Authentication failed: valid HTTP Basic credentials are required.', errorGroup: 'AUTHENTICATION_ERROR' },
  ifMatchMissing: { code: 'VMM-10428', message: 'The If-Match header is required for this operation.', errorGroup: 'PRECONDITION_REQUIRED' },
  // The one 412 seen in the wild (Ansible issue #706) says "Invalid eTag header".
  ifMatchStale: { code: 'VMM-10412', message: 'Invalid eTag header: the entity has been modified since it was read.', errorGroup: 'PRECONDITION_FAILED' },
  downloadFailed: { code: 'VMM-30100', message: 'Failed to download the image from the given URL.', errorGroup: 'IMAGE_DOWNLOAD_FAILED' },
  unknownCluster: { code: 'VMM-30101', message: 'One or more cluster location ext IDs do not refer to a registered cluster.', errorGroup: 'INVALID_ARGUMENT' },
  concurrentUpdate: { code: 'VMM-30102', message: 'The image was modified by another operation while this task was queued.', errorGroup: 'CONFLICT' },
  // A refused delete (the deleteRefusedRate fault): Prism keeps an image that VMs still use.
  inUse: { code: 'VMM-30409', message: 'Image cannot be deleted because it is in use by one or more VMs.', errorGroup: 'CONFLICT' },
  injected: { code: 'VMM-30199', message: 'Image operation failed (injected by the simulator).', errorGroup: 'INTERNAL_ERROR' },
  serverError: { code: 'VMM-50000', message: 'Internal server error.', errorGroup: 'INTERNAL_SERVER_ERROR' },
} as const satisfies Record<string, AppMessageInput>;

const prefix: Record<Namespace, string> = { vmm: 'VMM', prism: 'PRISM', clustermgmt: 'CLU' };

/** Codes in MESSAGES are written for vmm; other namespaces get their own prefix. */
function codeFor(ns: Namespace, code: string): string {
  return ns === 'vmm' ? code : code.replace(/^VMM-/, `${prefix[ns]}-`);
}

export function appMessage(ns: Namespace, m: AppMessageInput): Json {
  const fields: Json = { message: m.message, severity: 'ERROR', code: codeFor(ns, m.code), locale: 'en_US' };
  if (m.errorGroup !== undefined) fields['errorGroup'] = m.errorGroup;
  if (m.argumentsMap !== undefined) fields['argumentsMap'] = m.argumentsMap;
  return typed(`${ns}.v4.error.AppMessage`, fields);
}

/** `{data: ErrorResponse, $reserved, $objectType: <operation's wrapper>}`, as in the 404 capture. */
export function errorEnvelope(ns: Namespace, wrapper: string, error: unknown): Json {
  return {
    data: { error, $reserved: reserved(), $objectType: `${ns}.v4.error.ErrorResponse` },
    $reserved: reserved(),
    $objectType: wrapper,
  };
}

export function appError(status: number, ns: Namespace, wrapper: string, m: AppMessageInput, headers?: Record<string, string>): SimResponse {
  const r: SimResponse = { status, body: errorEnvelope(ns, wrapper, [appMessage(ns, m)]) };
  if (headers) r.headers = headers;
  return r;
}

export interface FieldProblem {
  location: 'body' | 'path' | 'query' | 'header';
  attributePath: string;
  message: string;
}

export function schemaError(ns: Namespace, wrapper: string, path: string, problems: readonly FieldProblem[], timestamp: string): SimResponse {
  const error = {
    $objectType: `${ns}.v4.error.SchemaValidationError`,
    timestamp,
    statusCode: 400,
    error: 'Bad Request',
    path,
    validationErrorMessages: problems.map((p) => ({
      $objectType: `${ns}.v4.error.SchemaValidationErrorMessage`,
      location: p.location,
      message: p.message,
      attributePath: p.attributePath,
    })),
  };
  return { status: 400, body: errorEnvelope(ns, wrapper, error) };
}

/** Unknown URLs are answered by the gateway, outside the v4 envelope (observed text). */
export const NOT_FOUND_TEXT =
  'The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.';
