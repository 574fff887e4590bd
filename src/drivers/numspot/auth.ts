// OAuth2 client credentials at POST {host}/iam/token. One token is cached per session and
// refreshed before it expires; concurrent callers share one refresh. The token and the client
// secret never appear in a message (the HttpClient scrubs them; so do the messages made here).
//
// Refresh point: max(expires_in − 300 s, expires_in / 2) after issue. The Terraform provider and
// Packer refresh at expires_in − 300 s and refuse any lifetime ≤ 300 s ("Invalid expiration time
// found"); service accounts may be configured down to 1 s, so short lifetimes must work too.
import { DriverError } from '../contract.js';
import { redact, type HttpClient } from '../http/index.js';
import { isObject } from '../../util/json.js';
import { describeNumspotError } from './errors.js';

export const TOKEN_PATH = '/iam/token';
const REFRESH_MARGIN_SECONDS = 300;

function formEncode(s: string): string {
  return new URLSearchParams({ v: s }).toString().slice(2);
}

/** Milliseconds after issue at which a token of this lifetime is replaced. */
export function refreshAfterMs(expiresInSeconds: number): number {
  return Math.max(expiresInSeconds - REFRESH_MARGIN_SECONDS, expiresInSeconds / 2) * 1000;
}

export interface TokenSourceOptions {
  http: HttpClient;
  clientId: string;
  clientSecret: string;
  /** Provider name, for messages. */
  provider: string;
  now?: () => number;
}

interface Cached {
  token: string;
  refreshAt: number;
}

export class TokenSource {
  private cached: Cached | undefined;
  private inflight: Promise<string> | undefined;
  private readonly basic: string;
  private fetched = 0;

  constructor(private readonly opts: TokenSourceOptions) {
    // RFC 6749 §2.3.1: each half is form-urlencoded before base64, so a secret holding `:`,
    // `%` or `+` survives. Plain UUIDs and alphanumeric secrets are unchanged by it.
    this.basic = Buffer.from(`${formEncode(opts.clientId)}:${formEncode(opts.clientSecret)}`).toString('base64');
  }

  /** Tokens obtained so far (tests check that refreshes happen when they should, and only then). */
  get fetchCount(): number {
    return this.fetched;
  }

  /** Values to scrub from messages: the secret, its Basic form and the current token. */
  secrets(): string[] {
    return [this.opts.clientSecret, this.basic, ...(this.cached ? [this.cached.token] : [])];
  }

  /**
   * The current token, fetching one when none is cached or it is due. Takes no abort signal: the
   * fetch is shared, and one caller giving up must not fail the others (it has its own timeout).
   */
  async token(): Promise<string> {
    const now = (this.opts.now ?? Date.now)();
    if (this.cached && now < this.cached.refreshAt) return this.cached.token;
    this.inflight ??= this.fetch().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  /** The server refused `token` (401): forget it, unless a newer one already replaced it. */
  invalidate(token: string): void {
    if (this.cached?.token === token) this.cached = undefined;
  }

  private async fetch(): Promise<string> {
    const issuedAt = (this.opts.now ?? Date.now)();
    const res = await this.opts.http.request({
      method: 'POST',
      path: TOKEN_PATH,
      // Basic auth (client_secret_basic) and the same pair in the body, as the Terraform provider
      // sends them: servers that read either one accept the request.
      headers: { Authorization: `Basic ${this.basic}` },
      form: { grant_type: 'client_credentials', client_id: this.opts.clientId, client_secret: this.opts.clientSecret },
      accept: [400, 401, 403],
      // Asking for a token changes nothing on the server: a retry after a dropped answer is safe.
      retrySafe: true,
      secrets: this.secrets(),
    });
    if (res.status >= 400) {
      const detail = describeNumspotError(res.body);
      const message = `provider ${this.opts.provider}: the token endpoint refused the client credentials (POST ${TOKEN_PATH}: HTTP ${res.status}${detail ? `: ${detail}` : ''}); check client_id and client_secret`;
      throw new DriverError('auth', redact(message, this.secrets()), { definitive: true, status: res.status });
    }
    const body = isObject(res.body) ? res.body : {};
    const token = body['access_token'];
    if (typeof token !== 'string' || token === '') {
      throw new DriverError('auth', `provider ${this.opts.provider}: POST ${TOKEN_PATH}: HTTP ${res.status} without an access_token`, { definitive: true, status: res.status });
    }
    const expiresIn = body['expires_in'];
    // Without a usable lifetime the token is kept until the API refuses it (one refresh on 401).
    const refreshAt = typeof expiresIn === 'number' && expiresIn > 0 ? issuedAt + refreshAfterMs(expiresIn) : Number.POSITIVE_INFINITY;
    this.cached = { token, refreshAt };
    this.fetched++;
    return token;
  }
}
