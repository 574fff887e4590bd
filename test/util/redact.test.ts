// The shared redactor against hostile passwords: every encoding in which a secret can come back
// (echoed JSON, a JSON body quoted in JSON, \u escapes, URL and form encoding, HTML entities,
// base64 and base64url, base64 of user:password as in Basic auth) must be masked.
import t from 'tap';
import { redact } from '../../src/drivers/http/index.js';
import { Scrubber } from '../../src/drivers/external/scrub.js';
import { Redactor } from '../../src/util/redact.js';

const HOSTILE = ['pa"ss\\wo/rd 1+%2F', 'q"uo\\te', 'pässwörd€ <&>\'', 'tab\there\nnl', 'plainPassw0rd'];

/** \u-escapes every non-alphanumeric character, as strict JSON encoders may. */
const uEscape = (s: string): string => s.replace(/[^A-Za-z0-9]/g, (c) => [...Array(c.length).keys()].map((i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0').toUpperCase()}`).join(''));

function encodings(pw: string): Record<string, string> {
  const json1 = JSON.stringify(pw).slice(1, -1);
  return {
    raw: pw,
    'JSON-escaped': json1,
    'JSON-escaped twice': JSON.stringify(json1).slice(1, -1),
    'JSON \\u-escaped': uEscape(pw),
    'URL-encoded': encodeURIComponent(pw),
    'URL-encoded, lower-case hex': encodeURIComponent(pw).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    'form-encoded': new URLSearchParams({ v: pw }).toString().slice(2),
    'HTML-escaped': pw.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&#39;'),
    base64: Buffer.from(pw).toString('base64'),
    base64url: Buffer.from(pw).toString('base64url'),
    'base64 of user:password': Buffer.from(`robot:${pw}`).toString('base64'),
    'base64 of form-encoded id:secret': Buffer.from(`client%201:${new URLSearchParams({ v: pw }).toString().slice(2)}`).toString('base64'),
    'base64 of user:password, JSON-escaped': JSON.stringify(`Basic ${Buffer.from(`admin:${pw}`).toString('base64')}`),
  };
}

t.test('http redact masks a hostile password in every encoding that reaches output', async (t) => {
  for (const pw of HOSTILE) {
    for (const [name, form] of Object.entries(encodings(pw))) {
      const text = `error: you sent {"password":"${form}"} and authorization=Basic ${form}; bye`;
      const out = redact(text, [pw]);
      t.notOk(out.includes(form), `${name} of ${JSON.stringify(pw)} is masked: ${out}`);
      t.match(out, /^error: you sent/, 'the rest of the message stays');
    }
  }
});

t.test('the plugin scrubber uses the same mechanism', async (t) => {
  const s = new Scrubber();
  for (const pw of HOSTILE) s.add(pw);
  for (const pw of HOSTILE) {
    for (const [name, form] of Object.entries(encodings(pw))) {
      const out = s.scrub(`description: ${form} (end)`);
      t.notOk(out.includes(form), `${name} of ${JSON.stringify(pw)} is masked`);
      t.match(out, /\(sensitive\)/);
    }
  }
});

t.test('ordinary text is left alone', async (t) => {
  const r = new Redactor(['S3cr3t-Value', 'abc']);
  const text = 'GET /api/vmm/v4.0/content/images?$filter=name eq \'x\': HTTP 500: VMM-20001 Internal error dGVzdA== abc';
  t.equal(r.redact(text), text, 'nothing matches: unchanged (secrets under 4 characters are ignored)');
  t.notOk(r.contains(text));
  t.ok(r.contains('s3 S3cr3t-Value'));
  t.equal(r.redact('x S3cr3t-Value y'), 'x *** y');
  t.equal(new Redactor([]).redact('S3cr3t-Value'), 'S3cr3t-Value');
});

t.test('a secret containing another is masked whole', async (t) => {
  t.equal(redact('long: hunter2-and-more, short: hunter2', ['hunter2', 'hunter2-and-more']), 'long: ***, short: ***');
});
