// Redirects are never followed. A 307/308 would make fetch re-send the body (the Numspot token
// form with the client secret, a Nutanix create body with a source's basic-auth password) to the
// Location, with some headers kept; a 301/302/303 would turn a POST into a GET and report the
// GET's answer as the create's. That holds for the same origin too: the cloud APIs imagectl
// speaks never redirect, so a redirect means the endpoint is wrong (http for https, a missing
// path prefix) or something on the path meddles, and the fix is the endpoint, which the error
// names. The client asks fetch for `redirect: 'manual'` and turns the 3xx into this error.
import { DriverError } from '../contract.js';

export const REDIRECT_REFUSED = 'HTTP_REDIRECT_REFUSED';

/** 304 Not Modified answers a conditional request; it is not a redirect. */
export function isRedirect(status: number): boolean {
  return status >= 300 && status < 400 && status !== 304;
}

/** The Location resolved against the request URL, for the message (the caller redacts it). */
export function redirectTarget(location: string | null, requestUrl: string): string {
  if (location === null) return '(no Location header)';
  try {
    return new URL(location, requestUrl).href;
  } catch {
    return JSON.stringify(location.slice(0, 200));
  }
}

export function redirectMessage(status: number, target: string): string {
  return `HTTP ${status} redirect to ${target} refused (${REDIRECT_REFUSED}): imagectl follows no redirect, which could carry the request body and credentials elsewhere; if that address is right, set the provider's endpoint to it`;
}

/**
 * A DriverError (the applier reads `definitive`) with a stable code and origin for the CLI and
 * --json. Definitive unless an earlier attempt may have acted: the server that redirects has not.
 */
export class RedirectRefusedError extends DriverError {
  readonly code = REDIRECT_REFUSED;
  readonly origin = 'cloud';
  constructor(message: string, opts: { definitive: boolean; status: number }) {
    super('invalid', message, opts);
    this.name = 'RedirectRefusedError';
  }
}
