import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import { catalystPlugin } from '../plugin';

describe('GET /v1/catalog-data', () => {
  it('serves the parsed data files: 63 components in 9 families, the 35-release kit and node sizes', async () => {
    const { server } = await startTestBackend({ features: [catalystPlugin] });
    const res = await request(server).get('/api/catalyst/v1/catalog-data');
    expect(res.status).toBe(200);
    expect(res.body.components.components).toHaveLength(63);
    expect(res.body.components.families).toHaveLength(9);
    expect(res.body.bootstrapKit.entries).toHaveLength(35);
    expect(res.body.nodeSizes).toBeDefined();

    const anonymous = await request(server)
      .get('/api/catalyst/v1/catalog-data')
      .set('Authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
  });
});
