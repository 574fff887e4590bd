// The provider block, read into typed settings. The config validator has already checked the
// shape against schema.ts; this is the last line before the network, so a missing or mistyped
// key is refused here with its name rather than sent as `undefined`.
import { DriverError, type ProviderConfig } from '../contract.js';
import type { JsonObject } from '../../util/json.js';
import { checkEndpoint, transportWarnings } from '../http/transport.js';

export interface NumspotSettings {
  /** API base URL without a trailing slash, e.g. https://api.eu-west-2.numspot.com */
  host: string;
  spaceId: string;
  clientId: string;
  clientSecret: string;
  /** Default source_region_name when copying an image. */
  region?: string;
  timeoutMs: number;
  pendingTimeoutMs: number;
  maxRequestsPerSecond?: number;
  insecure: boolean;
  caFile?: string;
  allowHttp?: boolean;
}

export const DEFAULT_TIMEOUT_SECONDS = 30;
/** From-VM images of large disks stay pending for many minutes; the provider's 5 min is too short. */
export const DEFAULT_PENDING_TIMEOUT_SECONDS = 1800;

function invalid(provider: string, message: string): DriverError {
  return new DriverError('invalid', `provider ${provider}: ${message}`, { definitive: true });
}

function requireString(s: JsonObject, key: string, provider: string): string {
  const v = s[key];
  if (v === undefined) throw invalid(provider, `${key} is required (the numspot driver needs host, space_id, client_id and client_secret)`);
  if (typeof v !== 'string' || v.trim() === '') throw invalid(provider, `${key} must be a non-empty string`);
  return v.trim();
}

function optionalNumber(s: JsonObject, key: string, provider: string): number | undefined {
  const v = s[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || !(v > 0)) throw invalid(provider, `${key} must be a number > 0`);
  return v;
}

export function parseSettings(provider: ProviderConfig): NumspotSettings {
  const s = provider.settings;
  const host = requireString(s, 'host', provider.name).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+$/i.test(host)) {
    throw invalid(provider.name, 'host must be an http(s) URL without a path, e.g. https://api.eu-west-2.numspot.com');
  }
  const out: NumspotSettings = {
    host,
    spaceId: requireString(s, 'space_id', provider.name),
    clientId: requireString(s, 'client_id', provider.name),
    clientSecret: requireString(s, 'client_secret', provider.name),
    timeoutMs: (optionalNumber(s, 'timeout_seconds', provider.name) ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
    pendingTimeoutMs: (optionalNumber(s, 'pending_timeout_seconds', provider.name) ?? DEFAULT_PENDING_TIMEOUT_SECONDS) * 1000,
    insecure: s['insecure'] === true,
  };
  if (s['allow_http'] === true) out.allowHttp = true;
  if (s['region'] !== undefined) out.region = requireString(s, 'region', provider.name);
  const rps = optionalNumber(s, 'max_requests_per_second', provider.name);
  if (rps !== undefined) out.maxRequestsPerSecond = rps;
  if (s['ca_file'] !== undefined) out.caFile = requireString(s, 'ca_file', provider.name);
  checkEndpoint(provider.name, 'host', host, out);
  return out;
}

/** What the user should hear about before anything is sent. */
export function settingsWarnings(s: NumspotSettings, provider: string): string[] {
  return transportWarnings(provider, 'host', s.host, s);
}
