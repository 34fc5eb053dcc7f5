import { ChildProcess, spawn } from 'node:child_process';
import { io } from 'socket.io-client';
import { chatCast, ChatCast, openChat } from './support/chat';
import { freePort } from './support/ports';
import { buildScripts } from './support/scripts';
import { collect, connectSocket, emitAck } from './support/sockets';
import { createTestConfig, usingRedis } from './support/test-env';
import { HttpClient, startTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait';

const METRICS_TOKEN = 'cluster-metrics-token-0123456789';
const workerPids = (output: string): string[] => [...new Set([...output.matchAll(/worker (\d+) of 2/g)].map((m) => m[1]))];

// Several API processes need PostgreSQL and Redis (the zero-setup shape refuses them: see environment.spec.ts).
if (usingRedis) {
  describe('API_WORKERS=2: one port served by two API processes', () => {
    let api: TestApp;
    let cluster: ChildProcess;
    let build: ReturnType<typeof buildScripts>;
    let clusterApi: HttpClient;
    let cast: ChatCast;
    let chatId: string;
    let output = '';

    beforeAll(async () => {
      const config = await createTestConfig();
      api = await startTestApp({ config });
      cast = await chatCast(api);
      chatId = await openChat(api, cast.patient, cast.therapist);
      build = buildScripts();
      if (config.database.kind !== 'postgres') throw new Error('the cluster test needs the test PostgreSQL');
      const port = await freePort();
      cluster = spawn(process.execPath, [`${build.dir}/src/main.js`], {
        env: {
          PATH: process.env.PATH ?? '',
          NODE_ENV: 'test',
          LOG_LEVEL: 'info',
          API_WORKERS: '2',
          PORT: String(port),
          HOST: '127.0.0.1',
          DATABASE_URL: config.database.url,
          REDIS_URL: config.redis!.url,
          REDIS_PREFIX: config.redis!.prefix,
          JWT_SECRET: config.auth.jwt.secret,
          ENCRYPTION_KEY: config.encryption.current.toString('base64'),
          DATA_DIR: 'memory://',
          METRICS_TOKEN: METRICS_TOKEN,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      cluster.stdout!.on('data', (d: Buffer) => (output += d.toString()));
      cluster.stderr!.on('data', (d: Buffer) => (output += d.toString()));
      clusterApi = new HttpClient(`http://127.0.0.1:${port}`);
      await waitFor(async () => workerPids(output).length === 2, 'both API workers to listen', 60_000, 100);
    });
    afterAll(async () => {
      if (cluster && cluster.exitCode === null) {
        cluster.kill('SIGTERM');
        await new Promise((r) => cluster.once('exit', r));
      }
      build?.remove();
      await api?.close();
    });

    it('serves the API from two processes under one primary', async () => {
      const pids = workerPids(output);
      expect(pids).toHaveLength(2);
      expect(pids).not.toContain(String(cluster.pid));
      for (let i = 0; i < 6; i++) expect((await clusterApi.get('/health')).status).toBe(200);
      const me = await clusterApi.get('/api/v1/users/me', { token: cast.patient.access });
      expect(me.status).toBe(200);
      expect(me.body.data.id).toBe(cast.patient.id);
    });

    it('delivers a message to every socket of the recipient, whichever process holds it', async () => {
      // Connections are handed out in turn, so four sockets land on both processes.
      const patientSockets = await Promise.all([1, 2, 3, 4].map(() => connectSocket(clusterApi.url, cast.patient.access)));
      const received = patientSockets.map((socket) => collect(socket, 'message'));
      const therapist = await connectSocket(clusterApi.url, cast.therapist.access);
      try {
        const ack = await emitAck(therapist, 'message', { chat_id: chatId, text: 'across processes' });
        expect(ack.ok).toBe(true);
        await waitFor(async () => received.every((list) => list.some((m) => m.id === ack.data.id)) || undefined, 'every patient socket to get the message', 5_000);
        expect(received.map((list) => list.filter((m) => m.id === ack.data.id).length)).toEqual([1, 1, 1, 1]);
      } finally {
        for (const socket of [...patientSockets, therapist]) socket.close();
      }
    });

    it('metrics combine both processes: the staff summary and the Prometheus scrape count every request', async () => {
      // A new connection per request: the primary hands connections to the workers in turn.
      for (let i = 0; i < 10; i++) expect((await fetch(`${clusterApi.url}/status`, { headers: { connection: 'close' } })).status).toBe(200);
      for (let scrape = 0; scrape < 2; scrape++) {
        const summary = await fetch(`${clusterApi.url}/metrics`, { headers: { authorization: `Bearer ${cast.admin.access}`, connection: 'close' } });
        expect(((await summary.json()) as any).metrics['GET /status']).toMatchObject({ request_count: 10 });
        const prometheus = await fetch(`${clusterApi.url}/metrics/prometheus`, { headers: { authorization: `Bearer ${METRICS_TOKEN}`, connection: 'close' } });
        expect(await prometheus.text()).toContain('haven_http_request_duration_seconds_count{method="GET",route="/status",status="200"} 10');
      }
    });

    it('accepts the WebSocket transport only (long-polling would need sticky sessions)', async () => {
      const socket = io(clusterApi.url, { transports: ['polling'], auth: { token: cast.patient.access }, reconnection: false, forceNew: true });
      try {
        const outcome = await new Promise<string>((resolve) => {
          socket.once('connect', () => resolve('connected'));
          socket.once('connect_error', () => resolve('refused'));
        });
        expect(outcome).toBe('refused');
      } finally {
        socket.close();
      }
    });

    it('replaces a worker that dies, and stops every process on SIGTERM', async () => {
      const [victim, survivor] = workerPids(output);
      process.kill(Number(victim), 'SIGKILL');
      await waitFor(async () => workerPids(output).length === 3 || undefined, 'a replacement worker', 60_000, 100);
      expect(output).toContain('API worker died; starting a replacement');
      for (let i = 0; i < 4; i++) expect((await clusterApi.get('/health')).status).toBe(200);

      const exited = new Promise<number | null>((resolve) => cluster.once('exit', (code) => resolve(code)));
      cluster.kill('SIGTERM');
      expect(await exited).toBe(0);
      const alive = (pid: string): boolean => {
        try {
          process.kill(Number(pid), 0);
          return true;
        } catch {
          return false;
        }
      };
      await waitFor(async () => workerPids(output).every((pid) => !alive(pid)) || undefined, 'every worker to stop', 10_000);
      expect(alive(survivor)).toBe(false);
    });
  });
}

describe('API_WORKERS without PostgreSQL and Redis', () => {
  let build: ReturnType<typeof buildScripts>;
  beforeAll(() => {
    build = buildScripts();
  });
  afterAll(() => build?.remove());

  it('refuses to start, naming the variable and what it needs', async () => {
    const child = spawn(process.execPath, [`${build.dir}/src/main.js`], {
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', API_WORKERS: '2', DATA_DIR: 'memory://', PORT: String(await freePort()) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(output).toContain('API_WORKERS: more than one API process needs DATABASE_URL and REDIS_URL');
  });
});
