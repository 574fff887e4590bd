// OAuth2 client credentials at POST /iam/token, and the Bearer check on /compute/**.
// All three request forms seen in the wild are accepted (research/numspot.md §2.2): Basic auth
// alone (Packer), Basic plus client_id/client_secret in the body (Terraform), and either with
// `scope=openid offline_access` (the docs' curl). Credentials given both ways must agree.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { SimRequest, SimResponse } from '../messages.js';
import type { SimContext } from './context.js';
import { oauthError, unauthenticated } from './problems.js';

const b64url = (v: string | Buffer) => Buffer.from(v).toString('base64url');

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a), y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** RFC 6749 §2.3.1: both halves of client_secret_basic are form-urlencoded before base64. */
function basicCredentials(header: string | undefined): { id: string; secret: string } | 'malformed' | undefined {
  if (header === undefined) return undefined;
  const m = /^Basic\s+(\S+)$/i.exec(header);
  if (!m?.[1]) return 'malformed';
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return 'malformed';
  try {
    const dec = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
    return { id: dec(text.slice(0, colon)), secret: dec(text.slice(colon + 1)) };
  } catch {
    return 'malformed';
  }
}

/** Opaque to clients, but shaped like the JWT the real service issues, so drivers treat it as such. */
function issueToken(ctx: SimContext, nowMs: number): string {
  const iat = Math.floor(nowMs / 1000);
  const payload = { iss: `${ctx.baseUrl}/iam`, sub: ctx.clientId, client_id: ctx.clientId, aud: 'numspot', iat, exp: iat + ctx.tokenLifetimeSeconds, jti: randomBytes(8).toString('hex') };
  return [b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' })), b64url(JSON.stringify(payload)), b64url(randomBytes(32))].join('.');
}

export function tokenEndpoint(req: SimRequest, ctx: SimContext): SimResponse {
  const ct = req.headers['content-type'] ?? '';
  if (!/^application\/x-www-form-urlencoded\b/i.test(ct)) return oauthError(400, 'invalid_request', 'The request body must be application/x-www-form-urlencoded.');
  const form = new URLSearchParams(req.rawBody);
  const grant = form.get('grant_type');
  if (grant === null) return oauthError(400, 'invalid_request', 'The grant_type parameter is missing.');
  if (grant !== 'client_credentials') return oauthError(400, 'unsupported_grant_type', `The grant type '${grant}' is not supported; use client_credentials.`);
  const basic = basicCredentials(req.headers['authorization']);
  if (basic === 'malformed') return oauthError(401, 'invalid_client', 'The Authorization header is not valid HTTP Basic credentials.');
  const bodyId = form.get('client_id') ?? undefined;
  const bodySecret = form.get('client_secret') ?? undefined;
  if (basic && ((bodyId !== undefined && bodyId !== basic.id) || (bodySecret !== undefined && bodySecret !== basic.secret))) {
    return oauthError(401, 'invalid_client', 'The client credentials in the Authorization header and in the body differ.');
  }
  const id = basic?.id ?? bodyId;
  const secret = basic?.secret ?? bodySecret;
  if (id === undefined || secret === undefined || id !== ctx.clientId || !sameSecret(secret, ctx.clientSecret)) {
    return oauthError(401, 'invalid_client', 'Client authentication failed (unknown client, no client authentication included, or unsupported authentication method).', { 'www-authenticate': 'Basic realm="numspot"' });
  }
  const nowMs = Date.now();
  for (const [t, exp] of Object.entries(ctx.state.tokens)) if (exp <= nowMs) delete ctx.state.tokens[t];
  const token = issueToken(ctx, nowMs);
  ctx.state.tokens[token] = nowMs + ctx.tokenLifetimeSeconds * 1000;
  ctx.persist();
  return {
    status: 200,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', pragma: 'no-cache' },
    body: { access_token: token, token_type: 'bearer', expires_in: ctx.tokenLifetimeSeconds },
  };
}

/** undefined when the Bearer token is valid, else the 401 to send. */
export function checkBearer(req: SimRequest, ctx: SimContext): SimResponse | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers['authorization'] ?? '');
  if (!m?.[1]) return unauthenticated(req.path, 'A Bearer access token is required: obtain one at POST /iam/token.');
  const exp = ctx.state.tokens[m[1]];
  if (exp === undefined) return unauthenticated(req.path, 'The access token is not valid.');
  const rate = ctx.faults?.tokenExpiryRate ?? 0;
  // Injected expiry: the token dies now, as if its lifetime had run out between two calls.
  if (rate > 0 && (ctx.random ?? Math.random)() < rate) ctx.state.tokens[m[1]] = 0;
  if (Date.now() >= (ctx.state.tokens[m[1]] ?? 0)) return unauthenticated(req.path, 'The access token has expired.');
  return undefined;
}

export function expireAllTokens(ctx: SimContext): void {
  for (const t of Object.keys(ctx.state.tokens)) ctx.state.tokens[t] = 0;
  ctx.persist();
}
