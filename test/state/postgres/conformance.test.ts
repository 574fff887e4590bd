// The store conformance suite against PostgreSQL (every generation kept). Skipped, with the
// reason, when IMAGECTL_TEST_PG_URL is not set.
import t from 'tap';
import { storeConformance } from '../conformance/fixtures/store-suite.js';
import { fileSchema, needsDb, opener, SKIP_REASON } from './fixtures/database.js';

if (needsDb.skip) {
  t.test('postgres store conformance', needsDb, () => undefined);
  t.comment(SKIP_REASON);
} else {
  const schema = fileSchema(t);
  storeConformance(t, {
    name: 'postgres',
    kept: Infinity,
    location: (t) => ({ open: opener(t, schema) }),
  });
}
