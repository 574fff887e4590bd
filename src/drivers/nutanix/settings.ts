// The provider block, read into typed settings. The config validator has already checked the
// shape against schema.ts; this is the last line before the network, so it still refuses a
// setting of the wrong type rather than sending `undefined` as a password.
import { DriverError, type ProviderConfig } from '../contract.js';
import type { JsonObject } from '../../util/json.js';
import { checkEndpoint, transportWarnings } from '../http/transport.js';

export interface NutanixSettings {
  endpoint: string;
  username: string;
  password: string;
  timeoutMs: number;
  taskTimeoutMs: number;
  maxRequestsPerSecond?: number;
  insecure: boolean;
  caFile?: string;
  allowHttp?: boolean;
}

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
  if (s['allow_http'] === true) out.allowHttp = true;
  const rps = optionalNumber(s, 'max_requests_per_second', provider.name);
  if (rps !== undefined) out.maxRequestsPerSecond = rps;
  if (s['ca_file'] !== undefined) out.caFile = requireString(s, 'ca_file', provider.name);
  checkEndpoint(provider.name, 'endpoint', endpoint, out);
  return out;
}

/** What the user should hear about before anything is sent. */
export function settingsWarnings(s: NutanixSettings, provider: string): string[] {
  return transportWarnings(provider, 'endpoint', s.endpoint, s);
}
