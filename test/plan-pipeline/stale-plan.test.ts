// The saved plan's staleness checks one by one: each refusal has a case that only it catches,
// so removing any check fails a test here.
import t from 'tap';
import { plan } from '../../src/planner/index.js';
import type { Observation, PlanImage } from '../../src/planner/input.js';
import type { Plan } from '../../src/planner/types.js';
import { checkNotStale, touched } from '../../src/plan-pipeline/stale-plan.js';
import type { StateFile } from '../../src/state/types.js';
import { found, image, input, iso, resource, state } from '../support/builders.js';

const BASE = '11111111-1111-4111-8111-111111111111';
const APP = '22222222-2222-4222-8222-222222222222';
const baseFields = { ...iso, name: 'base' };
const appFields = { ...iso, name: 'app' };

function desired(appDescription = 'v2', appExtra: Partial<PlanImage> = {}): PlanImage[] {
  return [image('base', baseFields), image('app', { ...appFields, description: appDescription }, { depends_on: ['base'], ...appExtra })];
}

function current(): StateFile {
  return state([resource('base', BASE, baseFields), resource('app', APP, appFields, { depends_on: ['base'] })]);
}

function live(): Record<string, Observation> {
  return { base: found(BASE, baseFields), app: found(APP, appFields) };
}

/** The saved plan, and a re-plan of what it touches, as `apply PLAN_FILE` makes it. */
function replan(saved: Plan, d: PlanImage[], st: StateFile, obs: Record<string, Observation>): Plan {
  return plan(input(d, st, obs, { targets: touched(saved) }));
}

const saved = plan(input(desired(), current(), live()));
const check = (fresh: Plan, st: StateFile = current(), digest = 'digest', s: Plan = saved): void => checkNotStale(s, fresh, digest, st, 'p.json');

t.test('the saved plan acts on app only and records what feeds it', async (t) => {
  t.same(touched(saved), ['app']);
  t.ok(saved.changes.find((c) => c.address === 'base')?.observed, 'base feeds app: its observation is recorded');
  const lone = plan(input([image('solo', iso)], state([resource('solo', BASE, iso)]), { solo: found(BASE, iso) }));
  t.notOk(lone.changes[0]?.observed, 'a no-op that feeds nothing records nothing');
  t.doesNotThrow(() => check(replan(saved, desired(), current(), live())), 'nothing moved: applies');
});

t.test('made for another state lineage', async (t) => {
  const other = { ...current(), lineage: '00000000-0000-4000-8000-000000000009' };
  t.throws(() => check(replan(saved, desired(), other, live()), other), { code: 'PLAN_STALE', message: /made for state lineage 0+-0000-4000-8000-000000000001, this state is .*9/ });
});

t.test('made before the first apply, and the state written since', async (t) => {
  const empty = { ...state(), serial: 0 };
  const first = plan(input(desired(), empty, {}));
  t.doesNotThrow(() => check(plan(input(desired(), empty, {}, { targets: touched(first) })), empty, 'digest', first), 'still fresh: applies');
  const written = { ...state(), serial: 1 };
  t.throws(() => check(plan(input(desired(), written, {}, { targets: touched(first) })), written, 'digest', first), { code: 'PLAN_STALE', message: /made before the first apply/ });
});

t.test('the configuration changed', async (t) => {
  t.throws(() => check(replan(saved, desired(), current(), live()), current(), 'another digest'), { code: 'PLAN_STALE', message: /configuration changed since it was made/ });
});

t.test('a touched image changed in the state (nothing else differs)', async (t) => {
  const st = current();
  st.resources['app'] = { ...(st.resources['app'] as NonNullable<StateFile['resources'][string]>), updated_at: '2026-11-02T00:00:00Z' };
  t.throws(() => check(replan(saved, desired(), st, live()), st), { code: 'PLAN_STALE', message: /app changed in the state since it was made/ });
});

t.test('a touched image changed in the cloud', async (t) => {
  const obs = { ...live(), app: found(APP, { ...appFields, category_ext_ids: ['x'] }) };
  t.throws(() => check(replan(saved, desired(), current(), obs)), { code: 'PLAN_STALE', message: /app changed in the cloud since it was made/ });
});

t.test('a dependency changed in the cloud, without any new action', async (t) => {
  // An undeclared field: base stays a no-op, yet what app was planned against moved.
  const obs = { ...live(), base: found(BASE, { ...baseFields, description: 'by hand' }) };
  const fresh = replan(saved, desired(), current(), obs);
  t.equal(fresh.changes.find((c) => c.address === 'base')?.action, 'no-op');
  t.throws(() => check(fresh), { code: 'PLAN_STALE', message: /base \(which app depends on\) changed in the cloud since the plan was made/ });
});

t.test('a dependency deleted in the cloud', async (t) => {
  const obs: Record<string, Observation> = { ...live(), base: { status: 'not_found' } };
  t.throws(() => check(replan(saved, desired(), current(), obs)), { code: 'PLAN_STALE', message: /base \(which app depends on\) was deleted in the cloud/ });
});

t.test('a dependency changed in the state', async (t) => {
  const st = current();
  st.resources['base'] = { ...(st.resources['base'] as NonNullable<StateFile['resources'][string]>), updated_at: '2026-11-02T00:00:00Z' };
  t.throws(() => check(replan(saved, desired(), st, live()), st), { code: 'PLAN_STALE', message: /base \(which app depends on\) changed in the state since the plan was made/ });
});

t.test('a dependency that would now act, seen the same', async (t) => {
  // Same observation as when saved, but the re-plan would replace it: never run an extra action.
  const noFeeders = structuredClone(saved);
  const fresh = replan(saved, desired(), current(), { ...live(), base: found(BASE, { ...baseFields, source: { url: 'http://example.com/moved.iso' } }) });
  const base = fresh.changes.find((c) => c.address === 'base');
  t.equal(base?.action, 'replace');
  for (const c of noFeeders.changes) if (c.address === 'base' && base?.observed) c.observed = base.observed;
  t.throws(() => check(fresh, current(), 'digest', noFeeders), { code: 'PLAN_STALE', message: /base \(which app depends on\) would now be replaced \(source cannot be changed in place\), an action the plan does not hold/ });
});

t.test('a plan that did not record its dependencies is refused', async (t) => {
  const old = structuredClone(saved);
  for (const c of old.changes) if (c.address === 'base') delete c.observed;
  t.throws(() => check(replan(saved, desired(), current(), live()), current(), 'digest', old), { code: 'PLAN_STALE', message: /does not record how base \(which app depends on\) looked/ });
});

t.test('the planned change itself differs', async (t) => {
  const moved = structuredClone(saved);
  const app = moved.changes.find((c) => c.address === 'app');
  if (app?.after) app.after['description'] = 'v1';
  t.throws(() => check(replan(saved, desired(), current(), live()), current(), 'digest', moved), { code: 'PLAN_STALE', message: /changes planned for app are no longer the same: its planned description changed/ });
  const gone = structuredClone(saved);
  for (const c of gone.changes) if (c.address === 'app') c.action = 'replace';
  t.throws(() => check(replan(saved, desired(), current(), live()), current(), 'digest', gone), { message: /would now be updated in place, not replaced/ });
});
