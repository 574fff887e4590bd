// The journal never drops an image by accident: overwriting deposes, a failed delete keeps the
// image with the cloud's reason, only a finished delete forgets it, and protection is lifted only
// by a put that carries the applied configuration.
import t from 'tap';
import { Journal } from '../../src/apply/journal.js';
import type { Intent } from '../../src/state/types.js';
import { iso, resource, state } from '../support/builders.js';
import { MemoryStore } from '../support/fake-driver.js';

const del = (address: string, id: string, provider = 'prod'): Omit<Intent, 'op_id' | 'started_at'> => ({
  address, provider, driver: 'nutanix', action: 'delete', idempotency_key: `k-${id}`, cloud_id: id,
});
const create = (address: string): Omit<Intent, 'op_id' | 'started_at'> => ({
  address, provider: 'prod', driver: 'nutanix', action: 'create', idempotency_key: 'k',
});

t.test('a put over another image deposes it; a finished delete forgets it', async (t) => {
  const j = new Journal(new MemoryStore(state([resource('a', 'old', iso)])), state([resource('a', 'old', iso)]));
  const c = await j.begin(create('a'));
  const d = j.newIntent(del('a', 'old'));
  await j.finish(c.op_id, { put: resource('a', 'new', iso), add: [d] });
  t.same(j.state.resources['a']?.deposed?.map((x) => [x.id, x.provider]), [['old', 'prod']]);
  await j.finish(d.op_id);
  t.equal(j.state.resources['a']?.deposed, undefined);
  t.equal(j.state.resources['a']?.id, 'new');
});

t.test('a failed delete keeps the deposed image with the reason and counts attempts', async (t) => {
  const j = new Journal(new MemoryStore(state([resource('a', 'old', iso)])), state([resource('a', 'old', iso)]));
  const c = await j.begin(create('a'));
  const d = j.newIntent(del('a', 'old'));
  await j.finish(c.op_id, { put: resource('a', 'new', iso), add: [d] });
  await j.fail(d.op_id, 'HTTP 409: in use');
  const again = await j.begin(del('a', 'old'));
  await j.fail(again.op_id, 'HTTP 409: still in use');
  t.same(j.state.pending, {});
  t.same(j.state.resources['a']?.deposed?.map((x) => [x.id, x.last_error, x.attempts]), [['old', 'HTTP 409: still in use', 2]]);
});

t.test('the same id on another provider is another image', async (t) => {
  const j = new Journal(new MemoryStore(state([resource('a', 'img-1', iso)])), state([resource('a', 'img-1', iso)]));
  const c = await j.begin(create('a'));
  await j.finish(c.op_id, { put: resource('a', 'img-1', iso, { provider: 'prod2' }) });
  t.same(j.state.resources['a']?.deposed?.map((x) => [x.id, x.provider]), [['img-1', 'prod']]);
  const d = await j.begin(del('a', 'img-1', 'prod2'));
  await j.finish(d.op_id);
  t.equal(j.state.resources['a']?.deposed?.length, 1, 'deleting the new one does not forget the old one');
});

t.test('a put over an image known to be gone does not depose it', async (t) => {
  const j = new Journal(new MemoryStore(state([resource('a', 'gone', iso)])), state([resource('a', 'gone', iso)]));
  const c = await j.begin(create('a'));
  await j.finish(c.op_id, { put: resource('a', 'new', iso), gone: 'gone' });
  t.equal(j.state.resources['a']?.deposed, undefined);
});

t.test('removing an address with deposed objects makes one current instead of dropping it', async (t) => {
  const st = state([resource('a', 'cur', iso, { deposed: [{ key: '0a1b2c3d', id: 'old', provider: 'prod', driver: 'nutanix', inputs: iso, attributes: iso, since: '2026-11-20T00:00:00Z', last_error: 'in use' }] })]);
  const j = new Journal(new MemoryStore(st), st);
  const d = await j.begin(del('a', 'cur'));
  await j.finish(d.op_id, { remove: 'a' });
  t.equal(j.state.resources['a']?.id, 'old');
  t.equal(j.state.resources['a']?.delete_error, 'in use');
  t.equal(j.state.resources['a']?.deposed, undefined);
});

t.test('protection is lifted only by a put from the applied configuration', async (t) => {
  const st = state([resource('a', 'cur', iso, { protected: true })]);
  const j = new Journal(new MemoryStore(st), st);
  // A recovery adopting an interrupted create of an address no longer declared has no lifecycle.
  const c = await j.begin(create('a'));
  await j.finish(c.op_id, { put: resource('a', 'cur', iso, { protected: false }) });
  t.equal(j.state.resources['a']?.protected, true, 'kept');
  const u = await j.begin(create('a'));
  await j.finish(u.op_id, { put: resource('a', 'cur', iso, { protected: false }), from_config: true });
  t.equal(j.state.resources['a']?.protected, false, 'the user removed prevent_destroy and applied');
});
