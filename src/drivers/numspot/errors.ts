// Reading Numspot error bodies: RFC 9457 problem+json on compute calls (`title: detail`, as the
// Terraform provider prints them), OAuth2 `{error, error_description}` on /iam/token. The `type`
// is only matched by its fragment: the spec says URN (`urn:numspot:errors#resource_not_found`),
// the real API answered docs URLs (`https://docs.numspot.cloud/...errors#invalid_parameter`).
import { isObject } from '../../util/json.js';

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** "title: detail", "error: error_description", or a short plain-text body. */
export function describeNumspotError(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim().slice(0, 200) || undefined;
  if (!isObject(body)) return undefined;
  const title = str(body['title']) ?? str(body['error']);
  const detail = str(body['detail']) ?? str(body['error_description']);
  const violations = Array.isArray(body['violations'])
    ? body['violations'].flatMap((v) => (isObject(v) && str(v['description']) ? [`${str(v['field']) ?? 'request'}: ${String(v['description'])}`] : []))
    : [];
  const head = title && detail ? `${title}: ${detail}` : (title ?? detail);
  if (violations.length > 0) return `${head ?? 'invalid request'} (${violations.join('; ')})`;
  return head;
}

/** The fragment of a problem `type` (`resource_not_found`), whatever its URN/URL prefix. */
export function problemCode(body: unknown): string | undefined {
  const type = isObject(body) ? str(body['type']) : undefined;
  if (type === undefined) return undefined;
  const hash = type.lastIndexOf('#');
  return hash >= 0 ? type.slice(hash + 1) : type;
}

/**
 * A 404 that is about the space (a wrong space_id), not about the image. Reading it as "image
 * deleted" would make every image in state look gone.
 */
export function isSpaceNotFound(body: unknown): boolean {
  return problemCode(body) === 'space_not_found';
}
