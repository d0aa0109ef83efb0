import type { INestApplication } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import type { HttpMetrics } from '@app/metrics';

/**
 * Counts every answered request under the route pattern Fastify matched (Nest's routes, /docs,
 * /app/*), never the URL itself: a request no route matched is counted as `unmatched`, so no path
 * a client invents can add a series.
 */
export const observeRequests = (app: INestApplication, metrics: HttpMetrics): void => {
  const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.observe(request.method, request.routeOptions.url, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
};
