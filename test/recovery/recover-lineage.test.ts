// Two states on one space (another folder, same config, same endpoint): recovery of an
// interrupted create in one state must never adopt the image the other state made for the same
// address and name. Adopting it made the second state destroy the first state's image (issue 14 §4).
import t from 'tap';
import { nullSink } from '../../src/apply/events.js';
import { Journal } from '../../src/apply/journal.js';
import type { DriverSession } from '../../src/drivers/contract.js';
import type { DriverSchema } from '../../src/fields/schema.js';
import { numspotSchema } from '../../src/drivers/numspot/schema.js';
import { nutanixSchema } from '../../src/drivers/nutanix/schema.js';
import { recoverPending } from '../../src/recovery/recover.js';
import type { PlanImage } from '../../src/planner/input.js';
import type { Intent, StateFile } from '../../src/state/types.js';
import * as numspot from '../drivers/numspot/sim-session.js';
import * as nutanix from '../drivers/nutanix/sim-session.js';
import { image, state } from '../support/builders.js';
import { MemoryStore } from '../support/fake-driver.js';

const LINEAGE_A = '7d3f0c1e-5b2a-4c8d-9e6f-0a1b2c3d4e5f';
const LINEAGE_B = '0b0b0b0b-5b2a-4c8d-9e6f-0a1b2c3d4e5f';
const NS_FIELDS = { name: 'shared-name', source_image_id: 'ami-dc3f861d', source_region_name: 'cloudgouv-eu-west-1' };

/** State B, whose run was killed right after journaling the create of `x` (nothing sent yet). */
function stateB(driver: string, fields: Record<string, unknown>, startedAt: string): StateFile {
  const st = { ...state(), lineage: LINEAGE_B };
  st.pending['op-b'] = {
    op_id: 'op-b', address: 'x', provider: 'p', driver, action: 'create', idempotency_key: '5f1c6a55-2d1e-4f7b-8a9c-0d1e2f3a4b5c',
    inputs: fields as never, name: String(fields['name']), started_at: startedAt,
  };
  return st;
}

async function recoverB(st: StateFile, session: DriverSession, desired: PlanImage, schemas: Record<string, DriverSchema>): Promise<Journal> {
  const journal = new Journal(new MemoryStore(st), st);
  await recoverPending(journal, { p: session }, { x: desired }, {}, nullSink, schemas);
  return journal;
}

t.test('Numspot: an image tagged for the same address by another lineage is not adopted', async (t) => {
  const { sim, session } = await numspot.harness(t);
  // State A made x (tagged imagectl:address=x, imagectl:lineage=A) ...
  const a = await session.create({ fields: NS_FIELDS }, numspot.opContext('x', LINEAGE_A));
  // ... then B journaled its own create of x and died before its POST.
  const st = stateB('numspot', NS_FIELDS, new Date().toISOString());
  const journal = await recoverB(st, session, image('x', NS_FIELDS, { provider: 'p', driver: 'numspot' }), { numspot: numspotSchema });
  t.notOk(journal.state.resources['x'], `B did not adopt A's image ${a.id}`);
  t.same(journal.state.pending, {}, "B's intent is settled as not created");
  t.same(sim.listImages().map((i) => (i as { id: string }).id), [a.id], "A's image is untouched");
});

t.test("Numspot: B's own tagged image is still adopted when A's exists under another name", async (t) => {
  const { session } = await numspot.harness(t);
  await session.create({ fields: { ...NS_FIELDS, name: 'a-name' } }, numspot.opContext('x', LINEAGE_A));
  const b = await session.create({ fields: NS_FIELDS }, numspot.opContext('x', LINEAGE_B));
  const st = stateB('numspot', NS_FIELDS, new Date(Date.now() - 60_000).toISOString());
  const journal = await recoverB(st, session, image('x', NS_FIELDS, { provider: 'p', driver: 'numspot' }), { numspot: numspotSchema });
  t.equal(journal.state.resources['x']?.id, b.id, 'found by name and this lineage');
});

t.test("Nutanix: B's interrupted create resumes with B's own request id, never picks A's namesake", async (t) => {
  const { sim, session } = await nutanix.harness(t);
  const a = await session.create({ fields: nutanix.ISO }, nutanix.opContext('x'));
  const st = stateB('nutanix', nutanix.ISO, new Date().toISOString());
  const journal = await recoverB(st, session, image('x', nutanix.ISO, { provider: 'p' }), { nutanix: nutanixSchema });
  const adopted = journal.state.resources['x']?.id;
  t.ok(adopted, 'the create was resumed');
  t.not(adopted, a.id, "A's image, same name, was not adopted");
  t.equal(sim.listImages().length, 2, "A's image and B's own");
});

t.test('Numspot: an untagged image is claimed when adopted, so a second state cannot adopt it too', async (t) => {
  const { sim, session } = await numspot.harness(t);
  const before = new Date(Date.now() - 1000).toISOString();
  // A's POST acted and A died before tagging; B journaled its own create of x just before that.
  const made = await numspot.raw(sim, 'POST', '/images', { name: 'shared-name', sourceImageId: 'ami-dc3f861d', sourceRegionName: 'cloudgouv-eu-west-1' });
  t.equal(made.status, 201, JSON.stringify(made.body));
  const id = made.body.id as string;
  const desired = image('x', NS_FIELDS, { provider: 'p', driver: 'numspot' });
  const b = await recoverB(stateB('numspot', NS_FIELDS, before), session, desired, { numspot: numspotSchema });
  const stA = { ...state(), lineage: LINEAGE_A };
  stA.pending['op-a'] = { ...(stateB('numspot', NS_FIELDS, before).pending['op-b'] as Intent), op_id: 'op-a', task_id: id };
  const journalA = new Journal(new MemoryStore(stA), stA);
  await recoverPending(journalA, { p: session }, { x: desired }, {}, nullSink, { numspot: numspotSchema });
  const owners = [b.state.resources['x']?.id, journalA.state.resources['x']?.id].filter((x) => x === id);
  t.equal(owners.length, 1, `one state adopted ${id}, not both`);
  t.same(numspot.simTags(sim, id).filter((x) => x.key === 'imagectl:lineage').map((x) => x.value), [LINEAGE_B], 'claimed with the lineage of the state that adopted it');
});
