import 'reflect-metadata';
import { runMain } from '@app/platform';
import { createHttpApp } from '../../api/src/http-app';
import { EngineModule } from './engine.module';

runMain('engine', async (config, logger) => {
  const app = await createHttpApp(EngineModule.forRoot(config, logger), logger);
  await app.listen(config.PORT, config.HOST);
  logger.info({ url: await app.getUrl(), mode: config.mode, dataDir: config.DATA_DIR }, 'engine listening');
  return app;
});
