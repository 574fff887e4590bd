// Finds the configuration file: `-c FILE` when given, otherwise cosmiconfig's search of the
// current directory only (a config in a parent folder applying silently to a subfolder would be
// surprising for a tool that deletes images). cosmiconfig only finds the file: parse.ts re-reads
// it with positions. cosmiconfig (and its parsers) is loaded only for that search: with `-c FILE`
// it is start-up time for nothing.
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import { ImagectlError, errorMessage } from '../../util/errors.js';

export const MODULE_NAME = 'imagectl';

export const SEARCH_PLACES: readonly string[] = [
  'imagectl.yaml',
  'imagectl.yml',
  '.imagectlrc',
  '.imagectlrc.yaml',
  '.imagectlrc.yml',
  'imagectl.config.yaml',
  'imagectl.config.yml',
];

// The loader parses nothing: we only want the path, and parsing happens once, with positions.
// (It must not return null, which cosmiconfig reads as "no config here".)
const noParse = (): Record<string, never> => ({});

async function search(cwd: string): Promise<{ filepath: string } | null> {
  const { cosmiconfig } = await import('cosmiconfig');
  const explorer = cosmiconfig(MODULE_NAME, {
    searchPlaces: [...SEARCH_PLACES],
    searchStrategy: 'none',
    cache: false,
    // An empty imagectl.yaml is still the config the user meant: report it, don't skip past it.
    ignoreEmptySearchPlaces: false,
    loaders: { '.yaml': noParse, '.yml': noParse, noExt: noParse },
  });
  return explorer.search(cwd);
}

/** Absolute path of the config file to load. Throws ImagectlError when there is none. */
export async function discoverConfig(opts: { configFile?: string; cwd: string }): Promise<string> {
  if (opts.configFile !== undefined) {
    const abs = path.resolve(opts.cwd, opts.configFile);
    try {
      const s = await stat(abs);
      if (!s.isFile()) throw new ImagectlError('CONFIG_NOT_FOUND', `config file ${opts.configFile} is not a file`);
    } catch (e) {
      if (e instanceof ImagectlError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'does not exist' : `cannot be read (${errorMessage(e)})`;
      throw new ImagectlError('CONFIG_NOT_FOUND', `config file ${opts.configFile} ${why}`);
    }
    return abs;
  }
  let found: { filepath: string } | null;
  try {
    found = await search(opts.cwd);
  } catch (e) {
    throw new ImagectlError('CONFIG_NOT_FOUND', `cannot search ${opts.cwd} for a config file: ${errorMessage(e)}`);
  }
  if (found === null) {
    throw new ImagectlError(
      'CONFIG_NOT_FOUND',
      `no imagectl config file in ${opts.cwd} (looked for ${SEARCH_PLACES.join(', ')}); create one or pass -c FILE`,
    );
  }
  return found.filepath;
}
