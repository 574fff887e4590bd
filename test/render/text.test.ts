// src/render/text.ts: each action's block, each reason's line, and the plan's surroundings
// (drift note, unread providers, warnings, errors), from hand-made Plans so every row says
// exactly the text a reviewer reads.
import t from 'tap';
import { renderPlanText } from '../../src/render/text.js';
import type { Plan, ReasonCode, ResourceChange } from '../../src/planner/types.js';
import { changeOf, planOf } from '../support/plans.js';

const ID = '11111111-1111-4111-8111-111111111111';

t.test('each action prints its block', async (t) => {
  const rows: { name: string; change: ResourceChange; block: string[] }[] = [
    {
      name: 'create',
      change: changeOf({ action: 'create', changes: [{ path: '/name', after: 'u', forces_replacement: false, sensitive: false, unknown: false }] }),
      block: ['  # a will be created', '  + image "a" (prod) {', '      + name = "u"', '      + id = (known after apply)', '    }'],
    },
    {
      name: 'update',
      change: changeOf({ action: 'update', id: ID, changes: [{ path: '/name', before: 'u', after: 'v', forces_replacement: false, sensitive: false, unknown: false }] }),
      block: ['  # a will be updated in-place', '  ~ image "a" (prod) {', `        id = "${ID}"`, '      ~ name = "u" -> "v"', '    }'],
    },
    {
      name: 'update adding a field',
      change: changeOf({ action: 'update', id: ID, changes: [{ path: '/description', after: 'd', forces_replacement: false, sensitive: false, unknown: false }] }),
      block: ['  # a will be updated in-place', '  ~ image "a" (prod) {', `        id = "${ID}"`, '      + description = "d"', '    }'],
    },
    {
      name: 'replace, destroy first',
      change: changeOf({ action: 'replace', replace_order: 'destroy_before_create', id: ID, changes: [{ path: '/source', before: { url: 'a' }, after: { url: 'b' }, forces_replacement: true, sensitive: false, unknown: false }] }),
      block: ['  # a must be replaced (destroyed first)', '-/+ image "a" (prod) {', `        id = "${ID}"`, '      ~ source = { url = "a" } -> { url = "b" } # forces replacement', '      + id = (known after apply)', '    }'],
    },
    {
      name: 'replace, create first',
      change: changeOf({ action: 'replace', replace_order: 'create_before_destroy', id: ID, changes: [{ path: '/checksum', before: 'x', after: 'y', forces_replacement: true, sensitive: false, unknown: false }] }),
      block: ['  # a must be replaced (new image created first)', '+/- image "a" (prod) {', `        id = "${ID}"`, '      ~ checksum = "x" -> "y" # forces replacement', '      + id = (known after apply)', '    }'],
    },
    {
      name: 'delete names the image, not its fields',
      change: changeOf({ action: 'delete', id: ID, before: { name: 'u', type: 'ISO_IMAGE' } }),
      block: ['  # a will be destroyed', '  - image "a" (prod) {', `        id = "${ID}"`, '      - name = "u"', '    }'],
    },
    {
      name: 'delete of a deposed object is named apart',
      change: changeOf({ action: 'delete', id: ID, deposed: '0a1b2c3d', before: { name: 'u' } }),
      block: ['  # a (deposed 0a1b2c3d) will be destroyed', '  - image "a" (prod) {', `        id = "${ID}"`, '      - name = "u"', '    }'],
    },
    {
      name: 'secret and unknown values',
      change: changeOf({
        action: 'update',
        id: ID,
        changes: [
          { path: '/description', before: 'x', after: { $unknown: 'b.id' }, forces_replacement: false, sensitive: false, unknown: true },
          { path: '/source', before: { password: { $secret: 'fp1' } }, after: { password: { $secret: 'fp2' } }, forces_replacement: false, sensitive: true, unknown: false },
        ],
      }),
      block: ['  # a will be updated in-place', '  ~ image "a" (prod) {', `        id = "${ID}"`, '      ~ description = "x" -> (known after apply)', '      ~ source = { password = (sensitive) } -> { password = (sensitive) }', '    }'],
    },
  ];
  for (const r of rows) {
    const text = renderPlanText(planOf([r.change]), { colour: false });
    t.equal(text.split('\n\n')[1], r.block.join('\n'), r.name);
  }
});

t.test('each reason prints as a comment, except the two the verb already says', async (t) => {
  const codes: [ReasonCode, boolean][] = [
    ['new', false],
    ['update_in_place', false],
    ['deleted_out_of_band', true],
    ['forces_replacement', true],
    ['removed_from_config', true],
    ['already_deleted', true],
    ['unique_name', true],
    ['name_changed', true],
    ['names_not_unique', true],
    ['ref_unknown', true],
    ['dependency_replaced', true],
    ['not_checked', true],
    ['recovered', true],
    ['deposed', true],
    ['delete_failed', true],
    ['provider_changed', true],
  ];
  for (const [code, shown] of codes) {
    const text = renderPlanText(planOf([changeOf({ action: 'update', reasons: [{ code, message: `why ${code}` }] })]), { colour: false });
    t.equal(text.includes(`  # (why ${code})\n`), shown, code);
  }
});

t.test('around the changes: drift note, unread providers, checks that failed, warnings and errors', async (t) => {
  const rows: { name: string; plan: Plan; text: string }[] = [
    { name: 'nothing to do', plan: planOf([changeOf({ action: 'no-op' })]), text: 'No changes. Images match the configuration.\n' },
    {
      name: 'nothing to do, but a provider was not read',
      plan: planOf([], { unread: [{ provider: 'eu', reason: 'HTTP 503' }] }),
      text: [
        "Warning: provider 'eu' was NOT read (allowed by --allow-unreadable): its images are planned from the state alone and may have changed or gone: HTTP 503",
        '',
        'No changes planned from what could be read.',
        "Warning: provider 'eu' was NOT read (allowed by --allow-unreadable): its images are planned from the state alone and may have changed or gone: HTTP 503",
        '',
      ].join('\n'),
    },
    {
      name: 'drift: modified and deleted images, a failed check',
      plan: planOf([], {
        drift: [
          { address: 'a', provider: 'prod', kind: 'modified', id: ID, fields: [{ path: '/name', expected: 'u', actual: 'v' }] },
          { address: 'b', provider: 'prod', kind: 'deleted', fields: [] },
          { address: 'c', provider: 'prod', kind: 'not_checked', fields: [], message: 'auth: 401' },
          { address: 'd', provider: 'prod', kind: 'pending', fields: [{ path: '/name', expected: 'x' }] },
        ],
      }),
      text: [
        'Note: images changed outside imagectl since the last apply:',
        '',
        `  ~ a (${ID}) was modified:`,
        '      name: "u" -> "v"',
        '  - b (?) was deleted',
        '',
        'Warning: c could not be checked (auth: 401)',
        '',
        'No changes. Images match the configuration.',
        '',
      ].join('\n'),
    },
    {
      name: 'the summary line, warnings and errors after the changes',
      plan: planOf([changeOf({ action: 'create' })], { summary: { add: 1, change: 0, destroy: 0, unchanged: 0 }, warnings: ['w1'], errors: ['e1'] }),
      text: [
        'imagectl will perform the following actions:',
        '',
        '  # a will be created',
        '  + image "a" (prod) {',
        '      + id = (known after apply)',
        '    }',
        '',
        'Plan: 1 to add, 0 to change, 0 to destroy.',
        'Warning: w1',
        'Error: e1',
        '',
      ].join('\n'),
    },
  ];
  for (const r of rows) t.equal(renderPlanText(r.plan, { colour: false }), r.text, r.name);
});

t.test('colour: the glyph in its colour, forcing notes red, the verdict green', async (t) => {
  const forced = changeOf({ action: 'replace', replace_order: 'destroy_before_create', changes: [{ path: '/source', before: 'a', after: 'b', forces_replacement: true, sensitive: false, unknown: false }] });
  const text = renderPlanText(planOf([forced]), { colour: true });
  t.match(text, '\u001b[31m-/+\u001b[39m image "a"');
  t.match(text, '\u001b[31m # forces replacement\u001b[39m');
  t.equal(renderPlanText(planOf([]), { colour: true }), '\u001b[32mNo changes. Images match the configuration.\u001b[39m\n');
});
