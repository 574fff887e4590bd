// The provider block, read into typed settings. The config validator has already checked the
// shape against schema.ts; this is the last line before the network, so it still refuses a
// setting of the wrong type rather than sending `undefined` as a password.
import { DriverError, type ProviderConfig } from '../contract.js';
import type { JsonObject } from '../../util/json.js';

export interface NutanixSettings {
  endpoint: string;
  username: string;
  password: string;
  timeoutMs: number;
  taskTimeoutMs: number;
  maxRequestsPerSecond?: number;
  insecure: boolean;
  caFile?: string;
}

const LOOPBACK = /^(localhost|127(\.\d+){3}|\[::1\])$/i;

function invalid(provider: string, message: string): DriverError {
  return new DriverError('invalid', `provider ${provider}: ${message}`, { definitive: true });
}

function requireString(s: JsonObject, key: string, provider: string): string {
  const v = s[key];
  if (typeof v !== 'string' || v === '') throw invalid(provider, `${key} must be a non-empty string`);
  return v;
}

function optionalNumber(s: JsonObject, key: string, provider: string): number | undefined {
  const v = s[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !(v > 0)) throw invalid(provider, `${key} must be a number > 0`);
  return v;
}

export function parseSettings(provider: ProviderConfig): NutanixSettings {
  const s = provider.settings;
  const endpoint = requireString(s, 'endpoint', provider.name).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/i.test(endpoint)) throw invalid(provider.name, 'endpoint must be an http(s) URL, e.g. https://pc.example.com:9440');
  const out: NutanixSettings = {
    endpoint,
    username: requireString(s, 'username', provider.name),
    password: requireString(s, 'password', provider.name),
    timeoutMs: (optionalNumber(s, 'timeout_seconds', provider.name) ?? 30) * 1000,
    taskTimeoutMs: (optionalNumber(s, 'task_timeout_seconds', provider.name) ?? 3600) * 1000,
    insecure: s['insecure'] === true,
  };
  const rps = optionalNumber(s, 'max_requests_per_second', provider.name);
  if (rps !== undefined) out.maxRequestsPerSecond = rps;
  if (s['ca_file'] !== undefined) out.caFile = requireString(s, 'ca_file', provider.name);
  return out;
}

/** What the user should hear about before anything is sent. */
export function settingsWarnings(s: NutanixSettings, provider: string): string[] {
  const warnings: string[] = [];
  // TLS options need an undici dispatcher (the HttpClient has the hook); until then, say so
  // plainly instead of silently verifying against the system CAs the user asked us not to use.
  if (s.insecure) {
    warnings.push(`provider ${provider}: insecure: true is not applied yet; TLS certificates are still verified (a self-signed Prism Central will fail)`);
  }
  if (s.caFile !== undefined) {
    warnings.push(`provider ${provider}: ca_file is not applied yet; set NODE_EXTRA_CA_CERTS=${s.caFile} to trust this CA meanwhile`);
  }
  const host = new URL(s.endpoint).hostname;
  if (s.endpoint.startsWith('http://') && !LOOPBACK.test(host)) {
    warnings.push(`provider ${provider}: endpoint uses plain http; the password is sent in clear to ${host}`);
  }
  return warnings;
}
