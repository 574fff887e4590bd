import t from 'tap';
import { randomUUID } from 'node:crypto';
import { harness, ISO, raw, type Harness } from './sim-session.js';

t.test('list: 250 images in 3 pages of 100, pages 1 and 2 fetched in parallel', async (t) => {
  const c = counting();
  const { sim, session } = await harness(t, { parallelism: 4, tuning: { http: { fetch: c.fetch } } });
  for (let batch = 0; batch < 10; batch++) {
    await Promise.all(
      Array.from({ length: 25 }, (_v, i) =>
        raw(sim, 'POST', '/api/vmm/v4.0/content/images', { ...ISO, name: `img-${batch * 25 + i}`, source: { $objectType: 'vmm.v4.content.UrlSource', url: ISO.source.url } }, { 'NTNX-Request-Id': randomUUID() }),
      ),
    );
  }
  await new Promise((r) => setTimeout(r, 80)); // every create task done (30 ms each)
  t.equal(sim.listImages().length, 250);

  sim.setFaults({ latencyMs: 40 }); // makes the overlap of parallel pages observable
  const before = sim.exchanges.length;
  const result = await session.list();
  sim.setFaults(undefined);
  t.equal(result.images.length, 250);
  t.equal(new Set(result.images.map((i) => i.id)).size, 250, 'no duplicates');
  t.equal(result.requests, 3);
  const pages = sim.exchanges.slice(before).map((e) => [e.query['$page'], e.query['$limit']]);
  t.same(pages.sort(), [['0', '100'], ['1', '100'], ['2', '100']]);
  t.equal(c.peak.pages, 2, 'the two remaining pages were in flight together');
  t.ok(result.images.every((i) => i.etag === undefined && !JSON.stringify(i).includes('password')));
});

t.test('list of an empty PC is one request and no images', async (t) => {
  const { session } = await harness(t);
  t.same(await session.list(), { images: [], requests: 1 });
});

/** A fetch that records the peak of requests in flight, list pages and the rest apart. */
function counting(): { fetch: typeof fetch; peak: { pages: number; other: number }; reset(): void } {
  const now = { pages: 0, other: 0 };
  const peak = { pages: 0, other: 0 };
  const wrapped: typeof fetch = async (input, init) => {
    const k = new URL(String(input)).pathname.endsWith('/content/images') ? 'pages' : 'other';
    now[k]++;
    peak[k] = Math.max(peak[k], now[k]);
    try {
      return await fetch(input, init);
    } finally {
      now[k]--;
    }
  };
  return { fetch: wrapped, peak, reset: () => Object.assign(peak, { pages: 0, other: 0 }) };
}

async function seedImages(sim: Harness['sim'], n: number): Promise<void> {
  await Promise.all(
    Array.from({ length: n }, (_v, i) =>
      raw(sim, 'POST', '/api/vmm/v4.0/content/images', { ...ISO, name: `p-${i}`, source: { $objectType: 'vmm.v4.content.UrlSource', url: ISO.source.url } }, { 'NTNX-Request-Id': randomUUID() }),
    ),
  );
  await new Promise((r) => setTimeout(r, 80)); // every create task done (30 ms each)
}

t.test('list pages have their own in-flight bound, above --parallelism; reads keep parallelism', async (t) => {
  const c = counting();
  const { sim, session } = await harness(t, { parallelism: 2, tuning: { pageSize: 1, listPagesInFlight: 5, http: { fetch: c.fetch } } });
  await seedImages(sim, 8);
  c.reset();
  sim.setFaults({ latencyMs: 15 });
  const result = await session.list();
  t.equal(result.images.length, 8);
  t.equal(result.requests, 8);
  t.equal(c.peak.pages, 5, 'pages 1..7 went 5 at a time, not 2');
  await Promise.all(result.images.map((i) => session.read(i.id)));
  t.equal(c.peak.other, 2, 'reads by id are still bounded by parallelism');
});

t.test('by default 50 list pages are in flight at once', async (t) => {
  const c = counting();
  const { sim, session } = await harness(t, { parallelism: 10, tuning: { pageSize: 1, http: { fetch: c.fetch } } });
  await seedImages(sim, 60);
  c.reset();
  sim.setFaults({ latencyMs: 15 });
  const result = await session.list();
  t.equal(result.images.length, 60);
  t.equal(result.requests, 60);
  t.equal(c.peak.pages, 50);
});
