import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

/** One built file of the dashboard, held in memory with its headers worked out once. */
export type WebAsset = Readonly<{
  body: Buffer;
  /** Present when gzip saves something. */
  gzip?: Buffer;
  contentType: string;
  etag: string;
  cacheControl: string;
}>;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** A served name: one path segment of safe characters. Anything else is never looked up. */
export const ASSET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** `app.3F2KX7QB.js`: esbuild's content hash in the name, so the file may be cached for good. */
const HASHED = /\.[A-Z0-9]{8}\.[a-z0-9]+$/;
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The page itself is checked every time (its ETag makes that a 304), so a new build shows at once. */
const REVALIDATE = 'no-cache';

/** The built dashboard beside the built code (dist/web), or in dist/ when running from the sources. */
export const defaultWebDir = (): string | undefined =>
  [resolve(__dirname, '../../../../web'), resolve(__dirname, '../../../../dist/web')].find((dir) =>
    existsSync(join(dir, 'index.html')),
  );

/**
 * Reads every file of the build directory (flat, small: a page, a script, a style sheet) into a map
 * keyed by name. Serving from this map means a request can only ever name one of these files: no
 * path is built from a URL, so there is nothing to traverse.
 */
export const loadWebAssets = (dir: string): Map<string, WebAsset> => {
  const assets = new Map<string, WebAsset>();
  for (const name of readdirSync(dir)) {
    const contentType = CONTENT_TYPES[extname(name)];
    const path = join(dir, name);
    if (!contentType || !ASSET_NAME.test(name) || !statSync(path).isFile()) continue;
    const body = readFileSync(path);
    const packed = gzipSync(body, { level: 9 });
    assets.set(name, {
      body,
      ...(packed.length < body.length ? { gzip: packed } : {}),
      contentType,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
      cacheControl: HASHED.test(name) ? IMMUTABLE : REVALIDATE,
    });
  }
  return assets;
};
