import t from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { plan } from '../../src/planner/index.js';
import { renderPlanText } from '../../src/render/text.js';
import { planDocument } from '../../src/render/json.js';
import { found, image, input, iso, resource, state, uniqueSchema } from '../support/builders.js';

const id = '11111111-1111-4111-8111-111111111111';
const live = { ...iso, source: { url: 'http://example.com/a.iso', should_allow_insecure_url: false } };

function mixedPlan() {
  const st = state([
    resource('renamed', id, iso),
    resource('moved', '22222222-2222-4222-8222-222222222222', iso),
    resource('gone', '33333333-3333-4333-8333-333333333333', iso),
    resource('kept', '44444444-4444-4444-8444-444444444444', { ...iso, name: 'kept' }, { driver: 'unique' }),
  ]);
  return plan(input([
    image('new', { ...iso, name: 'new', source: { url: 'http://example.com/n.iso', basic_auth: { username: 'u', password: { $secret: 'scrypt$16384$abc' } } } }),
    image('renamed', { ...iso, name: 'renamed-v2' }),
    image('moved', { ...iso, source: { url: 'http://example.com/b.iso' } }),
    image('kept', { ...iso, name: 'kept', source: { url: 'http://example.com/k.iso' } }, { driver: 'unique' }),
    image('derived', { name: 'd', type: 'DISK_IMAGE', source: { ext_id: { ref: 'new.id' } } }, { depends_on: ['new'] }),
  ], st, {
    renamed: found(id, { ...live, description: 'edited by hand' }),
    moved: found('22222222-2222-4222-8222-222222222222', live),
    gone: found('33333333-3333-4333-8333-333333333333', live),
    kept: found('44444444-4444-4444-8444-444444444444', { ...live, name: 'kept' }),
  }));
}

t.test('text output matches the golden file', async (t) => {
  const text = renderPlanText(mixedPlan(), { colour: false });
  const golden = join(import.meta.dirname, 'golden', 'mixed-plan.txt');
  // Written only when asked: a snapshot that is missing (moved, renamed) must fail, not be remade.
  if (process.env['UPDATE_GOLDEN']) writeFileSync(golden, text);
  t.equal(text, readFileSync(golden, 'utf8'));
  t.notMatch(text, /scrypt/, 'secret fingerprints never printed');
  t.match(text, /\(sensitive\)/);
  t.match(text, /\(known after apply\)/);
  t.match(text, /# forces replacement/);
  t.match(text, /-\/\+ image "kept"/);
  t.match(text, /\+\/- image "moved"/);
  t.match(text, /Plan: 4 to add, 1 to change, 3 to destroy\./);
});

t.test('colour only when asked', async (t) => {
  t.notMatch(renderPlanText(mixedPlan(), { colour: false }), /\u001b\[/);
  t.match(renderPlanText(mixedPlan(), { colour: true }), /\u001b\[32m\+/);
});

t.test('--json document validates against schemas/plan.schema.json and holds no fingerprint', async (t) => {
  const schema = JSON.parse(readFileSync(join(import.meta.dirname, '../../schemas/plan.schema.json'), 'utf8'));
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats.default(ajv);
  const validate = ajv.compile(schema);
  const doc = planDocument(mixedPlan());
  t.ok(validate(doc), JSON.stringify(validate.errors));
  t.notMatch(JSON.stringify(doc), /scrypt/);
  const broken = { ...(doc as object), version: 2 };
  t.notOk(validate(broken), 'the schema can fail');
});

t.test('no changes', async (t) => {
  const p = plan(input([image('a', iso)], state([resource('a', id, iso)]), { a: found(id, live) }));
  t.equal(renderPlanText(p, { colour: false }), 'No changes. Images match the configuration.\n');
  void uniqueSchema;
});
