import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import { ConfigValidationError } from 'src/config/environment';
import { loadConfig } from 'src/config/app-config';
import { sealPrototypes } from 'src/common/security/prototype-guard';
import { RealtimeServer } from 'src/infrastructure/realtime/realtime.server';
import { RedisIoAdapter } from 'src/infrastructure/realtime/redis-io.adapter';
import { AppModule } from './app.module';

/** The job worker: no HTTP, just the processors. Run as many as the queues need. */
async function main(): Promise<void> {
  sealPrototypes();
  const config = loadConfig();
  if (!config.redis) {
    console.error('The worker needs REDIS_URL: without Redis, jobs run inside the API process (npm start).');
    process.exit(1);
  }
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config, 'worker'), { bufferLogs: true });
  app.useLogger(app.get(PinoLogger));
  // What jobs publish to sockets (an alarm delivery's status, a session reminder) goes through
  // Redis to the API nodes, where the users' sockets are.
  const sockets = await RedisIoAdapter.connect(app, config.redis.url, config.redis.prefix);
  app.get(RealtimeServer).attach(sockets.createHeadlessServer());
  app.enableShutdownHooks();
  new Logger('Haven').log(`worker ${config.version} running (BullMQ)`);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigValidationError ? error.message : error);
  process.exit(1);
});
