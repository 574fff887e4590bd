// Hand-made Plans for the renderer tests: a renderer is a pure function of the Plan, so its
// tests state the Plan they print rather than going through the planner.
import { PLAN_FORMAT, PLAN_VERSION, type Plan, type ResourceChange } from '../../src/planner/types.js';

export function changeOf(extra: Partial<ResourceChange> & Pick<ResourceChange, 'action'>): ResourceChange {
  return { address: 'a', provider: 'prod', driver: 'nutanix', reasons: [], changes: [], depends_on: [], protected: false, ...extra };
}

export function planOf(changes: ResourceChange[], extra: Partial<Plan> = {}): Plan {
  return {
    format: PLAN_FORMAT,
    version: PLAN_VERSION,
    created_at: '2026-11-22T00:00:00Z',
    config_digest: 'digest',
    state: { lineage: '00000000-0000-4000-8000-000000000001', serial: 3 },
    changes,
    drift: [],
    info: [],
    summary: { add: 0, change: 0, destroy: 0, unchanged: 0 },
    warnings: [],
    errors: [],
    ...extra,
  };
}
