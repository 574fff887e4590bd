// Saved plans (`plan --out FILE`, `apply FILE`). The file is the Plan document, signed with an
// HMAC keyed by the state's secret salt: a hand-edited file, or one made for another state, is
// refused. Whether it is still current when applied is stale-plan.ts.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import type { Plan } from '../planner/types.js';
import { planDocument } from '../render/json.js';
import type { StateFile } from '../state/types.js';
import { ImagectlError, errorMessage } from '../util/errors.js';
import { canonicalJson } from '../util/json.js';
import { newAjv } from '../validators/ajv.js';
import type { Validate } from '../validators/bundle.js';

/**
 * A first plan (no state file yet, serial 0) cannot be keyed by the salt: nothing saves it, and
 * the apply starts another fresh state with another random salt, so every first plan was refused
 * as "edited" (found by test/reliability/state-files.test.ts). It is keyed by a constant instead,
 * which still catches hand edits, and the apply requires the state to be fresh still.
 */
function sign(doc: unknown, state: StateFile, firstPlan: boolean): string {
  const key = firstPlan ? 'imagectl-plan:first-plan' : `imagectl-plan:${state.secret_salt}`;
  return createHmac('sha256', key).update(canonicalJson(doc)).digest('hex');
}

const isFirstPlan = (doc: { state?: unknown }): boolean => (doc.state as { serial?: unknown } | undefined)?.serial === 0;

export async function writeSavedPlan(file: string, plan: Plan, state: StateFile): Promise<void> {
  const doc = planDocument(plan) as Record<string, unknown>;
  delete doc['signature'];
  await writeFile(file, JSON.stringify({ ...doc, signature: sign(doc, state, isFirstPlan(doc)) }, null, 2) + '\n', { mode: 0o600 });
}

let validate: Validate | undefined;

export async function readSavedPlan(file: string, state: StateFile): Promise<Plan> {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new ImagectlError('PLAN_UNREADABLE', `cannot read the saved plan ${file}: ${errorMessage(e)}`);
  }
  if (!validate) {
    // Compiled on first use: only `apply FILE` reads a saved plan.
    // schemas/ sits two levels above both src/plan-pipeline (tests) and dist/plan-pipeline (the CLI).
    validate = newAjv().compile(JSON.parse(readFileSync(new URL('../../schemas/plan.schema.json', import.meta.url), 'utf8')) as object);
  }
  if (!validate(doc)) throw new ImagectlError('PLAN_INVALID', `${file} is not an imagectl plan (${ajv2text(validate.errors)})`);
  const { signature, ...rest } = doc;
  const want = Buffer.from(sign(rest, state, isFirstPlan(rest)));
  const got = Buffer.from(typeof signature === 'string' ? signature : '');
  if (got.length !== want.length || !timingSafeEqual(got, want)) {
    throw new ImagectlError('PLAN_TAMPERED', `${file} was edited after it was saved, or was made for another state; make a new plan with \`imagectl plan --out ${file}\``);
  }
  return doc as unknown as Plan;
}

function ajv2text(errors: unknown): string {
  const list = Array.isArray(errors) ? (errors as { instancePath: string; message?: string }[]) : [];
  return list.slice(0, 3).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('; ');
}
