// The state validators built ahead of time by `npm run build` (dist/validators/state.cjs):
// current, actually used, and answering as ajv compiling the schema at run time does.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { STATE_BUNDLE, validators } from '../../src/state/schema.js';
import { emptyState } from '../../src/state/format.js';
import { BUILT_DIR, loadBuilt } from '../../src/validators/built.js';
import { renderBuilt } from '../../src/validators/render.js';
import { compileNow } from '../validators/compile-now.js';
import { makeIntent, makeResource } from './fixtures/builders.js';

const built = loadBuilt(STATE_BUNDLE);

t.test('dist/validators/state.cjs is the one built from schemas/state.schema.json (run npm run build)', async (t) => {
  t.ok(readFileSync(join(BUILT_DIR, 'state.cjs'), 'utf8') === renderBuilt(STATE_BUNDLE), 'same text as built now');
});

t.test('reads and writes use the built validators', async (t) => {
  const v = validators();
  t.equal(v.state, built('state'));
  t.equal(v.resource, built('resource'));
  t.equal(v.intent, built('intent'));
});

t.test('they accept and refuse what run-time compiled ones do, with the same errors', async (t) => {
  const runtime = compileNow(STATE_BUNDLE);
  const good = { ...emptyState(), resources: { a: makeResource('a') }, pending: { op: makeIntent('op') } };
  const cases: unknown[] = [
    good,
    { ...good, serial: -1 },
    { ...good, lineage: 'not-a-uuid', extra: 1 },
    { ...good, resources: { a: { ...makeResource('a'), updated_at: 'yesterday', id: '' } } },
    { ...good, pending: { op: { ...makeIntent('op'), action: 'explode' } } },
    [],
  ];
  for (const name of ['state', 'resource', 'intent']) {
    const live = runtime(name);
    const ahead = built(name);
    for (const doc of [...cases, makeResource('b'), makeIntent('op2'), { ...makeResource('c'), id: 3 }]) {
      t.equal(ahead(doc), live(doc), `${name}: same verdict`);
      // JSON: the built code holds copies of the schemas, so compare contents, not identities.
      t.equal(JSON.stringify(ahead.errors ?? null), JSON.stringify(live.errors ?? null), `${name}: same errors`);
    }
  }
});
