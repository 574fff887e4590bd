// A deposed image is still owned by the state: `drift --unmanaged` reports it once, as a pending
// destroy of its address, and never also as leaked.
import t from 'tap';
import type { LoadedConfig } from '../../src/config/types.js';
import { findUnmanaged } from '../../src/drift/unmanaged.js';
import { iso, resource, state } from '../support/builders.js';

t.test('a deposed image carrying our lineage tag is not leaked', async (t) => {
  const st = state([resource('a', 'new', iso, { deposed: [{ key: '0a1b2c3d', id: 'old', provider: 'prod', driver: 'nutanix', inputs: iso, attributes: iso, since: '2026-11-20T00:00:00Z' }] })]);
  const owner = { lineage: st.lineage, address: 'a' };
  const listed = { prod: [{ id: 'new', name: 'ubuntu', attributes: {}, owner }, { id: 'old', name: 'ubuntu', attributes: {}, owner }, { id: 'lost', name: 'ubuntu', attributes: {}, owner }] };
  const found = findUnmanaged({ drift: undefined } as unknown as LoadedConfig, st, listed);
  t.same(found.map((u) => [u.id, u.kind]), [['lost', 'leaked']]);
});
