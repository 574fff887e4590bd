// `imagectl apply --refresh-only`: show how the cloud moved, ask, then accept it into the state.
import { acceptLive } from '../plan-pipeline/accept-live.js';
import { makePlan } from '../plan-pipeline/make-plan.js';
import { checkReadable } from '../plan-pipeline/unreadable.js';
import { renderPlanJson } from '../render/json.js';
import { unreadLine } from '../render/text.js';
import { formatValue } from '../render/values.js';
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
  const { plan, refreshed } = await makePlan({
    config: ctx.config, state: ctx.state, sessions: ctx.connected.sessions, schemas: ctx.connected.schemas,
    secrets: ctx.imageSecrets, parallelism: ctx.parallelism, allowEmpty: true,
  });
  // "The state matches the clouds" must never stand for "the clouds could not be asked".
  checkReadable(plan, refreshed, allowUnreadable);
  const moved = plan.drift.filter((d) => d.kind === 'modified' || d.kind === 'deleted');
  if (!json) for (const u of plan.unread ?? []) io.out(`Warning: ${unreadLine(u)}\n\n`);
  if (json) io.out(renderPlanJson(plan));
  else if (moved.length === 0) io.out(plan.unread ? 'No changes in what could be read.\n' : 'No changes. The state matches the clouds.\n');
  else {
    io.out('The state will accept these changes made outside imagectl:\n\n');
    for (const d of moved) {
      io.out(d.kind === 'deleted' ? `  - ${d.address} (${d.id ?? '?'}) is gone: it leaves the state\n` : `  ~ ${d.address} (${d.id ?? '?'}):\n`);
      for (const f of d.fields) io.out(`      ${f.path.slice(1)}: ${formatValue(f.expected)} -> ${formatValue(f.actual)}\n`);
    }
  }
  if (moved.length === 0) return 0;
  if (!approved) {
    const answer = await askOrInterrupt(io, "\nAccept these values into the state?\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: ", signal);
    if (answer.trim() !== 'yes') {
      io.out('\nRefresh cancelled. The state was not changed.\n');
      return 1;
    }
  }
  const result = acceptLive(ctx.state, refreshed?.observed ?? {}, ctx.connected.schemas, new Date().toISOString());
  await ctx.store.write(result.state);
  io.out(`\nRefresh complete! ${moved.length} image(s) accepted into the state; no image was changed.\n`);
  return 0;
}
