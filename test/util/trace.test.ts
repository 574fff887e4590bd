import t from 'tap';
import { traced, tracedSync } from '../../src/util/trace.js';

async function capture(fn: () => Promise<unknown>): Promise<string> {
  const write = process.stderr.write.bind(process.stderr);
  let out = '';
  process.stderr.write = ((chunk: string | Uint8Array) => ((out += String(chunk)), true)) as typeof process.stderr.write;
  try {
    await fn();
  } finally {
    process.stderr.write = write;
  }
  return out;
}

t.test('IMAGECTL_TRACE=1 prints the phase name and times, never what it returned', async (t) => {
  process.env['IMAGECTL_TRACE'] = '1';
  t.teardown(() => delete process.env['IMAGECTL_TRACE']);
  let value: unknown;
  const out = await capture(async () => (value = await traced('state read', async () => 'secret-value')));
  t.equal(value, 'secret-value');
  t.match(out, /^\[trace\] state read: \d+ ms wall, \d+ ms cpu\n$/);
  t.notMatch(out, /secret-value/);
});

t.test('a failing phase is still timed and its error passes through', async (t) => {
  process.env['IMAGECTL_TRACE'] = '1';
  t.teardown(() => delete process.env['IMAGECTL_TRACE']);
  const out = await capture(() => t.rejects(traced('refresh', () => Promise.reject(new Error('boom'))), /boom/));
  t.match(out, /\[trace\] refresh: /);
});

t.test('off by default and with 0', async (t) => {
  for (const v of [undefined, '', '0']) {
    if (v === undefined) delete process.env['IMAGECTL_TRACE'];
    else process.env['IMAGECTL_TRACE'] = v;
    t.equal(await capture(() => traced('config', () => 1)), '');
  }
  delete process.env['IMAGECTL_TRACE'];
});

t.test('tracedSync times a synchronous phase and passes its value and errors through', async (t) => {
  process.env['IMAGECTL_TRACE'] = '1';
  t.teardown(() => delete process.env['IMAGECTL_TRACE']);
  let value: unknown;
  const out = await capture(async () => (value = tracedSync('yaml tree', () => 42)));
  t.equal(value, 42);
  t.match(out, /^\[trace\] yaml tree: \d+ ms wall, \d+ ms cpu\n$/);
  const failed = await capture(async () => t.throws(() => tracedSync('boom', () => { throw new Error('boom'); }), /boom/));
  t.match(failed, /\[trace\] boom: /);
});
