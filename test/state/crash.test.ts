// A writer killed at any moment must leave a readable state: the previous one or the new one,
// never a torn file, and never a temp file mistaken for state. And a reader never sees the state
// missing or half written, which is what tells an atomic write (temp file, rename) from a
// delete-then-write or truncate-then-write one. Kill moments come from a seeded PRNG: the seed is
// printed, and IMAGECTL_TEST_SEED=N replays a run.
import t from 'tap';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LocalStateStore } from '../../src/state/local-store.js';
import { tempPathFor } from '../../src/state/atomic-write.js';
import { setResource } from '../../src/state/intents.js';
import { bigState, makeResource } from './fixtures/builders.js';
import { forkFixture } from './fixtures/children.js';

const seed = Number(process.env['IMAGECTL_TEST_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
t.comment(`seed ${seed} (replay with IMAGECTL_TEST_SEED=${seed})`);

/** mulberry32: small, fast, good enough to spread kill moments; the same seed, the same moments. */
function prng(s: number): () => number {
  let a = s >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

t.test('a writer killed mid-write (simulated with plain fs) leaves the previous state', async (t) => {
  const dir = t.testdir();
  const path = join(dir, 'state.json');
  const store = new LocalStateStore(path);
  const before = await store.write(bigState(50, await store.read()));
  // Same naming as the store's temp files: `<state>.tmp-<pid>-<random>`.
  t.match(tempPathFor(path), `${path}.tmp-${process.pid}-`);
  const script = join(dir, 'crash.mjs');
  await writeFile(
    script,
    `import { openSync, writeSync, fsyncSync } from 'node:fs';
     const text = JSON.stringify({ format: 'imagectl-state', version: 1, serial: 999, resources: {} });
     const fd = openSync(process.argv[2] + '.tmp-' + process.pid + '-0badf00d', 'wx', 0o600);
     writeSync(fd, text.slice(0, 40));
     fsyncSync(fd);
     process.kill(process.pid, 'SIGKILL');`,
  );
  const child = spawn(process.execPath, [script, path], { stdio: 'inherit' });
  const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
  t.equal(signal, 'SIGKILL', 'the child died before renaming');
  t.equal(code, null);
  const stray = `${path}.tmp-${child.pid}-0badf00d`;
  t.ok(existsSync(stray), 'it left a partial temp file');
  const fresh = new LocalStateStore(path);
  t.same(await fresh.read(), before, 'read() gives the previous state');
  await fresh.write(setResource(before, makeResource('after-crash')));
  t.notOk(existsSync(stray), 'the next write removes the dead writer temp file');
});

t.test('the real store, SIGKILLed at random moments while writing a large state', async (t) => {
  const dir = t.testdir();
  const path = join(dir, 'state.json');
  const store = new LocalStateStore(path);
  const initial = await store.write(bigState(3_000, await store.read()));
  let lastSerial = initial.serial;
  const rounds = 5;
  const random = prng(seed);
  // Start every child up front (TypeScript start-up is the slow part); each waits for 'go'.
  const children = Array.from({ length: rounds }, () => forkFixture('writer-child.ts', [path]));
  for (let round = 0; round < rounds; round++) {
    const child = children[round]!;
    t.same(await child.next(), { ready: true });
    child.proc.send('go');
    const first = (await child.next()) as { writing: boolean; serial: number };
    t.ok(first.writing, `round ${round}: the child is writing`);
    const delay = 5 + Math.floor(random() * 120);
    await sleep(delay);
    child.proc.kill('SIGKILL');
    await child.exited;
    const at = `round ${round}, killed after ${delay} ms (seed ${seed})`;
    const state = await new LocalStateStore(path).read().catch((e: unknown) => t.fail(`${at}: ${String(e)}`));
    if (state === true || state === false) return;
    t.equal(state.lineage, initial.lineage, `${at}: same lineage`);
    t.ok(state.serial >= lastSerial, `${at}: serial ${state.serial} did not go back`);
    t.equal(Object.keys(state.resources).length, 3_001, `${at}: complete state`);
    lastSerial = state.serial;
  }
  t.ok(lastSerial >= initial.serial + rounds, `the children did write (serial ${initial.serial} → ${lastSerial})`);
  const names = await readdir(dir);
  t.ok(names.every((n) => /^state\.json(\.[1-5]|\.tmp-\d+-[0-9a-f]+)?$/.test(n)), `only state, backups and temps: ${names.join(' ')}`);
  // A kill in the middle of a rotation may leave one generation missing until the next write,
  // which fills it (backups.ts): after one clean write all five are there and readable.
  const survivor = new LocalStateStore(path);
  await survivor.write(setResource(await survivor.read(), makeResource('after-the-kills')));
  for (let g = 1; g <= 5; g++) {
    t.ok(existsSync(`${path}.${g}`), `backup .${g} exists`);
    const backup = await new LocalStateStore(`${path}.${g}`).read();
    t.equal(backup.lineage, initial.lineage, `backup .${g} is readable`);
  }
});

t.test('a reader polling during 150 writes never finds the state missing or half written', async (t) => {
  const dir = t.testdir();
  const path = join(dir, 'state.json');
  const store = new LocalStateStore(path);
  let state = await store.write(bigState(1_500, await store.read()));
  const reader = forkFixture('reader-child.ts', [path]);
  t.same(await reader.next(), { ready: true });
  const writes = 150;
  for (let i = 0; i < writes; i++) state = await store.write(setResource(state, makeResource('counter', { attributes: { i } })));
  reader.proc.send('stop');
  const seen = (await reader.next()) as { reads: number; missing: number; partial: number; generations: number };
  await reader.exited;
  t.equal(seen.missing, 0, `never missing (${seen.reads} reads)`);
  t.equal(seen.partial, 0, 'never a partial or invalid file');
  t.ok(seen.generations > 1, `the reader did see the file change (${seen.generations} generations)`);
});
