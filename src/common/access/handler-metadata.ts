import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

/**
 * One metadata value per route handler (the handler's, else its controller's, else the
 * fallback), read through the Reflector once and then kept: guards ask on every request,
 * and a handler's metadata never changes.
 */
export class HandlerMetadata<T> {
  private readonly values = new WeakMap<object, T>();

  constructor(
    private readonly reflector: Reflector,
    private readonly key: string,
    private readonly fallback: T,
  ) {}

  of(context: ExecutionContext): T {
    const handler = context.getHandler();
    if (this.values.has(handler)) return this.values.get(handler) as T;
    const value = this.reflector.getAllAndOverride<T | undefined>(this.key, [handler, context.getClass()]) ?? this.fallback;
    this.values.set(handler, value);
    return value;
  }
}
