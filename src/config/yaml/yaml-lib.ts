// The `yaml` package, loaded when first needed: a plain config is read by the fast reader
// (fast-yaml/) and yaml's ~25 ms of loading is paid only for a document it hands back, or for a
// position. yaml's Node entry is CommonJS, so `require` gives the very module an `import` would.
import { createRequire } from 'node:module';

type Yaml = typeof import('yaml');

let lib: Yaml | undefined;

export function yamlLib(): Yaml {
  return (lib ??= createRequire(import.meta.url)('yaml') as Yaml);
}
