// Reading Nutanix v4 error bodies: `data` is a vmm/prism ErrorResponse whose `error` is either an
// AppMessage[] or a SchemaValidationError. Unknown versions answer 404 with a plain-text body.
import { isObject } from '../../util/json.js';

function errorPayload(body: unknown): unknown {
  if (!isObject(body)) return undefined;
  const data = body['data'];
  return isObject(data) ? data['error'] : undefined;
}

/** Every AppMessage code in an error body (e.g. ["VMM-20005"]). */
export function errorCodes(body: unknown): string[] {
  const err = errorPayload(body);
  if (!Array.isArray(err)) return [];
  return err.flatMap((m) => (isObject(m) && typeof m['code'] === 'string' ? [m['code']] : []));
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** "CODE: message; CODE: message", the validation messages, or a short plain-text body. */
export function describeNutanixError(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim().slice(0, 200) || undefined;
  const err = errorPayload(body);
  if (Array.isArray(err)) {
    const parts = err.flatMap((m) => {
      if (!isObject(m)) return [];
      const code = str(m['code']);
      const message = str(m['message']);
      return code && message ? [`${code}: ${message}`] : [code ?? message ?? ''].filter((s) => s !== '');
    });
    return parts.length > 0 ? parts.join('; ') : undefined;
  }
  if (isObject(err)) {
    const list = Array.isArray(err['validationErrorMessages']) ? err['validationErrorMessages'] : [];
    const parts = list.flatMap((m) =>
      isObject(m) && str(m['message']) ? [`${str(m['attributePath']) ?? str(m['location']) ?? 'request'}: ${String(m['message'])}`] : [],
    );
    const head = str(err['error']) ?? 'validation failed';
    return parts.length > 0 ? `${head}: ${parts.join('; ')}` : head;
  }
  return undefined;
}
