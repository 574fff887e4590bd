// The one glyph table: Terraform's symbols, so reviewers read imagectl plans without a legend;
// the drift report's kinds are drawn from here too.
import type { DriftKind } from '../drift/types.js';
import type { Action, ReplaceOrder } from '../planner/types.js';

export type Colour = 'green' | 'yellow' | 'red' | 'cyan' | 'bold' | 'dim';

export interface Style {
  paint(colour: Colour, text: string): string;
}

const codes: Record<Colour, [number, number]> = {
  green: [32, 39],
  yellow: [33, 39],
  red: [31, 39],
  cyan: [36, 39],
  bold: [1, 22],
  dim: [2, 22],
};

export function makeStyle(colour: boolean): Style {
  return { paint: (c, text) => (colour ? `\u001b[${codes[c][0]}m${text}\u001b[${codes[c][1]}m` : text) };
}

export function glyph(action: Action, order?: ReplaceOrder): { symbol: string; colour: Colour; verb: string } {
  switch (action) {
    case 'create':
      return { symbol: '+', colour: 'green', verb: 'will be created' };
    case 'update':
      return { symbol: '~', colour: 'yellow', verb: 'will be updated in-place' };
    case 'delete':
      return { symbol: '-', colour: 'red', verb: 'will be destroyed' };
    case 'replace':
      return order === 'destroy_before_create'
        ? { symbol: '-/+', colour: 'red', verb: 'must be replaced (destroyed first)' }
        : { symbol: '+/-', colour: 'green', verb: 'must be replaced (new image created first)' };
    case 'no-op':
      return { symbol: ' ', colour: 'dim', verb: 'is unchanged' };
  }
}

/** How each drift kind is drawn in text: a one-character marker, after Terraform's glyphs where one fits. */
export const DRIFT_GLYPHS: Readonly<Record<DriftKind, { symbol: string; colour: Colour }>> = {
  modified: { symbol: '~', colour: 'yellow' },
  deleted: { symbol: '-', colour: 'red' },
  leaked: { symbol: '!', colour: 'red' },
  unmanaged: { symbol: '?', colour: 'cyan' },
  pending: { symbol: '>', colour: 'cyan' },
  not_checked: { symbol: 'x', colour: 'red' },
  in_sync: { symbol: ' ', colour: 'dim' },
};
