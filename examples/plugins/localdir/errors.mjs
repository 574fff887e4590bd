// Errors as data: every failure the driver reports carries one of the protocol's kinds and
// says whether the store certainly did not change (`definitive`), which tells imagectl whether
// it may forget the operation or must keep it for recovery.

export class PluginError extends Error {
  constructor(kind, message, definitive = false) {
    super(message);
    this.kind = kind;
    this.definitive = definitive;
  }
}

/** The `error` member of a response. Unexpected exceptions are `failed` and not definitive. */
export function toWireError(e) {
  if (e instanceof PluginError) return { kind: e.kind, message: e.message, definitive: e.definitive };
  return { kind: 'failed', message: e instanceof Error ? e.message : String(e), definitive: false };
}
