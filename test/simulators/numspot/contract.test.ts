import { readFileSync } from 'node:fs';
import t from 'tap';
import { startNumspotSimulator, type NumspotSimulator } from '../../../src/simulators/numspot/index.js';
import { NUMSPOT_RECORDING_PATH, loadNumspotSpec } from '../../helpers/numspot-spec.js';
import type { Exchange } from '../../helpers/openapi-validator.js';
import { RECORDED_BODIES, basic, call, rawToken, session, space, waitState, type J } from './client.js';

interface Recorded {
  id: number;
  method: string;
  path: string;
  requestHeaders: Record<string, string[]>;
  requestBody: unknown;
  status: number;
  responseBody: unknown;
}

function fromRecording(r: Recorded): Exchange {
  const headers = Object.fromEntries(Object.entries(r.requestHeaders).map(([k, v]) => [k.toLowerCase(), v[0] ?? '']));
  const ex: Exchange = { method: r.method, path: r.path, query: {}, headers, status: r.status };
  if (r.requestBody !== null) ex.body = r.requestBody;
  if (r.responseBody !== null) ex.responseBody = r.responseBody;
  return ex;
}

// The real traffic must pass the patched spec: that is what justifies each patch. Token
// exchanges are left out: go-vcr scrubbed their bodies to {"access_token":"just a fake token"}.
t.test('the recorded real traffic is valid per the (patched) spec', async (t) => {
  const spec = loadNumspotSpec();
  const recorded = (JSON.parse(readFileSync(NUMSPOT_RECORDING_PATH, 'utf8')) as Recorded[]).filter((r) => r.path.startsWith('/compute/'));
  t.ok(recorded.length > 90, `${recorded.length} compute exchanges recorded`);
  for (const r of recorded) t.same(spec.validateExchange(fromRecording(r)), [], `recorded #${r.id} ${r.method} ${r.path} ${r.status}`);
});

t.test('the spec defects the patches fix are real', async (t) => {
  const raw = loadNumspotSpec({ patched: false });
  const instance = '/compute/spaces/bba8c1df-609f-4775-9638-952d488502e6/images';
  const recordedStyle = { type: 'https://docs.numspot.cloud/docs/domains/cloud/errors#invalid_parameter', title: 'InvalidResource', detail: 'x', instance };
  const ex = (status: number, responseBody: unknown): Exchange => ({ method: 'POST', path: instance, query: {}, headers: { authorization: 'Bearer x' }, body: { name: 'abc', vmId: 'i-1' }, status, responseBody });
  t.not(raw.validateExchange(ex(404, recordedStyle)).length, 0, 'URL-style type and path instance rejected unpatched');
  t.not(raw.validateExchange(ex(400, { type: 'urn:numspot:errors#invalid_parameter', title: 'Bad' })).length, 0, 'no BadRequestError validates unpatched');
  t.not(raw.validateExchange(ex(409, recordedStyle)).length, 0, '409 undeclared unpatched');
  const patched = loadNumspotSpec();
  t.same(patched.validateExchange(ex(400, { ...recordedStyle, violations: [{ field: 'name', description: 'd' }] })), []);
  t.same(patched.validateExchange(ex(409, { ...recordedStyle, title: 'ResourceConflict' })), []);
});

/** Marks requests the scenario sends invalid on purpose: only their responses must be valid. */
const INVALID = 'x-contract-invalid-request';

// Everything a careful driver does, plus the error paths it must survive.
async function scenario(sim: NumspotSimulator): Promise<void> {
  await rawToken(sim, { grant_type: 'client_credentials' }, { authorization: basic(sim.clientId, sim.clientSecret) });
  await rawToken(sim, { grant_type: 'client_credentials', client_id: sim.clientId, client_secret: 'wrong' });
  await rawToken(sim, { grant_type: 'client_credentials', client_id: sim.clientId, client_secret: sim.clientSecret, scope: 'openid offline_access' });
  const s = await session(sim);
  await call(sim, 'PUT', '/iam/token/convert', { token: null, body: { token: s.token } });
  await call(sim, 'GET', `${space(sim)}/images`, { token: null });
  await call(sim, 'GET', `${space(sim)}/images`, { token: 'not-a-token' });
  await call(sim, 'GET', '/compute/spaces/00000000-0000-4000-8000-000000000000/images', { token: s.token });

  const copy = await s.post('/images', RECORDED_BODIES.copy);
  const vm = await s.post('/images', { ...RECORDED_BODIES.vm, name: 'terraform image test (vm)' }); // the recording reused the name after a delete
  const reg = await s.post('/images', RECORDED_BODIES.register);
  await s.post('/images', RECORDED_BODIES.copy); // 409
  const invalid = { token: s.token, headers: { [INVALID]: '1' } };
  await call(sim, 'POST', `${space(sim)}/images`, { ...invalid, body: { name: 'x', vmId: 'i-f2f6a5b3', sourceImageId: 'ami-0b7df82c', extra: 1 } }); // 400
  await s.post('/images', { ...RECORDED_BODIES.vm, name: 'ghost vm', vmId: 'i-00000000' }); // 400 InvalidResource
  for (const img of [copy, vm, reg]) {
    const id = img.body.id as string;
    await s.patch('/bulk/tags', { resourceIds: [id], tags: [{ key: 'name', value: 'Terraform-Test-Image' }] });
    await s.put(`/images/${id}`, { accessCreation: { additions: { isPublic: true } } });
  }
  await waitState(s, vm.body.id, 'available');
  await s.put(`/images/${copy.body.id}`, { accessCreation: {} }); // 400
  await s.put('/images/ami-dc3f861d', { accessCreation: { removals: { isPublic: true } } }); // 403
  await s.del('/bulk/tags', { resourceIds: [reg.body.id], tags: [{ key: 'name', value: 'Terraform-Test-Image-Updated' }] });
  await s.patch('/bulk/tags', { resourceIds: ['ami-ffffffff'], tags: [{ key: 'k', value: 'v' }] }); // 400
  await s.get('/tags', { resourceIds: [copy.body.id, vm.body.id], resourceTypes: 'image' });
  await s.get('/images', { ids: [copy.body.id, reg.body.id], tagKeys: 'name', states: 'available', isPublic: 'true' });
  await call(sim, 'GET', `${space(sim)}/images`, { ...invalid, query: { isPublic: 'maybe' } }); // 400
  await s.get('/images/ami-dc3f861d');
  await s.get('/images/ami-00000000'); // 404
  await s.get('/vms', { tags: 'Name=builder' });
  await s.get('/vms/i-f2f6a5b3');
  await s.get('/vms/i-00000000'); // 404
  await s.get('/snapshots', { descriptions: 'golden-root' });
  await s.get('/snapshots/snap-dba42486');
  await s.get('/snapshots/snap-00000000'); // 404
  await s.del('/images/ami-dc3f861d'); // 403
  for (const img of [copy, vm, reg]) await s.del(`/images/${img.body.id}`);
  await s.del(`/images/${copy.body.id}`); // 404
}

t.test('every exchange of a driver-like scenario is valid per the spec', async (t) => {
  const sim = await startNumspotSimulator({ pendingMs: 50 });
  t.teardown(() => sim.close());
  await scenario(sim);
  const spec = loadNumspotSpec();
  const statuses = new Set<number>();
  for (const ex of sim.exchanges) {
    statuses.add(ex.status);
    const errors = spec.validateExchange(ex as Exchange);
    const label = `${ex.method} ${ex.path} → ${ex.status} ${JSON.stringify(ex.responseBody ?? '').slice(0, 120)}`;
    if (ex.headers[INVALID]) {
      t.ok(errors.some((e) => e.startsWith('request ')), `the spec too rejects the request: ${label}`);
      t.same(errors.filter((e) => !e.startsWith('request ')), [], label);
    } else t.same(errors, [], label);
  }
  t.same([...statuses].sort(), [200, 201, 204, 400, 401, 403, 404, 409], 'the scenario covers every status the simulator uses');
  const bodies = sim.exchanges.filter((e) => e.status >= 400 && e.path.startsWith('/compute/')).map((e) => e.responseHeaders['content-type']);
  t.ok(bodies.every((ct) => ct === 'application/problem+json'), 'compute errors are problem+json');
  const oauth = sim.exchanges.find((e) => e.path === '/iam/token' && e.status === 401);
  t.match(oauth?.responseBody as J, { error: 'invalid_client' });
});
