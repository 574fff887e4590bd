// The environment a plugin starts with. It used to inherit imagectl's whole environment, so a
// plugin received every other provider's password (NUTANIX_PASSWORD, a Numspot client secret,
// another plugin's token). A plugin gets its own provider's secrets through `configure`; from
// the environment it keeps everything but the variables the configuration reads other
// providers' secrets from, and any variable holding the same value under another name.
import { MIN_SECRET_LENGTH } from '../../util/redact.js';
import type { PluginSpec, Withheld } from './protocol.js';

/** imagectl's environment minus what `spec.withhold` names or holds, plus the block's own `env`. */
export function pluginEnv(spec: PluginSpec, base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const names = new Set(spec.withhold?.names ?? []);
  // Very short values (`1`, `true`) would take ordinary settings with them.
  const values = new Set((spec.withhold?.values ?? []).filter((v) => v.length >= MIN_SECRET_LENGTH));
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) {
    if (v !== undefined && !names.has(k) && !values.has(v)) out[k] = v;
  }
  return { ...out, ...spec.env };
}

/** Adds names and values to what a spec withholds (a new spec; the described one is shared). */
export function withholding(spec: PluginSpec, more: Withheld): PluginSpec {
  const names = [...new Set([...(spec.withhold?.names ?? []), ...more.names])];
  const values = [...new Set([...(spec.withhold?.values ?? []), ...more.values])];
  return { ...spec, withhold: { names, values } };
}
