// What feeds a planned action: the images an acting change depends on (references, depends_on,
// transitively) that do not act themselves. A saved plan records how each looked, so applying it
// later can refuse when one moved: a dependency changed or deleted by hand must never be replaced
// or re-created behind the reviewer's back, nor silently feed a changed value into the plan.
import { withDependencies } from './graph.js';
import type { ResourceChange } from './types.js';

export function recordFeeders(
  changes: readonly ResourceChange[],
  deps: (address: string) => readonly string[],
  summary: (address: string) => NonNullable<ResourceChange['observed']>,
): void {
  const acting = changes.filter((c) => c.action !== 'no-op');
  if (acting.length === 0) return;
  // Only what acting changes need: at 10,000 images most have no dependencies, and no digest.
  const needed = withDependencies(acting.filter((c) => deps(c.address).length > 0).map((c) => c.address), deps);
  if (needed.size === 0) return;
  for (const c of changes) {
    if (c.action === 'no-op' && needed.has(c.address)) c.observed = summary(c.address);
  }
}
