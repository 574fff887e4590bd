// Error bodies. Compute errors are RFC 9457 problem+json. The `type` is the URL style the real
// API returned in the recording (research/numspot.md §2.4), not the spec's URN pattern; titles
// follow the recorded ones (InvalidResource, ResourceConflict, forbidden) where one exists.
// The OAuth2 token endpoint answers with the plain `{error, error_description}` of ErrorOauth2.
import type { SimResponse } from '../messages.js';

export const ERROR_TYPE_BASE = 'https://docs.numspot.cloud/docs/domains/cloud/errors#';

export interface Violation {
  field: string;
  description: string;
}

export type ProblemCode =
  | 'invalid_parameter'
  | 'unauthenticated_access'
  | 'forbidden'
  | 'resource_not_found'
  | 'space_not_found'
  | 'too_many_requests'
  | 'internal_error';

export interface ProblemInput {
  code: ProblemCode;
  title: string;
  detail: string;
  instance: string;
  violations?: Violation[];
  headers?: Record<string, string>;
}

const PROBLEM_CT = 'application/problem+json';

export function problemBody(code: ProblemCode, title: string, detail: string, instance?: string): Record<string, unknown> {
  const body: Record<string, unknown> = { type: ERROR_TYPE_BASE + code, title, detail };
  if (instance !== undefined) body['instance'] = instance;
  return body;
}

export function problem(status: number, p: ProblemInput): SimResponse {
  const body = problemBody(p.code, p.title, p.detail, p.instance);
  if (p.violations) body['violations'] = p.violations;
  return { status, headers: { 'content-type': PROBLEM_CT, ...p.headers }, body };
}

export const badRequest = (instance: string, violations: Violation[], detail = 'The request is invalid; see violations.'): SimResponse =>
  problem(400, { code: 'invalid_parameter', title: 'InvalidParameterValue', detail, instance, violations });

/** A referenced resource that does not exist (recorded: "The LinkPublicIpId '…' doesn't exist."). */
export const invalidResource = (instance: string, detail: string): SimResponse =>
  problem(400, { code: 'invalid_parameter', title: 'InvalidResource', detail, instance });

export const notFound = (instance: string, detail: string): SimResponse =>
  problem(404, { code: 'resource_not_found', title: 'ResourceNotFound', detail, instance });

export const forbidden = (instance: string, detail: string): SimResponse =>
  problem(403, { code: 'forbidden', title: 'forbidden', detail, instance });

export const conflict = (instance: string, detail: string): SimResponse =>
  problem(409, { code: 'invalid_parameter', title: 'ResourceConflict', detail, instance });

export const unauthenticated = (instance: string, detail: string): SimResponse =>
  problem(401, { code: 'unauthenticated_access', title: 'Unauthorized', detail, instance, headers: { 'www-authenticate': 'Bearer error="invalid_token"' } });

export function faultProblem(status: number): Record<string, unknown> {
  return status === 429
    ? problemBody('too_many_requests', 'TooManyRequests', 'Rate limit exceeded; retry after the delay in Retry-After.')
    : problemBody('internal_error', 'InternalError', 'The service is temporarily unavailable (injected by the simulator).');
}

export function faultHeaders(): Record<string, string> {
  return { 'content-type': PROBLEM_CT };
}

export function oauthError(status: number, error: string, description: string, headers?: Record<string, string>): SimResponse {
  return { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers }, body: { error, error_description: description } };
}
