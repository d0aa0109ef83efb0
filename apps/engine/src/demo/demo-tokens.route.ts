import type { INestApplication } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import type { Principal } from '@app/auth';
import { DEMO_USERS, type DemoUser } from './demo-loader';

export const DEMO_TOKENS_PATH = '/dev/demo-tokens';

/**
 * `GET /dev/demo-tokens`: the demo users with a fresh token each, for the dashboard's development
 * login. DEVELOPMENT ONLY: the engine adds this route only when it loaded the demo data (`--demo`,
 * embedded mode); on any other server the path does not exist (404). Tokens are minted per request
 * with the engine's key, so a page left open past the tokens' lifetime can sign in again.
 */
export const registerDemoTokensRoute = (app: INestApplication, mintToken: (principal: Principal) => string): void => {
  const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
  fastify.get(DEMO_TOKENS_PATH, (_request, reply) =>
    reply
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .send({
        developmentOnly: true,
        users: (Object.keys(DEMO_USERS) as DemoUser[]).map((user) => ({
          user,
          ...DEMO_USERS[user],
          token: mintToken(DEMO_USERS[user]),
        })),
      }),
  );
};
