// Images in the cloud that imagectl does not manage: `leaked` when they carry this state's
// lineage ownership tag (an interrupted run made them, or someone ran `state rm`), `unmanaged`
// when they sit inside a declared scope (a name prefix) without being in the state.
import type { LoadedConfig } from '../config/types.js';
import type { ObservedImage } from '../fields/observed.js';
import type { StateFile } from '../state/types.js';
import { isObject } from '../util/json.js';
import type { UnmanagedImage } from './types.js';

function scopes(config: LoadedConfig): { provider: string; name_prefix: string }[] {
  const list = config.drift?.['unmanaged'];
  if (!Array.isArray(list)) return [];
  return list.filter(isObject).map((s) => ({ provider: String(s['provider']), name_prefix: String(s['name_prefix'] ?? '') }));
}

export function findUnmanaged(config: LoadedConfig, state: StateFile, listed: Readonly<Record<string, ObservedImage[]>>): UnmanagedImage[] {
  const managed = new Set<string>();
  for (const r of Object.values(state.resources)) {
    managed.add(`${r.provider}\u0000${r.id}`);
    // A deposed image is still the state's (drift reports it as a pending destroy), not leaked.
    for (const d of r.deposed ?? []) managed.add(`${d.provider}\u0000${d.id}`);
  }
  const inScope = scopes(config);
  const out: UnmanagedImage[] = [];
  for (const [provider, images] of Object.entries(listed)) {
    for (const img of images) {
      if (managed.has(`${provider}\u0000${img.id}`)) continue;
      if (img.owner?.lineage === state.lineage) {
        const u: UnmanagedImage = { provider, id: img.id, name: img.name, kind: 'leaked' };
        if (img.owner.address !== undefined) u.owner_address = img.owner.address;
        out.push(u);
      } else if (inScope.some((s) => s.provider === provider && img.name.startsWith(s.name_prefix))) {
        out.push({ provider, id: img.id, name: img.name, kind: 'unmanaged' });
      }
    }
  }
  return out.sort((a, b) => a.provider.localeCompare(b.provider) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}
