import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AppMetrics } from '@app/metrics';
import { Public } from '../http/public.decorator';

/**
 * Prometheus' scrape target: this process's series in the text format. Public like /health (a
 * scraper carries no bearer token; keep the port off the internet), and left out of the OpenAPI
 * document: it is for operators, not API clients (docs/operations.md lists every series).
 */
@Public()
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: AppMetrics) {}

  @Get()
  async scrape(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const body = await this.metrics.render();
    reply.header('content-type', this.metrics.contentType).header('cache-control', 'no-store');
    return body;
  }
}
