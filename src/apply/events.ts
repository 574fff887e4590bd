// Progress goes through an event sink, never console: the command decides how to show it
// (a live TTY view, plain lines, or NDJSON with --json).
import type { Action } from '../planner/types.js';

export type StepKind = 'create' | 'update' | 'delete' | 'delete_old';

export type ApplyEvent =
  | { type: 'step_start'; address: string; step: StepKind; action: Action }
  | { type: 'step_progress'; address: string; step: StepKind; message: string; percent?: number }
  | { type: 'step_done'; address: string; step: StepKind; id?: string; elapsed_ms: number }
  | { type: 'step_failed'; address: string; step: StepKind; error: string; kind?: string; elapsed_ms: number }
  | { type: 'step_skipped'; address: string; step: StepKind; because: string }
  | { type: 'recovered'; address: string; action: string; outcome: string }
  | { type: 'warning'; message: string };

export interface EventSink {
  emit(event: ApplyEvent): void;
}

export const nullSink: EventSink = { emit: () => {} };
