// Transport safety shared by the HTTP drivers: which endpoints may be spoken to, and the TLS
// options of the provider block (`insecure`, `ca_file`) as an undici dispatcher for fetch.
//
// Policy (docs/RELIABILITY.md): TLS certificates are verified unless `insecure: true`, which is
// warned about on every run. Plain http is refused, except for a loopback host (the traffic never
// leaves the machine: simulators, SSH tunnels, local proxies, as Terraform providers and browsers
// treat localhost) or when the provider opts in with `allow_http: true` (warned on every run).
import { LIMITS, readTextSync } from '../../util/bounded-read.js';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { DriverError } from '../contract.js';

export interface TransportSettings {
  insecure: boolean;
  caFile?: string;
  allowHttp?: boolean;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

export function isLoopback(url: string): boolean {
  return LOOPBACK.test(new URL(url).hostname);
}

function invalid(provider: string, message: string): DriverError {
  return new DriverError('invalid', `provider ${provider}: ${message}`, { definitive: true });
}

/** Throws before anything is sent when `url` may not carry credentials. */
export function checkEndpoint(provider: string, key: string, url: string, t: TransportSettings): void {
  if (!url.toLowerCase().startsWith('http://') || isLoopback(url) || t.allowHttp === true) return;
  throw invalid(provider, `${key} ${url} uses plain http, which would send credentials in clear: use https, or set allow_http: true on the provider to accept that`);
}

/** What the user must hear on every run, before anything is sent. */
export function transportWarnings(provider: string, key: string, url: string, t: TransportSettings): string[] {
  const out: string[] = [];
  if (t.insecure) {
    out.push(`provider ${provider}: insecure: true, TLS certificates are NOT verified; anyone on the path to ${new URL(url).hostname} can read the credentials`);
  }
  if (url.toLowerCase().startsWith('http://') && !isLoopback(url)) {
    out.push(`provider ${provider}: ${key} uses plain http (allow_http: true); credentials are sent in clear to ${new URL(url).hostname}`);
  }
  return out;
}

/** The dispatcher fetch needs for these TLS settings; undefined for the system defaults. */
export function tlsDispatcher(provider: string, t: TransportSettings): NonNullable<RequestInit['dispatcher']> | undefined {
  if (!t.insecure && t.caFile === undefined) return undefined;
  const connect: { rejectUnauthorized?: boolean; ca?: string } = {};
  if (t.insecure) connect.rejectUnauthorized = false;
  if (t.caFile !== undefined) {
    try {
      connect.ca = readTextSync(resolve(t.caFile), LIMITS.secret);
    } catch (e) {
      throw invalid(provider, `ca_file ${t.caFile} cannot be read (${e instanceof Error ? e.message : String(e)})`);
    }
    if (!connect.ca.includes('-----BEGIN CERTIFICATE-----')) throw invalid(provider, `ca_file ${t.caFile} holds no PEM certificate`);
  }
  // undici 7's types and the undici-types of Node 20's fetch differ in FormData's declaration
  // only; the global fetch accepts this Agent (test/reliability/tls.test.ts proves it on a wire).
  // Loaded only here: undici takes about 100 ms to load, and most runs use the system defaults.
  const { Agent } = createRequire(import.meta.url)('undici') as typeof import('undici');
  return new Agent({ connect }) as unknown as NonNullable<RequestInit['dispatcher']>;
}
