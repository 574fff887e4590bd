// Mapping HTTP outcomes to DriverError kinds, and keeping secrets out of the messages.
// The rule for `definitive`: true only when the server certainly did not act on this request
// (it refused it: 4xx, or the connection was never made). Anything after which the server may
// have acted (5xx, dropped connection, timeout) is not definitive, so the applier keeps its intent.
import { DriverError } from '../contract.js';
import type { ErrorKind } from '../../fields/observed.js';
import { redactSecrets } from '../../util/redact.js';

/** Statuses worth another attempt (when the request may be repeated). */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

/**
 * Connection failures that happen before a request reaches the server: retrying them is safe
 * even for a non-idempotent call, and a final failure of this kind is definitive.
 */
const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

export function statusKind(status: number): { kind: ErrorKind; definitive: boolean } {
  if (status === 401 || status === 403) return { kind: 'auth', definitive: true };
  if (status === 429) return { kind: 'throttled', definitive: true };
  if (status === 409 || status === 412 || status === 428) return { kind: 'conflict', definitive: true };
  if (status === 408) return { kind: 'timeout', definitive: false };
  if (status >= 500) return { kind: 'transient', definitive: false };
  return { kind: 'invalid', definitive: true };
}

/** The `code` of a network error from fetch (undici nests it in `cause`, sometimes twice). */
export function networkErrorCode(err: unknown): string | undefined {
  let cur: unknown = err;
  for (let depth = 0; depth < 4 && typeof cur === 'object' && cur !== null; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Whether a thrown error is a network failure (fetch throws TypeError, undici sets a code). */
export function isNetworkError(err: unknown): boolean {
  if (err instanceof TypeError) return true;
  const code = networkErrorCode(err);
  if (code !== undefined && (code.startsWith('E') || code.startsWith('UND_ERR'))) return true;
  return err instanceof Error && /socket hang up|other side closed|terminated/i.test(err.message);
}

/**
 * A TLS certificate the client refused (unknown CA, self-signed, expired, wrong name): the
 * handshake failed before any request was sent, and trying again cannot help.
 */
export function certificateProblem(err: unknown): string | undefined {
  const code = networkErrorCode(err);
  if (code === undefined) return undefined;
  const tls = /CERT|SELF_SIGNED|UNABLE_TO_(VERIFY|GET_ISSUER)|ERR_TLS_CERT_ALTNAME_INVALID/.test(code);
  return tls ? code : undefined;
}

export function wasNeverSent(err: unknown): boolean {
  const code = networkErrorCode(err);
  return code !== undefined && NOT_SENT_CODES.has(code);
}

/** A short, secret-free description of a network error: its code, or its message without detail. */
export function describeNetworkError(err: unknown): string {
  const code = networkErrorCode(err);
  if (code !== undefined) return `connection failed (${code})`;
  if (err instanceof Error) return `connection failed (${err.message})`;
  return 'connection failed';
}

/** Replaces every occurrence of each secret, in every encoding a server may echo it in, with `***`. */
export function redact(text: string, secrets: readonly string[]): string {
  return redactSecrets(text, secrets);
}

export function httpError(kind: ErrorKind, message: string, opts: { definitive: boolean; status?: number; cause?: unknown }): DriverError {
  const o: { definitive: boolean; status?: number; cause?: unknown } = { definitive: opts.definitive };
  if (opts.status !== undefined) o.status = opts.status;
  if (opts.cause !== undefined) o.cause = opts.cause;
  return new DriverError(kind, message, o);
}
