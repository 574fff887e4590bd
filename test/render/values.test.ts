// src/render/values.ts: how values print in plans (never a secret, unknowns said so) and how
// machine output drops even the secrets' fingerprints.
import t from 'tap';
import { formatValue, redact } from '../../src/render/values.js';
import type { JsonValue } from '../../src/util/json.js';

t.test('formatValue: compact, stable, masked where secret or unknown', async (t) => {
  const rows: [string, JsonValue | undefined, string][] = [
    ['absent', undefined, 'null'],
    ['null', null, 'null'],
    ['string, quoted', 'ubuntu "24"', '"ubuntu \\"24\\""'],
    ['number', 42, '42'],
    ['boolean', false, 'false'],
    ['list', ['b', 1], '["b", 1]'],
    ['empty list', [], '[]'],
    ['object, keys sorted', { url: 'u', basic_auth: { username: 'x' } }, '{ basic_auth = { username = "x" }, url = "u" }'],
    ['empty object', {}, '{  }'],
    ['secret', { $secret: 'scrypt$1$abc' }, '(sensitive)'],
    ['unknown', { $unknown: 'base.id' }, '(known after apply)'],
    ['a secret inside a block masks only itself', { username: 'u', password: { $secret: 'fp' } }, '{ password = (sensitive), username = "u" }'],
    ['an unknown inside a list', ['c1', { $unknown: 'a.id' }], '["c1", (known after apply)]'],
  ];
  for (const [name, value, text] of rows) t.equal(formatValue(value), text, name);
});

t.test('redact: secret fingerprints become a plain marker, the rest is kept', async (t) => {
  const rows: [string, JsonValue | undefined, JsonValue | undefined][] = [
    ['scalar', 'x', 'x'],
    ['absent', undefined, undefined],
    ['secret', { $secret: 'fp' }, '(sensitive)'],
    ['nested', { a: { b: [{ $secret: 'fp' }, 1] } }, { a: { b: ['(sensitive)', 1] } }],
    ['unknown stays a marker', { $unknown: 'a.id' }, { $unknown: 'a.id' }],
  ];
  for (const [name, value, out] of rows) t.same(redact(value), out, name);
  const input = { p: { $secret: 'fp' } };
  redact(input);
  t.same(input, { p: { $secret: 'fp' } }, 'the input is not changed');
});
