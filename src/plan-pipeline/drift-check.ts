// The read side of `imagectl drift`: plan without acting, list the clouds for images nobody
// manages when asked, and build the report (drift/build.ts) from the two. Nothing is written.
import { buildReport, findUnmanaged, ignoreRulesOf, type DriftReport } from '../drift/index.js';
import { makePlan, type PlanSources } from './make-plan.js';

export interface DriftCheck {
  targets: readonly string[];
  /** --unmanaged: also report leaked and unmanaged images (from the providers' lists). */
  unmanaged: boolean;
  /** The report given to --since. */
  previous?: DriftReport;
  now: string;
}

export async function checkDrift(sources: PlanSources, o: DriftCheck): Promise<DriftReport> {
  const { plan, refreshed } = await makePlan({ ...sources, targets: o.targets, allowEmpty: true });
  const unmanaged = o.unmanaged ? findUnmanaged(sources.config, sources.state, refreshed?.listed ?? {}) : [];
  // A provider that could not be listed has unknown leaked images: never "none found" (exit 4).
  const unlisted = o.unmanaged ? (refreshed?.listErrors ?? {}) : {};
  return buildReport({
    plan, unmanaged, unlisted, rules: ignoreRulesOf(sources.config), now: o.now, ...(o.previous ? { previous: o.previous } : {}),
  });
}
