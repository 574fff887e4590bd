import t from 'tap';
import { randomUUID } from 'node:crypto';
import { harness, ISO, raw } from './sim-session.js';

t.test('list: 250 images in 3 pages of 100, pages 1 and 2 fetched in parallel', async (t) => {
  let inFlight = 0;
  let peak = 0;
  const counting: typeof fetch = async (input, init) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    try {
      return await fetch(input, init);
    } finally {
      inFlight--;
    }
  };
  const { sim, session } = await harness(t, { parallelism: 4, tuning: { http: { fetch: counting } } });
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
  t.equal(peak, 2, 'the two remaining pages were in flight together');
  t.ok(result.images.every((i) => i.etag === undefined && !JSON.stringify(i).includes('password')));
});

t.test('list of an empty PC is one request and no images', async (t) => {
  const { session } = await harness(t);
  t.same(await session.list(), { images: [], requests: 1 });
});

t.test('parallelism bounds requests in flight across pages', async (t) => {
  let inFlight = 0;
  let peak = 0;
  const counting: typeof fetch = async (input, init) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    try {
      return await fetch(input, init);
    } finally {
      inFlight--;
    }
  };
  const { sim, session } = await harness(t, { parallelism: 2, tuning: { pageSize: 1, http: { fetch: counting } } });
  await Promise.all(
    Array.from({ length: 8 }, (_v, i) =>
      raw(sim, 'POST', '/api/vmm/v4.0/content/images', { ...ISO, name: `p-${i}`, source: { $objectType: 'vmm.v4.content.UrlSource', url: ISO.source.url } }, { 'NTNX-Request-Id': randomUUID() }),
    ),
  );
  await new Promise((r) => setTimeout(r, 80));
  peak = 0;
  sim.setFaults({ latencyMs: 15 });
  const result = await session.list();
  t.equal(result.images.length, 8);
  t.equal(result.requests, 8);
  t.equal(peak, 2);
});
