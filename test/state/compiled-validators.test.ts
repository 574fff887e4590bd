// The state validators compiled ahead of time (src/state/generated/state-validators.ts): fresh,
// actually used, and answering as ajv compiling the schema at run time does.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED_STATE_VALIDATORS_PATH, renderStateValidators } from '../../src/state/compile-validators.js';
import * as generated from '../../src/state/generated/state-validators.js';
import { newStateAjv, stateSchemaDigest, stateSchemaSource, validators } from '../../src/state/schema.js';
import { emptyState } from '../../src/state/format.js';
import { makeIntent, makeResource } from './fixtures/builders.js';

const root = join(import.meta.dirname, '../..');

t.test(`${GENERATED_STATE_VALIDATORS_PATH} is the freshly generated one (run npm run gen:schemas)`, async (t) => {
  t.equal(generated.digest, stateSchemaDigest(), 'compiled from schemas/state.schema.json as it is');
  t.ok(readFileSync(join(root, GENERATED_STATE_VALIDATORS_PATH), 'utf8') === renderStateValidators(), 'same text as generated now');
});

t.test('reads and writes use the ahead-of-time validators', async (t) => {
  const v = validators();
  t.equal(v.state, generated.state);
  t.equal(v.resource, generated.resource);
  t.equal(v.intent, generated.intent);
});

t.test('they accept and refuse what run-time compiled ones do, with the same errors', async (t) => {
  const ajv = newStateAjv();
  const schema = JSON.parse(stateSchemaSource()) as { $id: string };
  const live = ajv.compile(schema);
  const good = { ...emptyState(), resources: { a: makeResource('a') }, pending: { op: makeIntent('op') } };
  const cases: unknown[] = [
    good,
    { ...good, serial: -1 },
    { ...good, lineage: 'not-a-uuid', extra: 1 },
    { ...good, resources: { a: { ...makeResource('a'), updated_at: 'yesterday', id: '' } } },
    { ...good, pending: { op: { ...makeIntent('op'), action: 'explode' } } },
    [],
  ];
  for (const doc of cases) {
    const a = live(doc);
    const b = (generated.state as typeof live)(doc);
    t.equal(b, a);
    t.same((generated.state as typeof live).errors ?? null, live.errors ?? null);
  }
});
