// imagectl plan: show what apply would do. Read-only: a shared lock, no mutating call.
import { writeFile } from 'node:fs/promises';
import { makePlan } from '../engine/make-plan.js';
import { renderPlanJson } from '../render/json.js';
import { renderPlanText } from '../render/text.js';
import { bool, list, parseArgs, str } from './args.js';
import type { Io } from './io.js';
import { withRun } from './run.js';

export const planFlags = {
  values: ['out', 'target', 'refresh-mode'],
  booleans: ['json', 'detailed-exitcode', 'refresh', 'allow-empty'],
  repeat: ['target'],
};

export async function planCommand(argv: readonly string[], io: Io): Promise<number> {
  const p = parseArgs(argv, planFlags);
  const mode = str(p, 'refresh-mode') === 'per-resource' ? 'per-resource' : 'bulk';
  return withRun(p, io, { command: 'plan', mode: 'shared' }, async (ctx) => {
    const { plan } = await makePlan({
      config: ctx.config,
      state: ctx.state,
      sessions: ctx.connected.sessions,
      schemas: ctx.connected.schemas,
      secrets: ctx.imageSecrets,
      parallelism: ctx.parallelism,
      targets: list(p, 'target'),
      refresh: bool(p, 'refresh', true),
      refreshMode: mode,
      allowEmpty: bool(p, 'allow-empty'),
    });
    const out = str(p, 'out');
    if (out !== undefined) await writeFile(out, renderPlanJson(plan), { mode: 0o600 });
    io.out(bool(p, 'json') ? renderPlanJson(plan) : renderPlanText(plan, { colour: io.colour }));
    if (out !== undefined && !bool(p, 'json')) io.out(`\nSaved the plan to ${out}. Apply exactly these actions with: imagectl apply ${out}\n`);
    if (plan.errors.length > 0) return 1;
    const changes = plan.changes.some((c) => c.action !== 'no-op');
    return bool(p, 'detailed-exitcode') && changes ? 2 : 0;
  });
}
