// src/render/glyphs.ts: the one glyph table (Terraform's symbols) and colour at the edge.
import t from 'tap';
import { glyph, makeStyle, type Colour } from '../../src/render/glyphs.js';
import type { Action, ReplaceOrder } from '../../src/planner/types.js';

t.test('each action and replacement order has its symbol, colour and verb', async (t) => {
  const rows: [Action, ReplaceOrder | undefined, string, Colour, string][] = [
    ['create', undefined, '+', 'green', 'will be created'],
    ['update', undefined, '~', 'yellow', 'will be updated in-place'],
    ['delete', undefined, '-', 'red', 'will be destroyed'],
    ['replace', 'destroy_before_create', '-/+', 'red', 'must be replaced (destroyed first)'],
    ['replace', 'create_before_destroy', '+/-', 'green', 'must be replaced (new image created first)'],
    ['replace', undefined, '+/-', 'green', 'must be replaced (new image created first)'],
    ['no-op', undefined, ' ', 'dim', 'is unchanged'],
  ];
  for (const [action, order, symbol, colour, verb] of rows) t.same(glyph(action, order), { symbol, colour, verb }, `${action} ${order ?? ''}`);
});

t.test('a style paints with ANSI codes only when colour is on', async (t) => {
  const rows: [Colour, string][] = [
    ['green', '\u001b[32mx\u001b[39m'],
    ['yellow', '\u001b[33mx\u001b[39m'],
    ['red', '\u001b[31mx\u001b[39m'],
    ['cyan', '\u001b[36mx\u001b[39m'],
    ['bold', '\u001b[1mx\u001b[22m'],
    ['dim', '\u001b[2mx\u001b[22m'],
  ];
  for (const [colour, painted] of rows) {
    t.equal(makeStyle(true).paint(colour, 'x'), painted, `${colour} on`);
    t.equal(makeStyle(false).paint(colour, 'x'), 'x', `${colour} off`);
  }
});
