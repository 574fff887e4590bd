// In CI the database tests must run, not be skipped: a CI that could not start PostgreSQL would
// otherwise pass with every shared-state test reported as skipped (.ci/postgres.sh also fails then).
import t from 'tap';
import { PG_URL } from './fixtures/database.js';

t.test('CI runs the database tests', async (t) => {
  if (process.env['CI'] !== 'true') {
    t.pass('not in CI: the database tests may be skipped here');
    return;
  }
  t.ok(PG_URL, 'IMAGECTL_TEST_PG_URL is set in CI (.ci/run starts PostgreSQL through .ci/postgres.sh)');
});
