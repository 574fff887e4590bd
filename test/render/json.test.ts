// src/render/json.ts: --json is the Plan itself, with every secret fingerprint replaced by a
// marker wherever it sits, and the Plan it was made from left as it was.
import t from 'tap';
import { planDocument, renderPlanJson } from '../../src/render/json.js';
import { changeOf, planOf } from '../support/plans.js';

const secret = { $secret: 'scrypt$16384$abc' };

t.test('every place a secret can sit is redacted', async (t) => {
  const rows: { name: string; change: ReturnType<typeof changeOf>; where: (doc: any) => unknown }[] = [
    { name: 'after', change: changeOf({ action: 'create', after: { source: { password: secret } } }), where: (d) => d.changes[0].after.source.password },
    { name: 'before', change: changeOf({ action: 'update', before: { source: { password: secret } } }), where: (d) => d.changes[0].before.source.password },
    { name: 'field change before', change: changeOf({ action: 'update', changes: [{ path: '/source', before: secret, forces_replacement: true, sensitive: true, unknown: false }] }), where: (d) => d.changes[0].changes[0].before },
    { name: 'field change after, in a list', change: changeOf({ action: 'update', changes: [{ path: '/tags', after: [secret], forces_replacement: false, sensitive: true, unknown: false }] }), where: (d) => d.changes[0].changes[0].after[0] },
  ];
  for (const r of rows) {
    const plan = planOf([r.change]);
    const doc = planDocument(plan);
    t.equal(r.where(doc), '(sensitive)', r.name);
    t.notMatch(renderPlanJson(plan), /scrypt/, `${r.name}: not in the text`);
    t.match(JSON.stringify(plan), /scrypt/, `${r.name}: the plan itself is not changed`);
  }
});

t.test('the document is the plan, pretty-printed, one line per value', async (t) => {
  const plan = planOf([changeOf({ action: 'create', after: { name: 'u', description: { $unknown: 'b.id' } } })], { warnings: ['w'] });
  const text = renderPlanJson(plan);
  t.same(JSON.parse(text), plan, 'nothing but secrets changes; unknowns stay markers');
  t.equal(text, JSON.stringify(plan, null, 2) + '\n');
});
