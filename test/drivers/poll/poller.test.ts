// The session poller with a scripted reader: which keys each read carries, how many reads run at
// once, and what each wait resolves or rejects with. No assertion depends on how long anything took.
import t from 'tap';
import { DriverError } from '../../../src/drivers/contract.js';
import { MAX_POLL_FAILURES, Poller, type PollReader, type ReadOutcome, type WaitSpec } from '../../../src/drivers/poll/index.js';

const TIMING = { minMs: 5, fineMs: 2, ratio: 0.1, maxMs: 20, lead: 0.9 };

/** A reader over a table of states: `done` keys answer 'done', others 'running'. */
function scripted(batch: number, concurrency = 4) {
  const done = new Set<string>();
  const failing = new Map<string, () => unknown>();
  const reads: string[][] = [];
  let inFlight = 0;
  let peak = 0;
  const reader: PollReader<string> = {
    batch,
    concurrency,
    async read(keys) {
      reads.push([...keys]);
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, 1));
      inFlight--;
      const out = new Map<string, ReadOutcome<string>>();
      for (const k of keys) {
        const error = failing.get(k)?.();
        out.set(k, error !== undefined ? { ok: false, error } : { ok: true, value: done.has(k) ? 'done' : 'running' });
      }
      return out;
    },
  };
  return { reader, done, failing, reads, peak: () => peak };
}

function spec(key: string, extra: Partial<WaitSpec<string, string>> = {}): WaitSpec<string, string> {
  return {
    key,
    kind: 'create',
    subject: `task ${key}`,
    timeoutMs: 5000,
    check: (v) => (v === 'done' ? `${key} finished` : undefined),
    timedOut: () => new DriverError('timeout', `${key} timed out`),
    ...extra,
  };
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

t.test('a batched reader reads every due wait in one request', async (t) => {
  const s = scripted(50);
  const poller = new Poller(s.reader, { timing: TIMING });
  const waits = ['a', 'b', 'c', 'd', 'e'].map((k) => poller.wait(spec(k)));
  await settle(30);
  for (const k of ['a', 'b', 'c', 'd', 'e']) s.done.add(k);
  t.same(await Promise.all(waits), ['a finished', 'b finished', 'c finished', 'd finished', 'e finished']);
  t.same(s.reads[0]?.slice().sort(), ['a', 'b', 'c', 'd', 'e'], 'the first read carries all five');
  t.ok(s.reads.every((r) => r.length === 5), 'and so does every read after it');
  t.equal(poller.pending, 0);
});

t.test('a batch never exceeds the reader\'s size, and reads in flight never exceed its concurrency', async (t) => {
  const s = scripted(3, 2);
  const poller = new Poller(s.reader, { timing: TIMING });
  const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
  const waits = keys.map((k) => poller.wait(spec(k)));
  await settle(30);
  for (const k of keys) s.done.add(k);
  await Promise.all(waits);
  t.ok(s.reads.every((r) => r.length <= 3), `batches: ${s.reads.map((r) => r.length).join(' ')}`);
  t.ok(s.peak() <= 2, `peak ${s.peak()} reads at once`);
});

t.test('one read per key where the API has no batch read', async (t) => {
  const s = scripted(1, 8);
  const poller = new Poller(s.reader, { timing: TIMING });
  s.done.add('a');
  s.done.add('b');
  t.same(await Promise.all([poller.wait(spec('a')), poller.wait(spec('b'))]), ['a finished', 'b finished']);
  t.same(s.reads.map((r) => r.length), [1, 1]);
});

t.test('what check throws is the wait\'s error, as it is; the others go on', async (t) => {
  const s = scripted(50);
  const poller = new Poller(s.reader, { timing: TIMING });
  const failed = new DriverError('failed', 'task x FAILED', { definitive: true });
  const bad = poller.wait(spec('x', { check: () => { throw failed; } }));
  const good = poller.wait(spec('y'));
  t.equal(await bad.catch((e: unknown) => e), failed);
  s.done.add('y');
  t.equal(await good, 'y finished');
});

t.test('failed reads: retried while they may pass, then a non-definitive error naming the subject', async (t) => {
  const s = scripted(1);
  const poller = new Poller(s.reader, { timing: TIMING });
  let n = 0;
  s.failing.set('flaky', () => (++n < MAX_POLL_FAILURES ? new DriverError('transient', 'HTTP 503') : undefined));
  s.done.add('flaky');
  const flaky = poller.wait(spec('flaky'));
  t.equal(await flaky, 'flaky finished', `${MAX_POLL_FAILURES - 1} failures in a row are survived`);

  s.failing.set('down', () => new DriverError('transient', 'HTTP 503'));
  t.match(await poller.wait(spec('down')).catch((e: unknown) => e), { kind: 'transient', definitive: false, message: /^while waiting for task down: HTTP 503/ });
  s.failing.set('auth', () => new DriverError('auth', 'HTTP 401', { definitive: true }));
  t.match(await poller.wait(spec('auth')).catch((e: unknown) => e), { kind: 'auth', definitive: false, message: /task auth/ }, 'not retried, and no longer definitive');
});

t.test('the deadline: the caller\'s timeout error', async (t) => {
  const s = scripted(50);
  const poller = new Poller(s.reader, { timing: TIMING });
  t.match(await poller.wait(spec('slow', { timeoutMs: 15 })).catch((e: unknown) => e), { kind: 'timeout', message: 'slow timed out' });
  t.equal(poller.pending, 0);
});

t.test('an aborted wait rejects at once; a read all of whose waits stopped is aborted', async (t) => {
  let signal: AbortSignal | undefined;
  let release: () => void = () => undefined;
  const reader: PollReader<string> = {
    batch: 50,
    concurrency: 1,
    read: (keys, s) => {
      signal = s;
      return new Promise((resolve) => (release = () => resolve(new Map(keys.map((k) => [k, { ok: true, value: 'running' }])))));
    },
  };
  const poller = new Poller(reader, { timing: TIMING });
  const ac = new AbortController();
  const wait = poller.wait(spec('a', { signal: ac.signal, abortNote: '; it may still finish' }));
  while (!signal) await settle(1);
  ac.abort();
  t.match(await wait.catch((e: unknown) => e), { kind: 'transient', definitive: false, message: 'stopped waiting for task a (aborted); it may still finish' });
  t.ok(signal.aborted, 'the read it was in was aborted');
  release();
  t.equal(poller.pending, 0);
  const gone = new AbortController();
  gone.abort();
  t.match(await poller.wait(spec('b', { signal: gone.signal })).catch((e: unknown) => e), { message: /stopped waiting for task b/ });
});

t.test('close() stops every wait', async (t) => {
  const s = scripted(50);
  const poller = new Poller(s.reader, { timing: TIMING });
  const wait = poller.wait(spec('a'));
  poller.close();
  t.match(await wait.catch((e: unknown) => e), { kind: 'transient', definitive: false, message: /session closed/ });
});

t.test('a later wait of the same kind reads first near the typical duration: fewer reads', async (t) => {
  // Done 60 ms after each wait starts. The first wait knows nothing and reads every few ms; the
  // second starts its reads at 0.9 × the first one's duration.
  const started = new Map<string, number>();
  const reads = new Map<string, number>();
  const reader: PollReader<string> = {
    batch: 1,
    concurrency: 4,
    read: async ([k]) => {
      const key = k as string;
      reads.set(key, (reads.get(key) ?? 0) + 1);
      return new Map([[key, { ok: true, value: Date.now() - (started.get(key) ?? 0) >= 60 ? 'done' : 'running' }]]);
    },
  };
  const poller = new Poller(reader, { timing: { minMs: 5, fineMs: 5, ratio: 0.05, maxMs: 50, lead: 0.9 } });
  started.set('first', Date.now());
  await poller.wait(spec('first'));
  started.set('second', Date.now());
  await poller.wait(spec('second'));
  const [first, second] = [reads.get('first') ?? 0, reads.get('second') ?? 0];
  t.ok(second < first, `second wait: ${second} reads, first: ${first}`);
});
