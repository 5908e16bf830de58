import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import request from 'supertest';
import { catalystPlugin } from '../plugin';
import { omantelUpsert } from '../sovereigns/__fixtures__/sovereign';

const events = createServiceFactory({
  service: eventsServiceRef,
  deps: {},
  factory: () => ({ publish: async () => {}, subscribe: async () => {} }),
});

async function start(data: object) {
  const { server } = await startTestBackend({
    features: [
      catalystPlugin,
      events,
      mockServices.rootConfig.factory({ data }),
    ],
  });
  return server;
}

describe('vouchers in the catalyst plugin', () => {
  it('resolves the franchise-admin condition against the Sovereign registry', async () => {
    const server = await start({
      catalyst: {
        vouchers: { codeKey: 'plugin-test-code-key-0123456789abcdef' },
      },
    });
    await request(server)
      .put('/api/catalyst/v1/sovereigns/omantel-omani-works')
      .set('Authorization', mockCredentials.service.header())
      .send(omantelUpsert())
      .expect(201);
    const owner = omantelUpsert().owner;

    const condition = (claims: string[], resourceRef: string) => ({
      id: resourceRef + claims.join(','),
      resourceRef,
      resourceType: 'catalyst-sovereign',
      conditions: {
        rule: 'IS_FRANCHISE_ADMIN',
        resourceType: 'catalyst-sovereign',
        params: { claims },
      },
    });
    const items = [
      condition(
        ['user:default/nadia', owner],
        'sovereign:default/omantel-omani-works',
      ),
      condition(
        ['user:default/mallory', 'group:default/acme-admins'],
        'sovereign:default/omantel-omani-works',
      ),
      condition([owner], 'sovereign:default/unknown-example-com'),
    ];
    const res = await request(server)
      .post('/api/catalyst/.well-known/backstage/permissions/apply-conditions')
      .set('Authorization', mockCredentials.service.header())
      .send({ items });
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: { result: string }) => i.result)).toEqual([
      'ALLOW',
      'DENY',
      'DENY',
    ]);

    const preview = await request(server)
      .post('/api/catalyst/v1/vouchers/preview')
      .set('Authorization', mockCredentials.none.header())
      .send({ code: 'SOME-CODE' });
    expect(preview.status).toBe(404);
    expect(preview.body).toMatchObject({
      error: { name: 'VoucherRejectedError', reason: 'unknown' },
      response: { statusCode: 404 },
    });
  });

  it('leaves the voucher routes out when no code key is configured', async () => {
    const server = await start({});
    const res = await request(server)
      .get('/api/catalyst/v1/vouchers/records')
      .set('Authorization', mockCredentials.service.header());
    expect(res.status).toBe(404);
  });
});
