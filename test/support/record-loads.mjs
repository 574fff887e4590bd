// Preloaded with `node --import` by test/commands/startup.test.ts: appends the path of every
// module the process loads (ES modules through a resolve hook, CommonJS through Module._load,
// which also sees the require() calls made inside CommonJS packages) to $RECORD_LOADS.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const out = process.env.RECORD_LOADS;
if (out) {
  register(new URL('./record-loads-hooks.mjs', import.meta.url));
  const Module = createRequire(import.meta.url)('node:module');
  const load = Module._load;
  Module._load = function (request, parent, isMain) {
    try {
      const file = Module._resolveFilename(request, parent, isMain);
      if (file.includes('/')) appendFileSync(out, `${file}\n`);
    } catch {
      // unresolvable: _load below throws the real error
    }
    return load.apply(this, arguments);
  };
}
