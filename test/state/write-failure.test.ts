// Issue 14 §9: a state write that fails (ENOSPC, a disk full; EACCES; EIO) gives one line and a
// clean exit, the previous state intact, and no lock left behind. The failure is injected through
// atomic-write.ts's seam: while `failing` is set, the temp file is opened for real and its write
// fails half way, as on a full disk.
import t from 'tap';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { main } from '../../src/cli.js';
import { writeSeam } from '../../src/state/atomic-write.js';
import { setResource } from '../../src/state/intents.js';
import { LocalStateStore } from '../../src/state/local-store.js';
import { fakeIo } from '../support/fake-io.js';
import { makeResource } from './fixtures/builders.js';

let failing = false;
writeSeam.open = (async (...args: Parameters<typeof open>) => {
  const handle = await open(...args);
  if (!failing) return handle;
  const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
  return Object.assign(Object.create(handle) as typeof handle, {
    writeFile: async (text: string) => {
      await handle.write(String(text).slice(0, 10));
      throw full;
    },
  });
}) as typeof open;
t.teardown(() => void (writeSeam.open = open));
t.afterEach(() => void (failing = false));

t.test('the store: one line naming the file and the cause, the previous state kept', async (t) => {
  const path = join(t.testdir(), 'state.json');
  const store = new LocalStateStore(path);
  const before = await store.write(setResource(await store.read(), makeResource('web')));
  const text = readFileSync(path, 'utf8');
  failing = true;
  const err = (await store.write(setResource(before, makeResource('db'))).catch((e: unknown) => e)) as Error & { code: string };
  t.equal(err.code, 'STATE_WRITE_FAILED');
  t.equal(err.message.split('\n').length, 1, 'one line');
  t.match(err.message, `cannot write state file ${path}: ENOSPC: no space left on device, write. Nothing was lost: it still holds the previous state (serial ${before.serial}); free some space`);
  t.equal(readFileSync(path, 'utf8'), text, 'the previous state is intact');
  t.same(readdirSync(join(path, '..')).filter((n) => n.includes('.tmp-')), [], 'the partial temp file is removed');
  failing = false;
  t.equal((await store.write(setResource(before, makeResource('db')))).serial, before.serial + 1, 'the next write, with space again, goes through');
});

const cfg = `version: 1
providers:
  lab: { driver: nutanix, simulator: true }
images:
  iso:
    provider: lab
    name: full-disk
    description: DESCRIPTION
    type: ISO_IMAGE
    source: { url: http://images.example.com/full.iso }
`;

t.test('apply on a full disk: exit 1, one line, no trace, state kept, lock released', async (t) => {
  const dir = t.testdir();
  const file = join(dir, 'imagectl.yaml');
  writeFileSync(file, cfg.replace('DESCRIPTION', 'first'));
  let io = fakeIo();
  t.equal(await main(['apply', '--auto-approve', '-c', file], io), 0, io.stderr);
  const statePath = join(dir, '.imagectl', 'state.json');
  const before = readFileSync(statePath, 'utf8');

  writeFileSync(file, cfg.replace('DESCRIPTION', 'second'));
  failing = true;
  io = fakeIo();
  t.equal(await main(['apply', '--auto-approve', '-c', file], io), 1, io.stdout + io.stderr);
  t.match(io.stderr, /Error: iso: cannot write state file .*state\.json: ENOSPC: no space left on device, write\. Nothing was lost/);
  t.notMatch(io.stderr, /\n\s+at .*:\d+:\d+/, 'no stack trace');
  t.notMatch(io.stderr, /internal error/);
  t.equal(readFileSync(statePath, 'utf8'), before, 'the state is the previous one');
  const left = readdirSync(join(dir, '.imagectl'));
  t.notOk(left.some((n) => n.includes('.lock') || n.includes('.tmp-')), `no lock or temp file left behind: ${left.join(' ')}`);
  t.notOk(existsSync(`${statePath}.lock`));

  failing = false;
  io = fakeIo();
  t.equal(await main(['apply', '--auto-approve', '-c', file], io), 0, io.stderr);
  t.match(readFileSync(statePath, 'utf8'), /"second"/, 'with space again, the next apply converges');
});
