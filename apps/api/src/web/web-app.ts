import type { INestApplication } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { correlationIdOf } from '../http/request-context';
import { ASSET_NAME, defaultWebDir, loadWebAssets, type WebAsset } from './web-assets';

export const WEB_PATH = '/app/';

/**
 * The page may load only its own script, style sheet and icons, and talk only to this origin; no
 * inline script or style, no frames, no plugins. The app builds its DOM with textContent, never HTML.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

/** The same error body as every other route; it names no path and no file. */
const notFound = (request: FastifyRequest, reply: FastifyReply) =>
  reply
    .status(404)
    .header('x-content-type-options', 'nosniff')
    .send({ error: { code: 'NOT_FOUND', kind: 'not_found', message: 'No such page', correlationId: correlationIdOf(request) } });

const send = (request: FastifyRequest, reply: FastifyReply, asset: WebAsset) => {
  void reply
    .headers(SECURITY_HEADERS)
    .header('content-type', asset.contentType)
    .header('cache-control', asset.cacheControl)
    .header('etag', asset.etag)
    .header('vary', 'accept-encoding');
  const known = request.headers['if-none-match'];
  if (typeof known === 'string' && known.split(',').some((tag) => tag.trim().replace(/^W\//, '') === asset.etag)) {
    return reply.status(304).send();
  }
  const acceptsGzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
  if (asset.gzip && acceptsGzip) return reply.header('content-encoding', 'gzip').send(asset.gzip);
  return reply.send(asset.body);
};

/**
 * The dashboard (apps/web, built into dist/web by `npm run build`) as static files under /app/,
 * with / redirecting there. Plain Fastify routes beside Nest's, like /docs: public, since the page
 * itself holds no data; every query it makes carries the user's token.
 */
export const setupWebApp = (app: INestApplication, logger: Logger, webDir = defaultWebDir()): void => {
  const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
  const assets = webDir ? loadWebAssets(webDir) : new Map<string, WebAsset>();
  if (!assets.has('index.html')) {
    logger.warn({ webDir: webDir ?? null }, 'dashboard not built (no index.html): /app/ answers 404; run "npm run build"');
  }
  fastify.get('/', (_request, reply) => reply.redirect(WEB_PATH, 302));
  fastify.get('/app', (_request, reply) => reply.redirect(WEB_PATH, 301));
  fastify.get('/app/*', (request, reply) => {
    const name = (request.params as { '*': string })['*'] || 'index.html';
    const asset = ASSET_NAME.test(name) ? assets.get(name) : undefined;
    return asset ? send(request, reply, asset) : notFound(request, reply);
  });
};
