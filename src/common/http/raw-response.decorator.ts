import { RouteConfig } from '@nestjs/platform-fastify';

/** The Fastify route config key that EnvelopingFastifyAdapter reads. */
export const RAW_RESPONSE_CONFIG = 'havenRawResponse';

/**
 * The handler's return value is sent as is (monitoring shapes, file downloads), not in the
 * envelope. On each handler: Nest passes a handler's Fastify route config, not a controller's.
 */
export const RawResponse = (): MethodDecorator => RouteConfig({ [RAW_RESPONSE_CONFIG]: true });
