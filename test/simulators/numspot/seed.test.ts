import t from 'tap';
import { defaultNumspotSeed, printableSeed, startNumspotSimulator } from '../../../src/simulators/numspot/index.js';
import { session } from './client.js';

t.test('the shipped seed has what the brief and the recording reference', async (t) => {
  const seed = defaultNumspotSeed();
  t.match(seed.images.find((i) => i.id === 'ami-dc3f861d'), { name: 'Debian-12-2026-08-10', isPublic: true });
  t.match(seed.images.find((i) => i.id === 'ami-0b7df82c'), { productCodes: ['pty-ce73ebf1', '0001'], isPublic: true });
  t.match(seed.vms, [{ id: 'i-f2f6a5b3', state: 'running', tags: [{ key: 'Name', value: 'builder' }] }, { state: 'stopped' }]);
  t.match(seed.snapshots, [{ id: 'snap-dba42486', description: 'golden-root', volumeSize: 11 }, {}]);
  seed.vms.length = 0;
  t.equal(defaultNumspotSeed().vms.length, 2, 'each call returns a fresh copy');
});

t.test('printableSeed describes every seeded resource on one line', async (t) => {
  const lines = printableSeed(defaultNumspotSeed());
  t.equal(lines.length, 3 + 2 + 2);
  t.match(lines[0], /^official image ami-dc3f861d\s+Debian-12-2026-08-10\s+\(x86_64, product codes 0001, public\)$/);
  t.match(lines[2], /ami-0b7df82c.*product codes pty-ce73ebf1, 0001/);
  t.match(lines[3], /^vm i-f2f6a5b3\s+running\s+root 10 GiB\s+Name=builder$/);
  t.match(lines[5], /^snapshot snap-dba42486\s+11 GiB\s+"golden-root"\s+Name=golden-root$/);
  t.same(printableSeed({ images: [{ id: 'ami-1', name: 'n', isPublic: false }], vms: [], snapshots: [] }), ['official image ami-1  n  (x86_64, product codes 0001, private)']);
});

t.test('the simulator does not share the caller’s seed object', async (t) => {
  const seed = defaultNumspotSeed();
  const sim = await startNumspotSimulator({ seed });
  t.teardown(() => sim.close());
  seed.vms.length = 0;
  const s = await session(sim);
  t.equal((await s.get('/vms')).body.items.length, 2);
  t.equal(sim.seed.vms.length, 2);
});
