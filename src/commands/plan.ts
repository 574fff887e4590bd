// Command `imagectl plan`: show what apply would do.
// Read-only: a shared lock, no mutating call.
import { makePlan } from '../plan-pipeline/make-plan.js';
import { allowedUnreadable, checkReadable } from '../plan-pipeline/unreadable.js';
import { writeSavedPlan } from '../plan-pipeline/saved-plan.js';
import { renderPlanJson } from '../render/json.js';
import { renderPlanText } from '../render/text.js';
import { renderPlanMarkdown } from '../render/markdown.js';
import { ImagectlError } from '../util/errors.js';
import { bool, list, parseArgs, str } from './args.js';
import type { Io } from './io.js';
import { withRun } from './run.js';

export const planFlags = {
  values: ['out', 'target', 'refresh-mode', 'format', 'allow-unreadable'],
  booleans: ['json', 'detailed-exitcode', 'refresh', 'allow-empty'],
  repeat: ['target', 'allow-unreadable'],
};

export async function planCommand(argv: readonly string[], io: Io): Promise<number> {
  const p = parseArgs(argv, planFlags);
  const mode = str(p, 'refresh-mode') ?? 'bulk';
  if (mode !== 'bulk' && mode !== 'per-resource') throw new ImagectlError('USAGE', `--refresh-mode must be bulk or per-resource, not '${mode}'`);
  const format = bool(p, 'json') ? 'json' : (str(p, 'format') ?? 'text');
  if (!['text', 'json', 'markdown'].includes(format)) throw new ImagectlError('USAGE', `--format must be text, json or markdown, not '${format}'`);
  return withRun(p, io, { command: 'plan', mode: 'shared' }, async (ctx) => {
    const allowed = allowedUnreadable(list(p, 'allow-unreadable'), ctx.config.providers);
    const { plan, refreshed } = await makePlan({
      ...ctx, targets: list(p, 'target'), refresh: bool(p, 'refresh', true), refreshMode: mode, allowEmpty: bool(p, 'allow-empty'),
    });
    checkReadable(plan, refreshed, allowed);
    const out = str(p, 'out');
    if (out !== undefined) await writeSavedPlan(out, plan, ctx.state);
    io.out(format === 'json' ? renderPlanJson(plan) : format === 'markdown' ? renderPlanMarkdown(plan) : renderPlanText(plan, { colour: io.colour }));
    if (out !== undefined && format === 'text') io.out(`\nSaved the plan to ${out}. Apply exactly these actions with: imagectl apply ${out}\n`);
    if (plan.errors.length > 0) return 1;
    // Journaled interrupted operations are work the next apply does (it resolves them first), so
    // a CI job asking "is there anything to apply?" must hear yes even when no image differs.
    const changes = plan.changes.some((c) => c.action !== 'no-op') || Object.keys(ctx.state.pending).length > 0;
    return bool(p, 'detailed-exitcode') && changes ? 2 : 0;
  });
}
