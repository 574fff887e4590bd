// Properties computed when first read. Positions in the config are only wanted when something goes
// wrong, and finding one for every image, ref, lookup and secret up front was a large part of
// loading 10,000 images; a Numspot image's etag is a hash a plan needs only for images it acts on. Each getter is shared by every object it is defined on (a closure per object
// turns each one into a slow dictionary-mode object in V8); what it computes from sits on the
// object under a symbol, which JSON, spreads and Object.keys never see.

const HELD = Symbol('lazy properties');

interface Held {
  source: unknown;
  values: Map<string, unknown> | undefined;
}

type Compute = (source: never) => unknown;
type SourceOf<C extends Record<string, Compute>> = Parameters<C[keyof C]>[0];
type Computed<C extends Record<string, Compute>> = { [K in keyof C]: ReturnType<C[K]> };

/**
 * A function defining the `computes` keys on an object, in this order, as enumerable properties
 * whose value is computed from `source` the first time each is read (or set by an assignment).
 */
export function lazyProperties<C extends Record<string, Compute>>(computes: C): <T extends object>(target: T, source: SourceOf<C>) => T & Computed<C> {
  const descriptors = Object.entries(computes).map(([key, compute]): [string, PropertyDescriptor] => [
    key,
    {
      enumerable: true,
      get(this: { [HELD]: Held }): unknown {
        const held = this[HELD];
        const values = (held.values ??= new Map());
        if (!values.has(key)) values.set(key, compute(held.source as never));
        return values.get(key);
      },
      // An assignment replaces the value, as with a plain property.
      set(this: { [HELD]: Held }, value: unknown): void {
        (this[HELD].values ??= new Map()).set(key, value);
      },
    },
  ]);
  return <T extends object>(target: T, source: SourceOf<C>): T & Computed<C> => {
    const held: Held = { source, values: undefined };
    Object.defineProperty(target, HELD, { value: held });
    for (const [key, descriptor] of descriptors) Object.defineProperty(target, key, descriptor);
    return target as T & Computed<C>;
  };
}
