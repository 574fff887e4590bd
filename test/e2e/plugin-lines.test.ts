// A plugin that writes an enormous line: a clear plugin error (the line's length, the limit),
// never a RangeError and a stack trace; drift exits 4 (its images are unchecked), plan exits 1.
import t from 'tap';
import { execa } from 'execa';
import { fakePlugin } from '../drivers/external/support.js';
import { BIN } from './support.js';

t.test('a 40 MB protocol line is refused with a clear error', async (t) => {
  const dir = t.testdir({ 'imagectl.yaml': `version: 1
providers:
  lab:
    driver: { command: [node, ./fake.mjs] }
images:
  p:
    provider: lab
    name: p
` });
  // A valid answer, just far too long for one protocol message.
  fakePlugin(dir, `on.list = () => ({ images: [{ id: 'fake-9', name: 'x', attributes: { name: 'x', pad: 'y'.repeat(40 * 1024 * 1024) } }] });`);
  const run = async (args: string[]) => {
    const r = await execa('node', [BIN, ...args], { cwd: dir, env: { NO_COLOR: '1' }, reject: false, stdin: 'ignore' });
    return { code: r.exitCode ?? 1, out: `${String(r.stdout)}\n${String(r.stderr)}` };
  };
  let r = await run(['drift', '--unmanaged']);
  t.equal(r.code, 4, r.out);
  t.match(r.out, /wrote a line longer than 32 MiB/);
  t.notMatch(r.out, /RangeError|\n\s+at /);
  r = await run(['plan']);
  t.equal(r.code, 1, r.out);
  t.match(r.out, /provider 'lab' could not be read: plugin 'fake' .*wrote a line longer than 32 MiB/);
});
