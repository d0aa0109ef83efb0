import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyInstance } from 'fastify';

export const DOCS_PATH = '/docs';
export const DOCS_JSON_PATH = '/docs/json';

/** The Swagger UI files the page loads, from the swagger-ui-dist that @nestjs/swagger ships with. */
const ASSETS: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const assetsDirectory = (): string =>
  dirname(require.resolve('swagger-ui-dist/package.json', { paths: [dirname(require.resolve('@nestjs/swagger'))] }));

const page = `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>VWU workflow engine API</title>
  <link rel="stylesheet" href="${DOCS_PATH}/swagger-ui.css">
  <link rel="icon" type="image/png" href="${DOCS_PATH}/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${DOCS_PATH}/swagger-ui-bundle.js"></script>
  <script src="${DOCS_PATH}/swagger-ui-standalone-preset.js"></script>
  <script>
    window.ui = SwaggerUIBundle({
      url: '${DOCS_JSON_PATH}',
      dom_id: '#swagger-ui',
      deepLinking: true,
      persistAuthorization: true,
      presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
      layout: 'StandaloneLayout',
    });
  </script>
</body>
</html>
`;

/**
 * Swagger UI at /docs and the OpenAPI document at /docs/json. Both are plain Fastify routes beside
 * Nest's, so the bearer-token guard never sees them: they are public. The UI's few files are served
 * here rather than through @fastify/static, whose current major (the one @nestjs/platform-fastify
 * 11.2 accepts) pulls in an ES-module-only dependency that Jest on Node 20 cannot load.
 */
export const setupOpenApi = (app: INestApplication): void => {
  const config = new DocumentBuilder()
    .setTitle('VWU workflow engine')
    .setDescription(
      'Directives, assignments and reporting over a unit hierarchy. Commands are POSTs that answer the stream revision ' +
        '(also as ETag, for If-Match); send Idempotency-Key to make a retry safe. Errors are ' +
        '{ error: { code, kind, message, fields?, correlationId } }.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  SwaggerModule.setup(DOCS_PATH, app, () => SwaggerModule.createDocument(app, config), {
    ui: false,
    raw: ['json'],
    jsonDocumentUrl: DOCS_JSON_PATH,
  });

  const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
  const directory = assetsDirectory();
  const cache = new Map<string, Buffer>();
  fastify.get(DOCS_PATH, (_request, reply) => reply.type('text/html; charset=utf-8').send(page));
  for (const [file, type] of Object.entries(ASSETS)) {
    fastify.get(`${DOCS_PATH}/${file}`, (_request, reply) => {
      let body = cache.get(file);
      if (!body) cache.set(file, (body = readFileSync(join(directory, file))));
      return reply.type(type).header('cache-control', 'public, max-age=86400').send(body);
    });
  }
};
