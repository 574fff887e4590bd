// The one table of drift kinds: how each is named and ranked, and what each exit code means.
// The renderers and the exit code read it; how a kind is drawn (symbol, colour) sits beside the
// plan's glyphs in render/glyphs.ts, and both tables are keyed by DriftKind, so a new kind that
// is missing from either does not compile.
import type { DriftKind, DriftReport } from './types.js';

export interface KindInfo {
  /** Human name, as in the summary line ("not checked"). */
  label: string;
  /** The drift exit code this kind asks for (0 = none); the highest one wins. */
  exitCode: DriftReport['exit_code'];
}

export const KINDS: Readonly<Record<DriftKind, KindInfo>> = {
  modified: { label: 'modified', exitCode: 3 },
  deleted: { label: 'deleted', exitCode: 3 },
  leaked: { label: 'leaked', exitCode: 3 },
  unmanaged: { label: 'unmanaged', exitCode: 3 },
  pending: { label: 'pending', exitCode: 2 },
  // A failure to look is the loudest outcome: "no drift" must never stand in for "could not check".
  not_checked: { label: 'not checked', exitCode: 4 },
  in_sync: { label: 'in sync', exitCode: 0 },
};

/** Display order: live drift first (what a reviewer acts on), then config lag, then blind spots. */
export const KIND_ORDER: readonly DriftKind[] = ['modified', 'deleted', 'leaked', 'unmanaged', 'pending', 'not_checked', 'in_sync'];

/** One sentence per exit code, ending the text report and heading the Markdown one. */
export const EXIT_MEANING: Readonly<Record<DriftReport['exit_code'], { headline: string; explanation: string }>> = {
  0: { headline: 'in sync', explanation: 'the cloud matches the state and the configuration' },
  2: { headline: 'configuration changes pending', explanation: 'configuration changes not yet applied (imagectl plan shows them)' },
  3: { headline: 'live drift found', explanation: 'images changed outside imagectl (live drift)' },
  4: { headline: 'some images not checked', explanation: 'some images could not be checked, so drift cannot be ruled out' },
};
