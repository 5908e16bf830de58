import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { EventParams, eventsServiceRef } from '@backstage/plugin-events-node';
import request from 'supertest';
import { catalystPlugin } from '../plugin';
import { omantelRequest, omantelUpsert } from './__fixtures__/sovereign';

/** Captures what the plugin publishes on the events service. */
function recordingEvents() {
  const published: EventParams[] = [];
  const factory = createServiceFactory({
    service: eventsServiceRef,
    deps: {},
    factory: () => ({
      publish: async (params: EventParams) => {
        published.push(params);
      },
      subscribe: async () => {},
    }),
  });
  return { published, factory };
}

async function startCatalyst(options?: {
  deny?: boolean;
  voucherCodeKey?: string;
}) {
  const events = recordingEvents();
  const { server } = await startTestBackend({
    features: [
      catalystPlugin,
      events.factory,
      ...(options?.voucherCodeKey
        ? [
            mockServices.rootConfig.factory({
              data: {
                catalyst: { vouchers: { codeKey: options.voucherCodeKey } },
              },
            }),
          ]
        : []),
      mockServices.permissions.factory({
        result: options?.deny ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
      }),
    ],
  });
  return { server, published: events.published };
}

const BASE = '/api/catalyst/v1/sovereigns';

describe('Sovereign registry API', () => {
  it('creates, updates, reads and lists a Sovereign and publishes each change', async () => {
    const { server, published } = await startCatalyst();

    const created = await request(server)
      .put(`${BASE}/omantel-omani-works`)
      .send(omantelUpsert());
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'omantel-omani-works',
      fqdn: 'omantel.omani.works',
      phase: 'provisioning',
    });

    const updated = await request(server)
      .put(`${BASE}/omantel-omani-works`)
      .set('Authorization', mockCredentials.service.header())
      .send(omantelUpsert({ phase: 'ready' }));
    expect(updated.status).toBe(200);
    expect(updated.body.phase).toBe('ready');

    const one = await request(server).get(`${BASE}/omantel-omani-works`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(updated.body);

    const list = await request(server).get(BASE);
    expect(list.body.items).toEqual([updated.body]);

    expect(published).toEqual([
      {
        topic: 'catalyst.sovereign',
        eventPayload: { action: 'upsert', record: created.body },
      },
      {
        topic: 'catalyst.sovereign',
        eventPayload: { action: 'upsert', record: updated.body },
      },
    ]);
  });

  it('refuses a token-like field anywhere in the record and stores nothing', async () => {
    const { server, published } = await startCatalyst();
    const withToken = {
      ...omantelUpsert(),
      hcloudToken: 'x'.repeat(64),
    };
    const res = await request(server)
      .put(`${BASE}/omantel-omani-works`)
      .send(withToken);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain("'hcloudToken'");
    expect(JSON.stringify(res.body)).not.toContain('x'.repeat(64));

    const nested = omantelUpsert();
    const res2 = await request(server)
      .put(`${BASE}/omantel-omani-works`)
      .send({
        ...nested,
        domain: { ...nested.domain, registrarToken: 'secret-value' },
      });
    expect(res2.status).toBe(400);
    expect(res2.body.error.message).toContain('domain');
    expect(res2.body.error.message).toContain("'registrarToken'");

    expect((await request(server).get(BASE)).body.items).toEqual([]);
    expect(published).toEqual([]);
  });

  it('keeps the provisioning request but refuses a token-like key inside it', async () => {
    const { server, published } = await startCatalyst();
    const provisioningRequest = omantelRequest();
    const withToken = await request(server)
      .put(`${BASE}/omantel-omani-works`)
      .send(
        omantelUpsert({
          request: {
            ...provisioningRequest,
            hetznerToken: 'h'.repeat(64),
          } as any,
        }),
      );
    expect(withToken.status).toBe(400);
    expect(withToken.body.error.message).toContain(
      "request: unknown field(s) 'hetznerToken' are not accepted",
    );
    expect(JSON.stringify(withToken.body)).not.toContain('h'.repeat(64));
    expect(published).toEqual([]);

    const stored = await request(server)
      .put(`${BASE}/omantel-omani-works`)
      .send(omantelUpsert({ request: provisioningRequest }));
    expect(stored.status).toBe(201);
    const read = await request(server).get(`${BASE}/omantel-omani-works`);
    expect(read.body.request).toEqual(provisioningRequest);
    expect(read.body.phaseChangedAt).toBe(read.body.createdAt);
  });

  it('names the field of an invalid record and checks the name against the FQDN', async () => {
    const { server } = await startCatalyst();
    const bad = await request(server)
      .put(`${BASE}/omantel-omani-works`)
      .send(omantelUpsert({ adminEmail: 'not-an-email' }));
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/adminEmail: Invalid email/);

    const mismatch = await request(server)
      .put(`${BASE}/other-omani-works`)
      .send(omantelUpsert());
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error.message).toContain(
      "belongs under name 'omantel-omani-works'",
    );
  });

  it('records phase changes and events, and lists the history', async () => {
    const { server, published } = await startCatalyst();
    await request(server)
      .put(`${BASE}/omantel-omani-works`)
      .send(omantelUpsert())
      .expect(201);

    const phase = await request(server)
      .post(`${BASE}/omantel-omani-works/phase`)
      .send({
        phase: 'dns-pending',
        reason: 'awaiting-delegation',
        message: 'NS records of omantel.omani.works not yet delegated',
      });
    expect(phase.status).toBe(200);
    expect(phase.body.record).toMatchObject({
      phase: 'dns-pending',
      phaseReason: 'awaiting-delegation',
    });
    expect(published.at(-1)).toEqual({
      topic: 'catalyst.sovereign',
      eventPayload: { action: 'upsert', record: phase.body.record },
    });

    const event = await request(server)
      .post(`${BASE}/omantel-omani-works/events`)
      .send({ level: 'warn', message: 'opentofu is not installable' });
    expect(event.status).toBe(201);
    expect(event.body).toMatchObject({
      phase: 'dns-pending',
      level: 'warn',
      message: 'opentofu is not installable',
    });

    const badEvent = await request(server)
      .post(`${BASE}/omantel-omani-works/events`)
      .send({ level: 'fatal', message: 'x' });
    expect(badEvent.status).toBe(400);
    expect(badEvent.body.error.message).toContain('level');

    const history = await request(server).get(
      `${BASE}/omantel-omani-works/events`,
    );
    expect(history.status).toBe(200);
    expect(
      history.body.items.map((e: { message: string }) => e.message),
    ).toEqual([
      'Sovereign omantel.omani.works recorded in phase provisioning',
      'NS records of omantel.omani.works not yet delegated',
      'opentofu is not installable',
    ]);

    const limited = await request(server).get(
      `${BASE}/omantel-omani-works/events?limit=1`,
    );
    expect(limited.body.items).toHaveLength(1);
  });

  it('takes vouchers only while ready, and revokes the open ones when decommissioning starts', async () => {
    const { server, published } = await startCatalyst({
      voucherCodeKey: 'lifecycle-test-code-key-0123456789abcdef',
    });
    await request(server)
      .put(`${BASE}/omantel-omani-works`)
      .send(omantelUpsert())
      .expect(201);
    const vouchers = `${BASE}/omantel-omani-works/vouchers`;
    const early = await request(server)
      .post(vouchers)
      .send({ credit: { amount: 5, currency: 'EUR' } });
    expect(early.status).toBe(409);
    expect(early.body.error.message).toContain('is provisioning');

    await request(server)
      .post(`${BASE}/omantel-omani-works/phase`)
      .send({ phase: 'ready', message: 'Provisioned' })
      .expect(200);
    const issued = await request(server)
      .post(vouchers)
      .send({ credit: { amount: 5, currency: 'EUR' }, count: 2 });
    expect(issued.status).toBe(201);

    const decommissioning = await request(server)
      .post(`${BASE}/omantel-omani-works/phase`)
      .send({ phase: 'decommissioning', message: 'Decommission requested' });
    expect(decommissioning.status).toBe(200);
    expect(decommissioning.body.revokedVouchers).toBe(2);
    expect(
      published.filter(p => p.topic === 'catalyst.voucher').at(-1),
    ).toMatchObject({
      eventPayload: { record: { state: 'revoked' } },
    });
    const redeemed = await request(server)
      .post('/api/catalyst/v1/vouchers/redeem')
      .send({
        code: issued.body.vouchers[0].code,
        sovereign: 'sovereign:default/omantel-omani-works',
        organization: { name: 'Late Tenant', slug: 'late-tenant' },
      });
    expect(redeemed.status).toBe(409);
    expect(redeemed.body.error).toMatchObject({
      name: 'VoucherRejectedError',
      reason: 'sovereign-not-ready',
      message: expect.stringContaining('redeemed only for a ready Sovereign'),
    });
    const history = await request(server).get(
      `${BASE}/omantel-omani-works/events`,
    );
    expect(
      history.body.items.map((e: { message: string }) => e.message),
    ).toContain(
      'Revoked 2 open voucher(s): a Sovereign being decommissioned takes no more redemptions',
    );
    const again = await request(server)
      .post(`${BASE}/omantel-omani-works/phase`)
      .send({ phase: 'decommissioned', message: 'Done' });
    expect(again.body.revokedVouchers).toBe(0);
  });

  it('answers 404 for unknown Sovereigns', async () => {
    const { server } = await startCatalyst();
    expect(
      (await request(server).get(`${BASE}/ghost-example-com`)).status,
    ).toBe(404);
    const phase = await request(server)
      .post(`${BASE}/ghost-example-com/phase`)
      .send({ phase: 'ready', message: 'done' });
    expect(phase.status).toBe(404);
    expect(phase.body.error.name).toBe('NotFoundError');
  });

  it('deletes a Sovereign and publishes the removal', async () => {
    const { server, published } = await startCatalyst();
    const created = await request(server)
      .put(`${BASE}/omantel-omani-works`)
      .send(omantelUpsert());
    await request(server).delete(`${BASE}/omantel-omani-works`).expect(204);
    expect(
      (await request(server).get(`${BASE}/omantel-omani-works`)).status,
    ).toBe(404);
    expect(published.at(-1)).toEqual({
      topic: 'catalyst.sovereign',
      eventPayload: { action: 'delete', record: created.body },
    });
  });

  it('requires the manage permission from users but not from services, and a caller for reads', async () => {
    const { server } = await startCatalyst({ deny: true });
    const asUser = await request(server)
      .put(`${BASE}/omantel-omani-works`)
      .set('Authorization', mockCredentials.user.header('user:default/mallory'))
      .send(omantelUpsert());
    expect(asUser.status).toBe(403);
    expect(asUser.body.error.message).toContain('catalyst.sovereign.manage');

    const asService = await request(server)
      .put(`${BASE}/omantel-omani-works`)
      .set('Authorization', mockCredentials.service.header())
      .send(omantelUpsert());
    expect(asService.status).toBe(201);

    const anonymous = await request(server)
      .get(BASE)
      .set('Authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
  });

  it('answers the public view and no events to a user without catalyst.sovereign.read, the full record to services', async () => {
    const { server } = await startCatalyst({ deny: true });
    const service = mockCredentials.service.header();
    const user = mockCredentials.user.header('user:default/alice');
    const created = await request(server)
      .put(`${BASE}/omantel-omani-works`)
      .set('Authorization', service)
      .send(omantelUpsert({ request: omantelRequest() }));
    expect(created.status).toBe(201);

    const full = await request(server)
      .get(`${BASE}/omantel-omani-works`)
      .set('Authorization', service);
    expect(full.body).toEqual(created.body);
    expect(full.body.adminEmail).toBeDefined();

    const publicView = {
      name: 'omantel-omani-works',
      fqdn: 'omantel.omani.works',
      organization: created.body.organization,
      owner: created.body.owner,
      phase: created.body.phase,
      blueprints: created.body.blueprints,
      createdAt: created.body.createdAt,
      updatedAt: created.body.updatedAt,
    };
    const one = await request(server)
      .get(`${BASE}/omantel-omani-works`)
      .set('Authorization', user);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(publicView);
    const list = await request(server).get(BASE).set('Authorization', user);
    expect(list.body.items).toEqual([publicView]);

    for (const accept of ['application/json', 'text/event-stream']) {
      const events = await request(server)
        .get(`${BASE}/omantel-omani-works/events`)
        .set('Authorization', user)
        .set('Accept', accept);
      expect(events.status).toBe(403);
      expect(events.body.error.message).toContain(
        'Only the owning group of sovereign:default/omantel-omani-works',
      );
    }
    const serviceEvents = await request(server)
      .get(`${BASE}/omantel-omani-works/events`)
      .set('Authorization', service);
    expect(serviceEvents.status).toBe(200);
  });
});
