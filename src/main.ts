import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigValidationError } from 'src/config/environment';
import { AppConfig, loadConfig } from 'src/config/app-config';
import { EmbeddedDatabaseBusyError } from 'src/infrastructure/database/embedded-postgres';
import cluster from 'node:cluster';
import { isClusterPrimary, superviseApiWorkers } from 'src/infrastructure/cluster/api-cluster';
import { sealPrototypes } from 'src/common/security/prototype-guard';
import { createApp } from './bootstrap';

async function main(): Promise<void> {
  sealPrototypes();
  const config = loadConfig();
  if (isClusterPrimary(config)) return superviseApiWorkers(config);
  const app = await createApp(config);
  await app.listen({ port: config.http.port, host: config.http.host });
  const base = config.http.publicUrl ?? `http://localhost:${config.http.port}`;
  const logger = new Logger('Haven');
  logger.log(
    `Haven ${config.version} listening: API ${base}/api/v1 · docs ${base}/api/docs · ReDoc ${base}/api/redoc · health ${base}/health` +
      ` · database ${config.database.kind === 'postgres' ? 'PostgreSQL' : `embedded (${config.database.dataDir})`}` +
      ` · jobs ${config.redis ? 'BullMQ' : 'in-process'}` +
      (config.http.workers > 1 ? ` · worker ${process.pid} of ${config.http.workers}` : ''),
  );
  // A human starting it by hand sees where to go even with LOG_LEVEL=warn (once, not per worker).
  if (process.stdout.isTTY && (config.http.workers === 1 || cluster.worker?.id === 1)) console.log(banner(config, base));
}

function banner(config: AppConfig, base: string): string {
  const lines = ['', `  Haven API  ${base}/api/v1`, `  Swagger UI ${base}/api/docs`, `  ReDoc      ${base}/api/redoc`, ''];
  // seed:demo refuses production, so it is only suggested elsewhere.
  if (config.env !== 'production') lines.push('  Demo accounts: npm run seed:demo · Nest start-up details: LOG_LEVEL=debug · Ctrl-C stops', '');
  return lines.join('\n');
}

main().catch((error: unknown) => {
  if (error instanceof ConfigValidationError || error instanceof EmbeddedDatabaseBusyError) {
    console.error(error.message);
  } else {
    console.error('Haven failed to start:', error);
  }
  process.exit(1);
});
