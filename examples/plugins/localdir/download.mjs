// Fetching an image's content to a temporary file while hashing it, so a wrong checksum is
// caught before anything becomes visible in the folder. Node built-ins only: global fetch for
// http(s), fs streams for file: URLs.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { PluginError } from './errors.mjs';

async function open(url) {
  if (url.startsWith('file:')) {
    // file:relative/path (no slash after the colon) is relative to the config file's folder,
    // where imagectl runs the plugin: handy for examples and tests kept in a repository.
    const file = url.startsWith('file:/') ? fileURLToPath(url) : resolve(url.slice('file:'.length));
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) throw new PluginError('invalid', `${url}: no such file`, true);
    return { body: createReadStream(file), total: info.size };
  }
  let res;
  try {
    res = await fetch(url, { redirect: 'follow' });
  } catch (e) {
    // Nothing was written yet: the create certainly did not happen.
    throw new PluginError('transient', `cannot reach ${url}: ${e.cause?.message ?? e.message}`, true);
  }
  if (!res.ok || !res.body) {
    const kind = res.status >= 500 || res.status === 429 ? 'transient' : 'invalid';
    throw new PluginError(kind, `downloading ${url}: HTTP ${res.status}`, true);
  }
  const total = Number(res.headers.get('content-length') ?? NaN);
  return { body: Readable.fromWeb(res.body), total: Number.isFinite(total) ? total : undefined };
}

/**
 * Downloads `url` to `target`, reporting progress, and checks its sha256. On any failure the
 * partial file is removed, so a definitive error really leaves nothing behind.
 */
export async function download(url, target, expected, onProgress) {
  const { body, total } = await open(url);
  const hash = createHash('sha256');
  let bytes = 0;
  let lastTenth = -1;
  body.on('data', (chunk) => {
    hash.update(chunk);
    bytes += chunk.length;
    const tenth = total ? Math.floor((bytes / total) * 10) : -1;
    if (tenth !== lastTenth) {
      lastTenth = tenth;
      onProgress(`downloaded ${bytes} of ${total ?? '?'} bytes`, total ? Math.min(100, Math.round((bytes / total) * 100)) : undefined);
    }
  });
  try {
    await pipeline(body, createWriteStream(target));
  } catch (e) {
    await rm(target, { force: true });
    throw new PluginError('transient', `downloading ${url} failed: ${e.message}`, true);
  }
  const actual = hash.digest('hex');
  if (actual !== expected.toLowerCase()) {
    await rm(target, { force: true });
    throw new PluginError('invalid', `checksum mismatch for ${url}: expected ${expected.toLowerCase()}, got ${actual}`, true);
  }
  return bytes;
}
