// A provider that could not be read is an error for plan and apply, never "No changes": the
// planner would otherwise plan its images from the state file alone and call that in sync (as
// Terraform, which fails a plan whose refresh fails). The user may opt out per provider with
// --allow-unreadable; the plan then names every provider it did not read, in every format.
import type { Plan } from '../planner/types.js';
import { ImagectlError } from '../util/errors.js';
import type { RefreshResult } from './refresh.js';

export const ALLOW_FLAG = 'allow-unreadable';

/** The providers named by --allow-unreadable, each checked against the configuration. */
export function allowedUnreadable(names: readonly string[], providers: Readonly<Record<string, unknown>>): ReadonlySet<string> {
  for (const n of names) {
    if (!Object.hasOwn(providers, n)) {
      throw new ImagectlError('USAGE', `--${ALLOW_FLAG} '${n}' is not a provider of the configuration (providers: ${Object.keys(providers).join(', ')})`);
    }
  }
  return new Set(names);
}

/**
 * Throws when a provider could not be read and was not allowed; otherwise records the allowed
 * ones on the plan (`unread`) so the renderers show them. No refresh (--refresh=false) reads
 * nothing and so finds nothing unreadable: that opt-out is the user's own.
 */
export function checkReadable(plan: Plan, refreshed: RefreshResult | undefined, allowed: ReadonlySet<string>): void {
  const unreadable = Object.entries(refreshed?.unreadable ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const refused = unreadable.filter(([p]) => !allowed.has(p));
  if (refused.length > 0) {
    const lines = refused.map(([p, reason]) => `provider '${p}' could not be read: ${reason}`);
    const hint = `Nothing was planned. Fix the access, or plan without reading it: --${ALLOW_FLAG}=${refused[0]?.[0] ?? ''} (its images are then planned from the state alone)`;
    throw new ImagectlError('PROVIDER_UNREADABLE', `${lines.join('\n')}\n${hint}`, { origin: 'cloud' });
  }
  if (unreadable.length > 0) plan.unread = unreadable.map(([provider, reason]) => ({ provider, reason }));
}
