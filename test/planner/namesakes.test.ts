// The namesake check, table by table: only a create (or a replacement) whose name an image the
// state does not own already holds fails the plan; opt-ins, ownership and interrupted creates
// let it through; a cloud with unique names always says the create would be refused.
import t from 'tap';
import type { ObservedImage } from '../../src/fields/observed.js';
import { plan } from '../../src/planner/index.js';
import { checkNamesakes } from '../../src/planner/namesakes.js';
import type { PlanImage } from '../../src/planner/input.js';
import type { StateFile } from '../../src/state/types.js';
import { image, input, iso, resource, state, uniqueSchema } from '../support/builders.js';
import { nutanixSchema } from '../../src/drivers/nutanix/schema.js';

const ID = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';
const listedImage = (id: string, name: string): ObservedImage => ({ id, name, attributes: { ...iso, name } });

function run(desired: PlanImage[], st: StateFile, listed: Record<string, ObservedImage[]>) {
  const p = plan(input(desired, st));
  checkNamesakes({ plan: p, desired: Object.fromEntries(desired.map((d) => [d.address, d])), state: st, listed, schemas: { nutanix: nutanixSchema, unique: uniqueSchema } });
  return p;
}

t.test('a create whose name an unowned image holds fails the plan, naming it and the import', async (t) => {
  const p = run([image('a', iso)], state(), { prod: [listedImage(ID, 'ubuntu'), listedImage(OTHER, 'other')] });
  t.same(p.errors, [
    `a: provider prod (nutanix) already holds an image named "ubuntu" (id ${ID}) that this state does not own; creating would make a duplicate: ` +
      `if it is this image, adopt it with \`imagectl import a ${ID}\`; if a duplicate is intended, set lifecycle.allow_duplicate_name: true on a ` +
      '(or allow_duplicate_names: true on provider prod)',
  ]);
  const two = run([image('a', iso)], state(), { prod: [listedImage(ID, 'ubuntu'), listedImage(OTHER, 'ubuntu')] });
  t.match(two.errors[0], `2 images named "ubuntu" (ids ${ID}, ${OTHER})`);
});

t.test('what passes', async (t) => {
  const cases: { name: string; desired: PlanImage[]; st: StateFile; listed: Record<string, ObservedImage[]> }[] = [
    { name: 'no namesake', desired: [image('a', iso)], st: state(), listed: { prod: [listedImage(ID, 'debian')] } },
    { name: 'the namesake is owned by another address of this state', desired: [image('a', iso), image('b', iso)], st: state([resource('b', ID, iso)]), listed: { prod: [listedImage(ID, 'ubuntu')] } },
    {
      name: 'the namesake is a deposed image of this state (its delete failed)',
      desired: [image('a', iso)],
      st: state([{ ...resource('b', OTHER, iso), deposed: [{ key: '0a0b0c0d', id: ID, provider: 'prod', driver: 'nutanix', inputs: iso, attributes: iso, since: '2026-12-01T00:00:00Z' }] }]),
      listed: { prod: [listedImage(ID, 'ubuntu')] },
    },
    { name: 'the namesake is on another provider', desired: [image('a', iso)], st: state(), listed: { prod: [], other: [listedImage(ID, 'ubuntu')] } },
    { name: 'the image opts in', desired: [image('a', iso, { lifecycle: { prevent_destroy: false, ignore_changes: [], allow_duplicate_name: true } })], st: state(), listed: { prod: [listedImage(ID, 'ubuntu')] } },
    { name: 'no create: the image is managed already', desired: [image('a', iso)], st: state([resource('a', OTHER, iso)]), listed: { prod: [listedImage(ID, 'ubuntu'), listedImage(OTHER, 'ubuntu')] } },
  ];
  for (const c of cases) t.same(run(c.desired, c.st, c.listed).errors, [], c.name);

  const st = state();
  st.pending['op'] = { op_id: 'op', address: 'a', provider: 'prod', driver: 'nutanix', action: 'create', idempotency_key: 'k', started_at: '2026-11-01T00:00:00Z' };
  t.same(run([image('a', iso)], st, { prod: [listedImage(ID, 'ubuntu')] }).errors, [], 'an interrupted create of this address: the next apply adopts it');
});

t.test('a replacement that takes a name an unowned image holds', async (t) => {
  const st = state([resource('a', OTHER, iso)]);
  const renamed = { ...iso, name: 'taken', source: { url: 'http://example.com/b.iso' } };
  const p = run([image('a', renamed)], st, { prod: [listedImage(OTHER, 'ubuntu'), listedImage(ID, 'taken')] });
  t.equal(p.changes[0]?.action, 'replace');
  t.match(p.errors[0], `already holds an image named "taken" (id ${ID})`);
});

t.test('unique names: the opt-in cannot help, the create would be refused (409)', async (t) => {
  const d = image('a', iso, { driver: 'unique', lifecycle: { prevent_destroy: false, ignore_changes: [], allow_duplicate_name: true } });
  const p = run([d], state(), { prod: [listedImage(ID, 'ubuntu')] });
  t.match(p.errors[0], /a: provider prod \(unique\) already holds .* names are unique there, so the create would be refused \(409\): if it is this image, adopt it with `imagectl import a 1111/);
});

t.test('a provider that was not listed cannot be checked, and says so', async (t) => {
  const p = run([image('a', iso)], state(), {});
  t.same(p.errors, []);
  t.match(p.warnings, [/provider prod was not listed, so images to create were not checked/]);
});
