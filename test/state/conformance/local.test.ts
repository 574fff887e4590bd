// The store conformance suite against the local JSON file store (5 backups kept).
import t from 'tap';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { LocalStateStore } from '../../../src/state/local-store.js';
import { storeConformance } from './fixtures/store-suite.js';

storeConformance(t, {
  name: 'local file',
  kept: 5,
  location: (t) => {
    const path = join(t.testdir(), randomUUID(), 'state.json');
    return { open: () => new LocalStateStore(path) };
  },
});
