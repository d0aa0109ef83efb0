import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { runMain } from '@app/platform';
import { PlatformModule } from '@app/platform';
import { ApiModule } from './api.module';
import { createHttpApp } from './http-app';

@Module({})
class ApiRootModule {}

/** The API alone, for production, where workers run as separate processes. */
runMain('api', async (config, logger) => {
  const app = await createHttpApp(
    { module: ApiRootModule, imports: [PlatformModule.forRoot(config, logger), ApiModule] },
    logger,
  );
  await app.listen(config.PORT, config.HOST);
  logger.info({ url: await app.getUrl(), mode: config.mode }, 'api listening');
  return app;
});
