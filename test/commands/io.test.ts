// When the CLI colours its output: the flag, FORCE_COLOR, NO_COLOR, then the terminal.
import t from 'tap';
import { wantsColour } from '../../src/commands/io.js';

t.test('colour: --no-color, then FORCE_COLOR, then NO_COLOR, then a terminal on stdout', async (t) => {
  const rows: [flag: boolean, env: NodeJS.ProcessEnv, tty: boolean, colour: boolean, why: string][] = [
    [false, {}, true, true, 'a terminal'],
    [false, {}, false, false, 'a pipe or a CI log'],
    [false, { TERM: 'dumb' }, true, false, 'a dumb terminal'],
    [false, { NO_COLOR: '1' }, true, false, 'NO_COLOR on a terminal'],
    [false, { FORCE_COLOR: '1' }, false, true, 'FORCE_COLOR in a CI log'],
    [false, { FORCE_COLOR: '' }, false, true, 'FORCE_COLOR set empty still forces'],
    [false, { FORCE_COLOR: '0' }, true, false, 'FORCE_COLOR=0 turns it off on a terminal'],
    [false, { FORCE_COLOR: 'false' }, true, false, 'FORCE_COLOR=false too'],
    [false, { FORCE_COLOR: '1', NO_COLOR: '1' }, false, true, 'FORCE_COLOR wins over NO_COLOR'],
    [true, { FORCE_COLOR: '1' }, true, false, '--no-color wins over everything'],
  ];
  for (const [flag, env, tty, colour, why] of rows) t.equal(wantsColour(flag, env, tty), colour, why);
});
