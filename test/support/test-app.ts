import { Type } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from 'src/bootstrap';
import { AppConfig } from 'src/config/app-config';
import { createTestConfig, TestEnvOptions } from './test-env';

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as is, with `contentType` (for malformed or non-JSON bodies). */
  rawBody?: string | Buffer;
  contentType?: string;
  token?: string;
  headers?: Record<string, string>;
}

/** Speaks HTTP to a Haven at `url` (in this process or another one). */
export class HttpClient {
  constructor(readonly url: string) {}

  async request<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | Buffer | undefined;
    if (options.rawBody !== undefined) {
      body = options.rawBody;
      if (options.contentType) headers['content-type'] = options.contentType;
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    if (options.token) headers.authorization = options.token.includes(' ') ? options.token : `Bearer ${options.token}`;
    const response = await fetch(`${this.url}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  }

  get = <T = any>(path: string, options?: RequestOptions) => this.request<T>('GET', path, options);
  post = <T = any>(path: string, body?: unknown, options?: RequestOptions) => this.request<T>('POST', path, { ...options, body });
  patch = <T = any>(path: string, body?: unknown, options?: RequestOptions) => this.request<T>('PATCH', path, { ...options, body });
  put = <T = any>(path: string, body?: unknown, options?: RequestOptions) => this.request<T>('PUT', path, { ...options, body });
  delete = <T = any>(path: string, options?: RequestOptions) => this.request<T>('DELETE', path, options);

}

/** A running Haven on a free loopback port, spoken to over real HTTP. */
export class TestApp extends HttpClient {
  constructor(
    readonly app: NestFastifyApplication,
    readonly config: AppConfig,
    url: string,
  ) {
    super(url);
  }

  /** A provider of the running app. */
  resolve<T>(token: Type<T> | string | symbol): T {
    return this.app.get(token, { strict: false });
  }

  close(): Promise<void> {
    return this.app.close();
  }
}

export interface StartOptions extends TestEnvOptions {
  extraModules?: Type[];
  config?: AppConfig;
}

export async function startTestApp(options: StartOptions = {}): Promise<TestApp> {
  const config = options.config ?? (await createTestConfig(options));
  const app = await createApp(config, { extraModules: options.extraModules });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address() as { port: number };
  return new TestApp(app, config, `http://127.0.0.1:${address.port}`);
}
