import t from 'tap';
import { Durations, firstGap, nextGap, type PollTiming } from '../../../src/drivers/poll/schedule.js';

const T: PollTiming = { minMs: 250, fineMs: 100, ratio: 0.1, maxMs: 5000, lead: 0.9 };

t.test('without a typical duration: a fraction of the time waited, between minMs and maxMs', async (t) => {
  t.equal(firstGap(T), 250, 'nothing known: the shortest gap');
  t.equal(nextGap(T, 1000), 250);
  t.equal(nextGap(T, 4000), 400, 'seen at most 10 % late');
  t.equal(nextGap(T, 3_600_000), 5000, 'an hour-long task is read every maxMs');
});

t.test('with one: the first read leads it, then short gaps around its end, then the ratio again', async (t) => {
  t.equal(firstGap(T, 2000), 1800);
  t.equal(nextGap(T, 1800, 2000), 100, 'around the typical end: fineMs');
  t.equal(nextGap(T, 2600, 2000), 260, 'past 1.25 × typical: back to the ratio');
  t.equal(nextGap(T, 9 * 60_000, 10 * 60_000), 5000, 'around the end of a long task: 5 % of it, capped at maxMs');
  t.equal(nextGap(T, 50_000, 60_000), 3000);
  t.equal(firstGap(T, 3_600_000), 60_000, 'the first read comes within a minute, whatever the typical duration');
  t.equal(firstGap(T, 20), 100, 'never sooner than fineMs');
});

t.test('the typical duration is the lower quartile of the recent ones of that kind', async (t) => {
  const d = new Durations();
  t.equal(d.typical('create'), undefined);
  for (const ms of [2100, 2000, 2300, 2050, 9000]) d.record('create', ms);
  t.equal(d.typical('create'), 2050, 'a slow outlier does not move it');
  t.equal(d.typical('delete'), undefined, 'kinds are apart');
  for (let i = 0; i < 32; i++) d.record('create', 500);
  t.equal(d.typical('create'), 500, 'only the recent ones count');
});
