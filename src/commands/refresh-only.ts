// Command `imagectl apply --refresh-only`: accept into the state what moved outside imagectl.
// Shows how the cloud moved, asks, then writes the live values; no image is changed.
import { acceptLive, movedOutside } from '../plan-pipeline/accept-live.js';
import { makePlan } from '../plan-pipeline/make-plan.js';
import { checkReadable } from '../plan-pipeline/unreadable.js';
import { renderPlanJson } from '../render/json.js';
import { renderRefreshOnly } from '../render/refresh-only.js';
import { askOrInterrupt, type Io } from './io.js';
import type { RunContext } from './run.js';

export interface RefreshOnlyOptions {
  approved: boolean;
  json: boolean;
  allowUnreadable: ReadonlySet<string>;
  /** Aborted by SIGINT/SIGTERM: the prompt gives way. */
  signal: AbortSignal;
}

export async function refreshOnly(ctx: RunContext, io: Io, { approved, json, allowUnreadable, signal }: RefreshOnlyOptions): Promise<number> {
  const { plan, refreshed } = await makePlan({ ...ctx, allowEmpty: true });
  // "The state matches the clouds" must never stand for "the clouds could not be asked".
  checkReadable(plan, refreshed, allowUnreadable);
  const moved = movedOutside(plan);
  io.out(json ? renderPlanJson(plan) : renderRefreshOnly(plan, moved));
  if (moved.length === 0) return 0;
  if (!approved) {
    const answer = await askOrInterrupt(io, "\nAccept these values into the state?\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: ", signal);
    if (answer.trim() !== 'yes') {
      io.out('\nRefresh cancelled. The state was not changed.\n');
      return 1;
    }
  }
  const result = acceptLive(ctx.state, refreshed?.observed ?? {}, ctx.schemas, new Date().toISOString());
  await ctx.store.write(result.state);
  io.out(`\nRefresh complete! ${moved.length} image(s) accepted into the state; no image was changed.\n`);
  return 0;
}
