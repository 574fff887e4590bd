// The read side of plan, apply and drift in one place: refresh the live images, prepare the
// desired ones, and call the pure planner.
import type { LoadedConfig } from '../config/types.js';
import type { DriverSession } from '../drivers/contract.js';
import type { DriverSchema } from '../fields/schema.js';
import { plan } from '../planner/index.js';
import type { PlanImage } from '../planner/input.js';
import type { Plan } from '../planner/types.js';
import { withDependencies } from '../planner/graph.js';
import { checkNamesakes } from '../planner/namesakes.js';
import type { StateFile } from '../state/types.js';
import { prepareDesired, type ImageSecrets } from './desired.js';
import { traced } from '../util/trace.js';
import { refresh, type RefreshMode, type RefreshResult } from './refresh.js';

/** What every plan of a run reads: the configuration, the state, the connected providers. */
export interface PlanSources {
  config: LoadedConfig;
  state: StateFile;
  sessions: Readonly<Record<string, DriverSession>>;
  schemas: Readonly<Record<string, DriverSchema>>;
  secrets: ImageSecrets;
  parallelism: number;
}

export interface MakePlanInput extends PlanSources {
  targets?: readonly string[];
  refresh?: boolean;
  refreshMode?: RefreshMode;
  allowEmpty?: boolean;
  /**
   * Look for a namesake before each create (planner/namesakes.ts); default on. The saved-plan
   * re-check turns it off: it reads per image, without the lists, and the plan was checked when made.
   */
  namesakes?: boolean;
  /** Already prepared desired images (apply prepares them before recovery). */
  desired?: Record<string, PlanImage>;
}

export async function makePlan(input: MakePlanInput): Promise<{ plan: Plan; desired: Record<string, PlanImage>; refreshed: RefreshResult | undefined }> {
  let only: Set<string> | undefined;
  if (input.targets && input.targets.length > 0) {
    const deps = (a: string): readonly string[] => {
      const img = input.config.images[a];
      return img ? [...img.depends_on, ...img.refs.map((r) => r.target)] : input.state.resources[a]?.depends_on ?? [];
    };
    only = withDependencies(input.targets, deps);
  }
  // The refresh is mostly waiting on the network: start it first and prepare the desired images
  // meanwhile (their lookups, if any, are further requests in flight at the same time).
  const refreshing = input.refresh === false ? undefined : traced('refresh', () => refresh(input.sessions, input.state, {
    ...(only ? { addresses: only } : {}),
    mode: input.refreshMode ?? 'bulk',
    parallelism: input.parallelism,
  }));
  refreshing?.catch(() => undefined); // awaited below; a rejection must not go unhandled meanwhile
  const desired = input.desired ?? (await traced('desired', () => prepareDesired(input.config, input.sessions, input.state, input.secrets, only)));
  const refreshed = await refreshing;
  const p = await traced('planner', () => plan({
    desired,
    state: input.state,
    observed: refreshed?.observed ?? {},
    schemas: input.schemas,
    now: new Date().toISOString(),
    config_digest: input.config.digest,
    ...(input.targets && input.targets.length > 0 ? { targets: input.targets } : {}),
    ...(input.allowEmpty ? { allow_empty: true } : {}),
  }));
  if (refreshed && input.namesakes !== false) {
    // Only images the refresh listed can be checked; unlisted providers get a warning.
    checkNamesakes({ plan: p, desired, state: input.state, listed: refreshed.listed, schemas: input.schemas });
  }
  const pending = Object.keys(input.state.pending).length;
  if (pending > 0) p.warnings.push(`${pending} interrupted operation(s) are journaled in the state; the next apply resolves them first`);
  return { plan: p, desired, refreshed };
}
