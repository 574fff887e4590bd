// kill -9 at each recovery path's starting point, Nutanix (see crash-points.ts).
import t from 'tap';
import { killPointTests, NUTANIX } from './crash-points.js';

// Many CLI runs, slow on a loaded machine: room beyond the default per-file timeout, never a bound asserted.
t.setTimeout(900_000);
killPointTests(t, 'nutanix', NUTANIX);
