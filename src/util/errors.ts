// One error base for the whole program. Foreign errors (fetch, fs, ajv) are mapped to it at the
// boundary; only cli.ts catches it, prints `message` (never a stack) and picks the exit code.

/** Who is at fault: the user's input, the cloud API, or imagectl itself. */
export type ErrorOrigin = 'user' | 'cloud' | 'internal';

/** A positioned problem in an input file, printed as FILE:LINE:COL: message. */
export interface Diagnostic {
  file: string;
  line: number;
  col: number;
  message: string;
  severity?: 'error' | 'warning';
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.col}: ${d.severity === 'warning' ? 'warning: ' : ''}${d.message}`;
}

export class ImagectlError extends Error {
  readonly code: string;
  readonly origin: ErrorOrigin;
  readonly exitCode: number;
  readonly diagnostics: readonly Diagnostic[];

  constructor(
    code: string,
    message: string,
    opts: { origin?: ErrorOrigin; exitCode?: number; diagnostics?: readonly Diagnostic[]; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'ImagectlError';
    this.code = code;
    this.origin = opts.origin ?? 'user';
    this.exitCode = opts.exitCode ?? 1;
    this.diagnostics = opts.diagnostics ?? [];
  }
}

/** Configuration problems: every diagnostic found, not just the first. */
export class ConfigError extends ImagectlError {
  constructor(diagnostics: readonly Diagnostic[]) {
    const plural = diagnostics.length === 1 ? 'problem' : 'problems';
    super('CONFIG_INVALID', `${diagnostics.length} configuration ${plural}:\n${diagnostics.map(formatDiagnostic).join('\n')}`, {
      origin: 'user',
      diagnostics,
    });
    this.name = 'ConfigError';
  }
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
