// Where apply gets its plan: a fresh one (after resolving interrupted work), or a saved plan
// file, re-checked against the images it touches and the images feeding them.
import type { EventSink } from '../apply/events.js';
import type { Journal } from '../apply/journal.js';
import type { PlanImage } from '../planner/input.js';
import type { Plan } from '../planner/types.js';
import { recoverPending } from '../recovery/recover.js';
import { ImagectlError } from '../util/errors.js';
import { makePlan, type PlanSources } from './make-plan.js';
import { readSavedPlan } from './saved-plan.js';
import { checkNotStale, touched } from './stale-plan.js';
import { checkReadable } from './unreadable.js';

export interface PlanChoice {
  targets: string[];
  refresh: boolean;
  allowEmpty: boolean;
  /** Providers the user allowed to be unreadable (--allow-unreadable). */
  allowUnreadable: ReadonlySet<string>;
}

/** Resolves what an interrupted run left behind (recovery/), then plans from the state that leaves. */
export async function freshPlan(sources: PlanSources, journal: Journal, desired: Record<string, PlanImage>, events: EventSink, o: PlanChoice): Promise<Plan> {
  await recoverPending(journal, sources.sessions, desired, sources.secrets, events, sources.schemas);
  const { plan, refreshed } = await makePlan({
    ...sources, state: journal.state, targets: o.targets, desired, refresh: o.refresh, allowEmpty: o.allowEmpty,
  });
  checkReadable(plan, refreshed, o.allowUnreadable);
  return plan;
}

/** The plan of `file`, refused unless re-reading what it touches yields exactly the same plan. */
export async function savedPlan(sources: PlanSources, file: string, desired: Record<string, PlanImage>): Promise<Plan> {
  const saved = await readSavedPlan(file, sources.state);
  if (Object.keys(sources.state.pending).length > 0) {
    throw new ImagectlError('PLAN_STALE', `the state holds interrupted operations, so the saved plan ${file} may be stale; run \`imagectl apply\` without a plan file to resolve them, then plan again`);
  }
  const targets = touched(saved);
  if (targets.length === 0) return saved;
  // Only the touched images and their dependencies are read again (one GET each): changes
  // elsewhere do not matter. The saved plan is applied only when the re-plan does exactly the same.
  const { plan, refreshed } = await makePlan({
    ...sources, targets, desired, refreshMode: 'per-resource', allowEmpty: true, namesakes: false,
  });
  // What the plan acts on must be read again: a provider that cannot be read is that error (with
  // its reason), not a plan that looks stale, and never a plan applied on trust.
  checkReadable(plan, refreshed, new Set());
  checkNotStale(saved, plan, sources.config.digest, sources.state, file);
  // The re-plan only checks: what was reviewed, the saved file, is what is applied.
  return saved;
}
