import t from 'tap';
import { startNutanixSimulator, type NutanixSimulator } from '../../../src/simulators/nutanix/index.js';
import { type J, IMAGES, call, image, create } from './fixtures/wire.js';


const links = (body: J) => Object.fromEntries((body.metadata.links as J[]).map((l) => [l.rel, new URL(l.href).search]));

t.test('pagination over 250 images', async (t) => {
  const sim = await startNutanixSimulator({ taskDurationMs: 0 });
  t.teardown(() => sim.close());
  for (let i = 0; i < 250; i++) {
    const r = await create(sim, image(`img-${String(i).padStart(3, '0')}`), `rid-${i}`);
    if (r.status !== 202) t.fail(`create ${i}: ${r.status}`);
  }
  const seen = new Set<string>();
  const sizes: number[] = [];
  for (let page = 0; page < 3; page++) {
    const r = await call(sim, 'GET', `${IMAGES}?$page=${page}&$limit=100`);
    t.equal(r.status, 200);
    t.equal(r.body.$objectType, 'vmm.v4.content.ListImagesApiResponse');
    t.equal(r.body.metadata.totalAvailableResults, 250);
    t.match(r.body.metadata.flags, [{ name: 'hasError', value: false }, { name: 'isPaginated', value: true }, { name: 'isTruncated', value: false }]);
    sizes.push(r.body.data.length);
    for (const img of r.body.data as J[]) {
      t.equal(img.$objectType, 'vmm.v4.content.Image');
      seen.add(img.extId);
    }
    const l = links(r.body);
    t.equal(l['self'], `?$page=${page}&$limit=100`);
    t.equal(l['first'], '?$page=0&$limit=100');
    t.equal(l['last'], '?$page=2&$limit=100');
    t.equal(l['next'], page < 2 ? `?$page=${page + 1}&$limit=100` : undefined);
    t.equal(l['prev'], page > 0 ? `?$page=${page - 1}&$limit=100` : undefined);
  }
  t.same(sizes, [100, 100, 50]);
  t.equal(seen.size, 250, 'every image exactly once');

  const past = await call(sim, 'GET', `${IMAGES}?$page=3&$limit=100`);
  t.equal(past.status, 200);
  t.notOk('data' in past.body, 'past the end: no data key');
  t.equal(past.body.metadata.totalAvailableResults, 250);

  const dflt = await call(sim, 'GET', IMAGES);
  t.equal(dflt.body.data.length, 50, 'default $limit 50');
  t.equal(links(dflt.body)['last'], '?$page=4&$limit=50');

  for (const q of ['$limit=0', '$limit=101', '$limit=abc', '$page=-1', '$page=1.5']) {
    const r = await call(sim, 'GET', `${IMAGES}?${q}`);
    t.equal(r.status, 400, q);
    t.equal(r.body.data.error.validationErrorMessages[0].location, 'query', q);
  }
});

t.test('$filter, $orderby, $select', async (t) => {
  const sim = await startNutanixSimulator({ taskDurationMs: 0 });
  t.teardown(() => sim.close());
  const names = ['CentOS-7', 'centos-8', 'ubuntu-noble', "o'brien", 'Ubuntu-jammy'];
  for (const [i, n] of names.entries()) await create(sim, image(n, i === 2 ? { type: 'DISK_IMAGE', description: 'lts' } : {}), `rid-${i}`);
  const q = async (params: Record<string, string>) => {
    const r = await call(sim, 'GET', `${IMAGES}?${new URLSearchParams(params).toString()}`);
    return { status: r.status, names: Array.isArray(r.body.data) ? (r.body.data as J[]).map((i) => i.name as string) : [], body: r.body };
  };
  t.same((await q({ $filter: "name eq 'ubuntu-noble'" })).names, ['ubuntu-noble']);
  t.same((await q({ $filter: "name eq 'o''brien'" })).names, ["o'brien"], "'' escapes a quote");
  t.same((await q({ $filter: "startswith(name,'C')" })).names, ['CentOS-7'], 'case-sensitive');
  t.same((await q({ $filter: "contains(name, 'ntu')" })).names, ['ubuntu-noble', 'Ubuntu-jammy']);
  t.same((await q({ $filter: "type eq 'DISK_IMAGE'" })).names, ['ubuntu-noble']);
  t.same((await q({ $filter: "contains(name,'ntu') and type eq 'ISO_IMAGE'" })).names, ['Ubuntu-jammy']);
  t.same((await q({ $filter: "name eq 'CentOS-7' or (name eq 'centos-8')" })).names, ['CentOS-7', 'centos-8']);
  t.same((await q({ $filter: "name ne 'CentOS-7' and description eq 'lts'" })).names, ['ubuntu-noble']);
  const none = await q({ $filter: "name eq 'nothing'" });
  t.equal(none.status, 200);
  t.notOk('data' in none.body, 'no match: data omitted');
  t.equal(none.body.metadata.totalAvailableResults, 0);
  for (const bad of ["name eq 'x", 'name eq x', "endswith(name,'x')", "extId eq 'x'", "name gt 'x'", "name eq 'x' and", '']) {
    t.equal((await q({ $filter: bad })).status, 400, `unparseable: ${bad}`);
  }
  t.same((await q({ $orderby: 'name' })).names, ['CentOS-7', 'Ubuntu-jammy', 'centos-8', "o'brien", 'ubuntu-noble']);
  t.same((await q({ $orderby: 'name desc', $limit: '2' })).names, ['ubuntu-noble', "o'brien"]);
  t.equal((await q({ $orderby: 'color' })).status, 400);
  t.equal((await q({ $orderby: 'name sideways' })).status, 400);
  const sel = await q({ $select: 'name,extId', $limit: '1' });
  t.same(Object.keys(sel.body.data[0]).sort(), ['$objectType', '$reserved', 'extId', 'name']);
  t.equal((await q({ $select: 'password' })).status, 400);
});

t.test('clusters list and version info', async (t) => {
  const sim = await startNutanixSimulator();
  t.teardown(() => sim.close());
  const all = await call(sim, 'GET', '/api/clustermgmt/v4.0/config/clusters');
  t.equal(all.status, 200);
  t.equal(all.body.$objectType, 'clustermgmt.v4.config.ListClustersApiResponse');
  t.same((all.body.data as J[]).map((c) => c.name), ['PHX-POC01', 'PHX-POC02', 'prism-central']);
  t.match(all.body.data[0], { $objectType: 'clustermgmt.v4.config.Cluster', $reserved: { $fv: 'v4.r0' }, extId: /^[0-9a-f-]{36}$/ });
  const one = await call(sim, 'GET', `/api/clustermgmt/v4.0/config/clusters?$filter=${encodeURIComponent("name eq 'PHX-POC02'")}`);
  t.same((one.body.data as J[]).map((c) => c.name), ['PHX-POC02']);
  const paged = await call(sim, 'GET', '/api/clustermgmt/v4.0/config/clusters?$page=1&$limit=2');
  t.same((paged.body.data as J[]).map((c) => c.name), ['prism-central']);
  t.equal(paged.body.metadata.totalAvailableResults, 3);
  t.equal((await call(sim, 'GET', '/api/clustermgmt/v4.0/config/clusters?$filter=bogus')).status, 400);

  const custom = await startNutanixSimulator({ clusters: [{ extId: '11111111-2222-4333-8444-555555555555', name: 'only' }] });
  t.teardown(() => custom.close());
  t.same(((await call(custom, 'GET', '/api/clustermgmt/v4.0/config/clusters')).body.data as J[]).map((c) => c.name), ['only']);
  for (const ns of ['vmm', 'prism', 'clustermgmt']) {
    const r = await call(sim, 'OPTIONS', `/api/${ns}/unversioned/info`);
    t.same(r.body, { data: 'v4.0' }, ns);
  }
});
