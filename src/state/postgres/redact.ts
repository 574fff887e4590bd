// The connection URL carries a password, and errors from `pg` or the network can echo it (a
// malformed URL is quoted back whole, "password authentication failed for user" names the user,
// some proxies repeat the DSN). Every message that leaves this folder passes through here, so the
// password can end up neither on a terminal nor in a CI log.
import { ImagectlError, errorMessage } from '../../util/errors.js';
import { redactSecrets } from '../../util/redact.js';

/** `postgres://user:****@host:5432/db`; what cannot be parsed is not shown at all. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '****';
    return u.toString();
  } catch {
    return '(unparseable connection URL)';
  }
}

/** Where the store is, for messages: host, port, database, never credentials. */
export function describeTarget(url: string): string {
  try {
    const u = new URL(url);
    const db = u.pathname.replace(/^\//, '') || '(default database)';
    return `${u.hostname || 'localhost'}${u.port ? `:${u.port}` : ''}/${decodeURIComponent(db)}`;
  } catch {
    return '(unparseable connection URL)';
  }
}

/** Removes the URL's password (raw and URL-decoded) and any `scheme://user:pass@` from `text`. */
export function redact(text: string, url: string): string {
  let out = text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]*@/gi, '$1****@');
  const passwords = passwordsOf(url);
  for (const secret of passwords) out = out.split(secret).join('****');
  // Then every other encoding a server or driver may echo it in (util/redact.ts).
  return redactSecrets(out, passwords, '****');
}

function passwordsOf(url: string): string[] {
  try {
    const raw = new URL(url).password;
    if (raw === '') return [];
    const decoded = safeDecode(raw);
    // Longest first, so a decoded password that contains the raw one is replaced whole.
    return [...new Set([decoded, raw])].filter((p) => p.length >= 3).sort((a, b) => b.length - a.length);
  } catch {
    // An unparseable URL: mask whatever follows "password=" in key/value form too.
    const m = /password=([^\s&]+)/i.exec(url);
    return m?.[1] === undefined ? [] : [m[1]];
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** SQLSTATE codes that mean "the database is not reachable or refuses us", not "imagectl bug". */
const CONNECTION_CODES = /^(08|28|3D|53|57P0)/;

/**
 * Maps anything `pg` throws to an ImagectlError with the password removed. `what` says what we
 * were doing ("reading the state"). The original error is not kept as `cause`: it may hold the URL.
 */
export function pgError(e: unknown, what: string, url: string, target: string): ImagectlError {
  if (e instanceof ImagectlError) return e;
  const code = (e as { code?: unknown }).code;
  const sqlstate = typeof code === 'string' ? code : '';
  const message = redact(errorMessage(e), url);
  const unreachable = CONNECTION_CODES.test(sqlstate) || /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH|ECONNRESET|timeout/i.test(sqlstate + message);
  return new ImagectlError(
    unreachable ? 'STATE_UNREACHABLE' : 'STATE_DATABASE',
    `postgres state ${target}: ${what} failed: ${message}${sqlstate && !message.includes(sqlstate) ? ` (SQLSTATE ${sqlstate})` : ''}`,
    { origin: unreachable ? 'user' : 'internal' },
  );
}
