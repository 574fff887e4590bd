// Where apply gets its plan: a fresh one (after resolving interrupted work), or a saved plan
// file, re-checked against the images it touches and the images feeding them.
import { Journal } from '../apply/journal.js';
import type { EventSink } from '../apply/events.js';
import { makePlan } from '../plan-pipeline/make-plan.js';
import { checkReadable } from '../plan-pipeline/unreadable.js';
import { recoverPending } from '../recovery/recover.js';
import { readSavedPlan } from '../plan-pipeline/saved-plan.js';
import { checkNotStale, touched } from '../plan-pipeline/stale-plan.js';
import type { PlanImage } from '../planner/input.js';
import type { Plan } from '../planner/types.js';
import { ImagectlError } from '../util/errors.js';
import type { RunContext } from './run.js';

export interface PlanChoice {
  targets: string[];
  refresh: boolean;
  allowEmpty: boolean;
  /** Providers the user allowed to be unreadable (--allow-unreadable). */
  allowUnreadable: ReadonlySet<string>;
}

export async function freshPlan(ctx: RunContext, journal: Journal, desired: Record<string, PlanImage>, events: EventSink, o: PlanChoice): Promise<Plan> {
  await recoverPending(journal, ctx.connected.sessions, desired, ctx.imageSecrets, events, ctx.connected.schemas);
  const { plan, refreshed } = await makePlan({
    config: ctx.config, state: journal.state, sessions: ctx.connected.sessions, schemas: ctx.connected.schemas,
    secrets: ctx.imageSecrets, parallelism: ctx.parallelism, targets: o.targets, desired, refresh: o.refresh, allowEmpty: o.allowEmpty,
  });
  checkReadable(plan, refreshed, o.allowUnreadable);
  return plan;
}

export async function savedPlan(ctx: RunContext, file: string, desired: Record<string, PlanImage>): Promise<Plan> {
  const saved = await readSavedPlan(file, ctx.state);
  if (Object.keys(ctx.state.pending).length > 0) {
    throw new ImagectlError('PLAN_STALE', `the state holds interrupted operations, so the saved plan ${file} may be stale; run \`imagectl apply\` without a plan file to resolve them, then plan again`);
  }
  const targets = touched(saved);
  if (targets.length === 0) return saved;
  // Only the touched images and their dependencies are read again (one GET each): changes
  // elsewhere do not matter. The saved plan is applied only when the re-plan does exactly the same.
  const { plan, refreshed } = await makePlan({
    config: ctx.config, state: ctx.state, sessions: ctx.connected.sessions, schemas: ctx.connected.schemas,
    secrets: ctx.imageSecrets, parallelism: ctx.parallelism, targets, desired, refreshMode: 'per-resource',
    allowEmpty: true, namesakes: false,
  });
  // What the plan acts on must be read again: a provider that cannot be read is that error (with
  // its reason), not a plan that looks stale, and never a plan applied on trust.
  checkReadable(plan, refreshed, new Set());
  checkNotStale(saved, plan, ctx.config.digest, ctx.state, file);
  // The re-plan only checks: what was reviewed, the saved file, is what is applied.
  return saved;
}
