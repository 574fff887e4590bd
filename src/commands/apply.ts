// Command `imagectl apply [PLAN_FILE]`: resolve interrupted work, plan, ask, and converge.
// Exclusive lock; state is saved after every step; Ctrl-C stops new work, lets in-flight calls
// finish, saves, exits 130.
import { applyPlan, type ApplyResult } from '../apply/apply.js';
import { Journal } from '../apply/journal.js';
import { prepareDesired } from '../plan-pipeline/desired.js';
import { allowedUnreadable } from '../plan-pipeline/unreadable.js';
import { freshPlan, savedPlan } from '../plan-pipeline/apply-plan.js';
import { renderPlanText } from '../render/text.js';
import { ndjsonProgress, textProgress } from '../render/progress.js';
import { renderPlanJson } from '../render/json.js';
import { ImagectlError } from '../util/errors.js';
import { bool, durationFlag, list, parseArgs } from './args.js';
import { askOrInterrupt, interrupted as interruptedError, type Io } from './io.js';
import { trapInterrupts } from './interrupts.js';
import { withRun } from './run.js';
import { refreshOnly } from './refresh-only.js';

export const applyFlags = {
  values: ['target', 'grace-period', 'allow-unreadable'],
  booleans: ['auto-approve', 'json', 'allow-empty', 'refresh', 'refresh-only'],
  repeat: ['target', 'allow-unreadable'],
};

function summary(r: ApplyResult): string {
  return `Resources: ${r.added} added, ${r.changed} changed, ${r.destroyed} destroyed.`;
}

export async function applyCommand(argv: readonly string[], io: Io): Promise<number> {
  const p = parseArgs(argv, applyFlags);
  if (p.positionals.length > 1) throw new ImagectlError('USAGE', 'usage: imagectl apply [PLAN_FILE] [flags]');
  const file = p.positionals[0];
  const json = bool(p, 'json');
  const line = (l: string): void => io.out(l + '\n');
  const events = json ? ndjsonProgress(line) : textProgress(line, { colour: io.colour, tty: io.interactive });
  // A saved plan was reviewed when it was made: applying it is the approval (as in Terraform).
  const approved = bool(p, 'auto-approve') || file !== undefined;
  if (!approved && !io.interactive) {
    throw new ImagectlError('APPROVAL_REQUIRED', 'apply needs approval: run it in a terminal to answer the prompt, or pass --auto-approve (nothing was changed)');
  }
  const interrupts = trapInterrupts(io, durationFlag(p, 'grace-period', 60_000));
  const stop = interrupts.stop;
  try {
    return await withRun(p, io, { command: 'apply', mode: 'exclusive' }, async (ctx) => {
      const allowUnreadable = allowedUnreadable(list(p, 'allow-unreadable'), ctx.config.providers);
      if (bool(p, 'refresh-only')) return refreshOnly(ctx, io, { approved, json, allowUnreadable, signal: stop });
      // Interrupted while planning: nothing was started, so nothing to wait for.
      if (stop.aborted) throw interruptedError();
      const journal = new Journal(ctx.store, ctx.state);
      const desired = await prepareDesired(ctx.config, ctx.sessions, ctx.state, ctx.secrets);
      const plan = file !== undefined
        ? await savedPlan(ctx, file, desired)
        : await freshPlan(ctx, journal, desired, events, { targets: list(p, 'target'), refresh: bool(p, 'refresh', true), allowEmpty: bool(p, 'allow-empty'), allowUnreadable });
      io.out(json ? renderPlanJson(plan) : renderPlanText(plan, { colour: io.colour }));
      if (plan.errors.length > 0) return 1;
      const acting = plan.changes.some((c) => c.action !== 'no-op');
      if (acting && !approved) {
        const answer = await askOrInterrupt(io, '\nDo you want to perform these actions?\n  Only \'yes\' will be accepted to approve.\n\n  Enter a value: ', stop);
        if (answer.trim() !== 'yes') {
          io.out('\nApply cancelled. Nothing was changed.\n');
          return 1;
        }
      }
      if (stop.aborted) throw interruptedError();
      if (acting) io.out('\n');
      interrupts.applying();
      const run = applyPlan(plan, {
        secrets: ctx.secrets, sessions: ctx.sessions, schemas: ctx.schemas,
        journal, parallelism: ctx.parallelism, events, stop,
      });
      const result = await interrupts.withGrace(run);
      if (result === 'timeout') {
        io.err('Grace period over: calls still in flight are journaled and will be resolved by the next apply.\n');
        return 130;
      }
      if (result.interrupted) {
        io.out(`\nApply interrupted. ${summary(result)} The state holds everything that finished.\n`);
        return 130;
      }
      if (result.failed.length > 0) {
        io.out(`\nApply failed for ${result.failed.length} image(s); ${result.skipped.length} skipped. ${summary(result)}\n`);
        for (const f of result.failed) io.err(`Error: ${f.address}: ${f.message}\n`);
        return 1;
      }
      if (acting) io.out(`\nApply complete! ${summary(result)}\n`);
      return 0;
    });
  } finally {
    interrupts.dispose();
  }
}
