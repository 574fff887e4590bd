// Recovery must resolve what it journals itself: adopting an interrupted create-before-destroy
// replacement journals the old image's delete, which has to run in the same pass.
import t from 'tap';
import { Journal } from '../../src/apply/journal.js';
import { nullSink } from '../../src/apply/events.js';
import { recoverPending } from '../../src/recovery/recover.js';
import { nutanixSchema } from '../../src/drivers/nutanix/schema.js';
import type { IntentView, RecoverResult } from '../../src/drivers/contract.js';
import { image, iso, resource, state } from '../support/builders.js';
import { FakeSession, MemoryStore } from '../support/fake-driver.js';

class ReplacingSession extends FakeSession {
  override async recover(intent?: IntentView): Promise<RecoverResult> {
    if (intent?.action === 'create') return { status: 'created', image: { id: 'img-new', name: 'ubuntu', attributes: { ...iso } } };
    return { status: this.images.has(intent?.cloud_id ?? '') ? 'unknown' : 'done', message: 'still there' } as RecoverResult;
  }
}

t.test('an adopted replacement also deletes the image it replaced, in the same run', async (t) => {
  const s = new ReplacingSession();
  s.images.set('img-old', { ...iso });
  s.images.set('img-new', { ...iso });
  const st = state([resource('a', 'img-old', iso)]);
  st.pending['op-1'] = { op_id: 'op-1', address: 'a', provider: 'prod', driver: 'nutanix', action: 'create', idempotency_key: 'k', inputs: iso, started_at: '2026-11-22T00:00:00Z' };
  const journal = new Journal(new MemoryStore(st), st);
  const left = await recoverPending(journal, { prod: s }, { a: image('a', iso) }, {}, nullSink, { nutanix: nutanixSchema });
  t.same(left, []);
  t.equal(journal.state.resources['a']?.id, 'img-new');
  t.same(journal.state.pending, {}, 'nothing left journaled');
  t.notOk(s.images.has('img-old'), 'the replaced image was deleted');
  t.ok(s.calls.some((c) => c.startsWith('delete a img-old')));
});
