// A run that lost its state lock must not change a cloud again. Every mutating driver call
// (create, update, delete) is preceded by a journal write, which the store refuses once the
// lock is lost; this wrapper also checks the lock right before the call itself, which covers the
// calls that follow no write of their own (the old half of a create-before-destroy replacement,
// whose delete intent was journaled with the create) and recovery's calls. The check is cheap
// (one stat of the lock file, or one query on the lock's own session).
import type { DriverSession } from '../drivers/contract.js';
import type { Lock } from '../state/types.js';

const MUTATING = new Set<PropertyKey>(['create', 'update', 'delete']);

export function fenceSessions(sessions: Record<string, DriverSession>, lock: Lock): Record<string, DriverSession> {
  const check = lock.assertHeld?.bind(lock);
  if (check === undefined) return sessions;
  return Object.fromEntries(Object.entries(sessions).map(([name, s]) => [name, fenced(s, check)]));
}

/** A Proxy, so methods a driver session gains later pass through untouched. */
function fenced(session: DriverSession, check: () => Promise<void>): DriverSession {
  return new Proxy(session, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      const fn = value as (...args: unknown[]) => unknown;
      if (!MUTATING.has(prop)) return fn.bind(target);
      return async (...args: unknown[]) => {
        await check();
        return fn.apply(target, args);
      };
    },
  });
}
