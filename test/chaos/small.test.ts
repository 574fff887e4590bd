// The chaos run, small enough for every CI run: 20 images over both clouds and a plugin, every
// fault and accident on, five SIGKILLs at seeded moments, then a clean rerun. Fails if any
// promise of docs/RELIABILITY.md breaks. The full run is `npm run chaos`.
import t from 'tap';
import { formatFigures, runChaos } from './harness.js';

t.test('small chaos: no duplicate, no orphan, no corrupt state, no secret, converges in one rerun', async (t) => {
  const f = await runChaos({ dir: t.testdir(), images: 20, kills: 5, seed: 5150, killWindowMs: [500, 2500], parallelism: 5 });
  t.comment(formatFigures(f));
  t.equal(f.killsLanded, 5, 'five SIGKILLs landed');
  t.equal(f.duplicates, 0, 'no duplicate image in the clouds');
  t.equal(f.orphans, 0, 'no image in the clouds that is neither in state nor reported as leaked');
  t.equal(f.corruptStates, 0, 'every state file parsed and validated after every kill');
  t.equal(f.secretsFound, 0, 'no secret in any file or output');
  t.ok(f.converged, 'converged after the faults stopped');
  t.equal(f.rerunsToConverge, 1, 'in one rerun');
  t.equal(f.redirectsFollowed, 0, 'no request followed a redirect to another origin');
  t.ok(f.secondStateRuns > 0, 'a second state applied on the same spaces');
  t.same(f.problems, [], 'nothing else went wrong (no leftover intent, no paused run writing on)');
});
