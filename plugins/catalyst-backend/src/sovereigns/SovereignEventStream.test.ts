import { AddressInfo } from 'node:net';
import http from 'node:http';
import {
  mockErrorHandler,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { sovereignRecordUpsertSchema } from '@catalyst/plugin-catalyst-common';
import express from 'express';
import knexFactory from 'knex';
import Router from 'express-promise-router';
import request from 'supertest';
import { catalystPlugin } from '../plugin';
import { omantelUpsert } from './__fixtures__/sovereign';
import { streamSovereignEvents } from './SovereignEventStream';
import { SovereignStore } from './SovereignStore';

jest.setTimeout(60_000);

type Frame = { event?: string; id?: string; data?: string; comment?: string };

/** Reads a real HTTP response as Server-Sent Events frames, as a browser's EventSource would split them. */
class SseReader {
  private buffer = '';
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();
  ended = false;

  constructor(readonly response: Response) {
    this.reader = response.body!.getReader();
  }

  /** The next frame, or undefined once the server ended the stream. */
  async next(): Promise<Frame | undefined> {
    for (;;) {
      const end = this.buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        const frame: Frame = {};
        for (const line of block.split('\n')) {
          const colon = line.indexOf(':');
          const field = line.slice(0, colon);
          const value = line.slice(colon + 1).replace(/^ /, '');
          if (field === '') frame.comment = value;
          else (frame as Record<string, string>)[field] = value;
        }
        return frame;
      }
      const { done, value } = await this.reader.read();
      if (done) {
        this.ended = true;
        return undefined;
      }
      this.buffer += this.decoder.decode(value, { stream: true });
    }
  }

  /** The next frame that is not a keep-alive comment. */
  async nextEvent(): Promise<Frame | undefined> {
    for (;;) {
      const frame = await this.next();
      if (!frame || frame.comment === undefined) return frame;
    }
  }

  async cancel() {
    await this.reader.cancel();
  }
}

const events = createServiceFactory({
  service: eventsServiceRef,
  deps: {},
  factory: () => ({ publish: async () => {}, subscribe: async () => {} }),
});

const BASE = '/api/catalyst/v1/sovereigns';

describe('GET /v1/sovereigns/:name/events as Server-Sent Events (real HTTP)', () => {
  let server: http.Server;
  let origin: string;
  beforeEach(async () => {
    ({ server } = await startTestBackend({
      features: [catalystPlugin, events],
    }));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  const open = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${origin}${path}`, {
      headers: { Accept: 'text/event-stream', ...headers },
    });

  it('replays the stored events, tails live ones and ends with done when the phase becomes terminal', async () => {
    await request(server)
      .put(`${BASE}/omantel-omani-works`)
      .send(omantelUpsert())
      .expect(201);
    await request(server)
      .post(`${BASE}/omantel-omani-works/events`)
      .send({ level: 'info', message: 'Overlay committed' })
      .expect(201);

    const response = await open(`${BASE}/omantel-omani-works/events`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('connection')).toBe('keep-alive');
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    const sse = new SseReader(response);

    const first = await sse.nextEvent();
    const second = await sse.nextEvent();
    expect(JSON.parse(first!.data!)).toMatchObject({
      phase: 'provisioning',
      level: 'info',
      message: 'Sovereign omantel.omani.works recorded in phase provisioning',
    });
    expect(JSON.parse(second!.data!)).toMatchObject({
      message: 'Overlay committed',
    });
    expect(Number(second!.id)).toBeGreaterThan(Number(first!.id));

    // Live: written after the stream opened.
    await request(server)
      .post(`${BASE}/omantel-omani-works/events`)
      .send({ level: 'warn', message: 'opentofu is not installable' })
      .expect(201);
    const live = await sse.nextEvent();
    expect(live!.event).toBeUndefined();
    expect(JSON.parse(live!.data!)).toEqual({
      time: expect.any(String),
      phase: 'provisioning',
      level: 'warn',
      message: 'opentofu is not installable',
    });

    const phase = await request(server)
      .post(`${BASE}/omantel-omani-works/phase`)
      .send({ phase: 'ready', message: 'Flux reconciled every Blueprint' })
      .expect(200);
    const ready = await sse.nextEvent();
    expect(JSON.parse(ready!.data!)).toMatchObject({
      phase: 'ready',
      message: 'Flux reconciled every Blueprint',
    });
    const done = await sse.nextEvent();
    expect(done!.event).toBe('done');
    expect(JSON.parse(done!.data!)).toEqual(phase.body.record);
    expect(await sse.next()).toBeUndefined();
    expect(sse.ended).toBe(true);
  });

  it('resumes after Last-Event-ID and ends at once for a terminal Sovereign', async () => {
    await request(server)
      .put(`${BASE}/omantel-omani-works`)
      .send(omantelUpsert())
      .expect(201);
    await request(server)
      .post(`${BASE}/omantel-omani-works/phase`)
      .send({ phase: 'failed', reason: 'tofu', message: 'tofu apply failed' })
      .expect(200);

    const all = new SseReader(await open(`${BASE}/omantel-omani-works/events`));
    const created = await all.nextEvent();
    expect((await all.nextEvent())!.data).toContain('tofu apply failed');
    expect((await all.nextEvent())!.event).toBe('done');
    expect(await all.next()).toBeUndefined();

    const resumed = new SseReader(
      await open(`${BASE}/omantel-omani-works/events`, {
        'Last-Event-ID': created!.id!,
      }),
    );
    const failed = await resumed.nextEvent();
    expect(JSON.parse(failed!.data!)).toMatchObject({
      phase: 'failed',
      level: 'error',
      message: 'tofu apply failed',
    });
    const done = await resumed.nextEvent();
    expect(done!.event).toBe('done');
    expect(JSON.parse(done!.data!)).toMatchObject({
      phase: 'failed',
      phaseReason: 'tofu',
    });
  });

  it('answers JSON without the header, 404 for an unknown Sovereign and 401 without a caller', async () => {
    await request(server)
      .put(`${BASE}/omantel-omani-works`)
      .send(omantelUpsert())
      .expect(201);
    const json = await request(server).get(
      `${BASE}/omantel-omani-works/events`,
    );
    expect(json.headers['content-type']).toMatch(/application\/json/);
    expect(json.body.items).toHaveLength(1);

    const missing = await open(`${BASE}/ghost-example-com/events`);
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.name).toBe('NotFoundError');

    const anonymous = await open(`${BASE}/omantel-omani-works/events`, {
      Authorization: 'Bearer mock-none-token',
    });
    expect(anonymous.status).toBe(401);
  });
});

describe('streamSovereignEvents', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  it('sends keep-alive comments and picks up events another backend instance wrote', async () => {
    const knex = await databases.init('SQLITE_3');
    const database = mockServices.database({ knex });
    const store = await SovereignStore.create(database);
    // A second store on the same database stands in for another replica: its writes are not announced here.
    const otherReplica = await SovereignStore.create(database);
    await store.upsert(
      'omantel-omani-works',
      sovereignRecordUpsertSchema.parse(omantelUpsert()),
    );

    const router = Router();
    router.get('/events/:name', (req, res) =>
      streamSovereignEvents(req, res, req.params.name, {
        store,
        logger: mockServices.logger.mock(),
        keepAliveMs: 50,
        pollMs: 100,
      }),
    );
    const app = express().use(router).use(mockErrorHandler());
    const local = app.listen(0, '127.0.0.1');
    await new Promise(resolve => local.once('listening', resolve));
    try {
      const url = `http://127.0.0.1:${
        (local.address() as AddressInfo).port
      }/events/omantel-omani-works`;
      const sse = new SseReader(
        await fetch(url, { headers: { Accept: 'text/event-stream' } }),
      );
      expect((await sse.next())!.data).toContain('recorded in phase');
      expect(await sse.next()).toEqual({ comment: 'keep-alive' });

      await otherReplica.appendEvent('omantel-omani-works', {
        level: 'info',
        message: 'written by another replica',
      });
      const polled = await sse.nextEvent();
      expect(JSON.parse(polled!.data!).message).toBe(
        'written by another replica',
      );

      await otherReplica.delete('omantel-omani-works');
      const gone = await sse.nextEvent();
      expect(gone!.event).toBe('error');
      expect(await sse.next()).toBeUndefined();
    } finally {
      await new Promise(resolve => local.close(resolve));
    }
  });
});

const pgDatabases = TestDatabases.create({ ids: ['POSTGRES_15'] });
if (
  process.env.CATALYST_TEST_REQUIRE_POSTGRES &&
  !pgDatabases.supports('POSTGRES_15')
) {
  throw new Error(
    'CATALYST_TEST_REQUIRE_POSTGRES is set but POSTGRES_15 is not available',
  );
}

(pgDatabases.supports('POSTGRES_15') ? describe : describe.skip)(
  'streamSovereignEvents across replicas on PostgreSQL',
  () => {
    it('a change written on one replica reaches a stream served by another at once, not on a poll', async () => {
      const knex = await pgDatabases.init('POSTGRES_15');
      // Two backends: two connection pools on one database.
      const otherKnex = knexFactory(knex.client.config);
      const store = await SovereignStore.create(
        mockServices.database({ knex }),
      );
      const otherReplica = await SovereignStore.create(
        mockServices.database({ knex: otherKnex }),
      );
      await store.upsert(
        'omantel-omani-works',
        sovereignRecordUpsertSchema.parse(omantelUpsert()),
      );
      const router = Router();
      router.get('/events/:name', (req, res) =>
        streamSovereignEvents(req, res, req.params.name, {
          store,
          logger: mockServices.logger.mock(),
          // Neither poll nor keep-alive within the test: only the notification can deliver.
          keepAliveMs: 600_000,
          pollMs: 600_000,
        }),
      );
      const app = express().use(router).use(mockErrorHandler());
      const local = app.listen(0, '127.0.0.1');
      await new Promise(resolve => local.once('listening', resolve));
      try {
        const url = `http://127.0.0.1:${
          (local.address() as AddressInfo).port
        }/events/omantel-omani-works`;
        const sse = new SseReader(
          await fetch(url, { headers: { Accept: 'text/event-stream' } }),
        );
        expect((await sse.next())!.data).toContain('recorded in phase');

        await otherReplica.appendEvent('omantel-omani-works', {
          level: 'info',
          message: 'written by another replica',
        });
        const pushed = await sse.nextEvent();
        expect(JSON.parse(pushed!.data!).message).toBe(
          'written by another replica',
        );
        await otherReplica.setPhase('omantel-omani-works', {
          phase: 'failed',
          reason: 'provisioning-failed',
          message: 'stopped on another replica',
        });
        const frames = [await sse.nextEvent(), await sse.nextEvent()];
        expect(frames.map(f => f?.event ?? 'data')).toEqual(['data', 'done']);
      } finally {
        await new Promise(resolve => local.close(resolve));
        await store.close();
        await otherReplica.close();
        await otherKnex.destroy();
      }
    });
  },
);
