import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ACCESS_KEY, AccessRule } from 'src/common/access/access.decorators';
import { AccessGuard } from 'src/common/access/access.guard';
import { startTestApp, TestApp } from './support/test-app';

interface RouteAccess {
  route: string;
  access: string;
}

/** Every controller route of the app with its declared access (public, signed-in, or permissions). */
function listRoutes(api: TestApp): RouteAccess[] {
  const discovery = api.resolve(DiscoveryService);
  const scanner = api.resolve(MetadataScanner);
  const reflector = api.resolve(Reflector);
  const routes: RouteAccess[] = [];
  for (const wrapper of discovery.getControllers()) {
    const controller = wrapper.metatype as new () => object;
    const prototype = controller.prototype as Record<string, (...args: unknown[]) => unknown>;
    const base = [Reflect.getMetadata(PATH_METADATA, controller)].flat().join('');
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name];
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      if (path === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
      const rule = reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, [handler, controller]);
      const access = !rule ? 'UNDECLARED' : rule.public ? 'public' : rule.permissions.length ? rule.permissions.join('+') : 'signed-in';
      routes.push({ route: `${method} /${[base, path].filter(Boolean).join('/')}`.replace(/\/+/g, '/'), access });
    }
  }
  return routes.sort((a, b) => a.route.localeCompare(b.route));
}

describe('route access declarations', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp({ withoutRedis: true, embedded: true });
  });
  afterAll(() => api?.close());

  it('every route declares who may call it', () => {
    const routes = listRoutes(api);
    expect(routes.length).toBeGreaterThan(3);
    expect(routes.filter((r) => r.access === 'UNDECLARED').map((r) => r.route)).toEqual([]);
  });

  it('keeps the monitoring routes as designed', () => {
    const byRoute = Object.fromEntries(listRoutes(api).map((r) => [r.route, r.access]));
    expect(byRoute).toMatchObject({
      'GET /health': 'public',
      'GET /status': 'public',
      'GET /metrics': 'metrics:read',
      'GET /metrics/prometheus': 'public',
    });
  });

  it('a route without a declaration is refused at run time', async () => {
    const guard = new AccessGuard(api.resolve(Reflector));
    const context = {
      getType: () => 'http',
      getHandler: () => function undeclared() {},
      getClass: () => class Undeclared {},
      switchToHttp: () => ({ getRequest: () => ({ headers: {} }) }),
    };
    await expect(guard.canActivate(context as never)).rejects.toMatchObject({ code: 'COMMON.FORBIDDEN' });
  });
});
