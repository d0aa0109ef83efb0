import 'reflect-metadata';
import { type Principal, signToken } from '@app/auth';
import { DirectiveService } from '@app/directives';
import { EVENT_STORE, type EventStore } from '@app/eventstore';
import { UnitDirectory, UnitService } from '@app/org';
import { CLOCK, type Clock, runMain, TOKEN_SECRET } from '@app/platform';
import { ReportingService } from '@app/reporting';
import { createHttpApp } from '../../api/src/http-app';
import { type DemoSettings, DemoSettingsError, demoSettings, loadDemoData } from './demo/demo-loader';
import { registerDemoTokensRoute } from './demo/demo-tokens.route';
import { EngineModule } from './engine.module';

// `--demo` (npm start -- --demo) or DEMO=1 loads the demo data before listening.
let demo: DemoSettings | undefined;
try {
  demo = demoSettings(process.argv.slice(2), process.env);
} catch (error) {
  if (!(error instanceof DemoSettingsError)) throw error;
  process.stderr.write(`engine: ${error.message}\n`);
  process.exit(error.exitCode);
}

runMain('engine', async (config, logger) => {
  if (demo && config.mode !== 'embedded') {
    throw new Error('The demo data is for the embedded engine only: unset EVENTSTORE_URL, or start without --demo/DEMO=1');
  }
  const app = await createHttpApp(EngineModule.forRoot(config, logger), logger);
  if (demo) {
    try {
      await app.init();
      const secret = app.get<string>(TOKEN_SECRET);
      const clock = app.get<Clock>(CLOCK);
      const mintToken = (principal: Principal) =>
        signToken(principal, secret, {
          issuer: config.JWT_ISSUER,
          expiresInSeconds: config.TOKEN_TTL_SECONDS,
          nowSeconds: Math.floor(clock.now().getTime() / 1000),
        });
      await loadDemoData(
        {
          store: app.get<EventStore>(EVENT_STORE),
          directory: app.get(UnitDirectory),
          units: app.get(UnitService),
          directives: app.get(DirectiveService),
          reporting: app.get(ReportingService),
        },
        { branchesPerCommune: demo.branchesPerCommune, logger, mintToken },
      );
      // The dashboard's development login (DEVELOPMENT ONLY): exists only on a demo engine.
      registerDemoTokensRoute(app, mintToken);
    } catch (error) {
      await app.close();
      throw error;
    }
  }
  await app.listen(config.PORT, config.HOST);
  logger.info(
    { url: await app.getUrl(), mode: config.mode, dataDir: config.DATA_DIR, demo: demo !== undefined },
    'engine listening',
  );
  return app;
});
