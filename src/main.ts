import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigValidationError } from 'src/config/environment';
import { loadConfig } from 'src/config/app-config';
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
  if (process.stdout.isTTY && (config.http.workers === 1 || cluster.worker?.id === 1)) console.log(`\n  Haven API  ${base}/api/v1\n  Swagger UI ${base}/api/docs\n  ReDoc      ${base}/api/redoc\n`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigValidationError || error instanceof EmbeddedDatabaseBusyError) {
    console.error(error.message);
  } else {
    console.error('Haven failed to start:', error);
  }
  process.exit(1);
});
