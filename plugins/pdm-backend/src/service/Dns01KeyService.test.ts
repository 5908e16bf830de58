import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Dns01Access, Dns01Credentials } from '../dns01/Dns01Access';
import { Dns01KeyService } from './Dns01KeyService';
import { PdmApiError } from './PdmApiError';

const KEY: Dns01Credentials = {
  zone: 'acme.omani.works',
  nameserver: 'ns1.omani.works',
  keyName: 'dns01-acme-omani-works.',
  algorithm: 'hmac-sha256',
  secret: 'c2VjcmV0LXNlY3JldC1zZWNyZXQ=',
};

function setUp(allow = true) {
  const logger = mockServices.logger.mock();
  const asked: string[] = [];
  // The key store stands in for PowerDNS's TSIG keys; Dns01Access itself is tested against PowerDNS.
  const dns01 = {
    credentials: async (zone: string) => {
      asked.push(zone);
      return zone === 'acme.omani.works' ? KEY : undefined;
    },
  } as unknown as Dns01Access;
  const service = new Dns01KeyService({
    dns01,
    logger,
    poolDomains: ['omani.works'],
    permissions: mockServices.permissions.mock({
      authorize: (async (reqs: unknown[]) =>
        reqs.map(() => ({
          result: allow ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
        }))) as any,
    }),
  });
  return { service, logger, asked };
}

async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PdmApiError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('Dns01KeyService', () => {
  const scaffolder = mockCredentials.service('plugin:scaffolder');

  it('hands the key to the scaffolder backend and logs its name, never its secret', async () => {
    const { service, logger } = setUp();
    expect(await service.read(scaffolder, 'ACME.omani.works.')).toBe(KEY);
    const logged = JSON.stringify(logger.info.mock.calls);
    expect(logged).toContain(KEY.keyName);
    expect(logged).not.toContain(KEY.secret);
  });

  it('refuses other services, and the scaffolder without the allocation permission, before any lookup', async () => {
    const other = setUp();
    expect(
      await refusal(
        other.service.read(
          mockCredentials.service('plugin:catalog'),
          'acme.omani.works',
        ),
      ),
    ).toMatchObject({ status: 403, code: 'forbidden' });
    const denied = setUp(false);
    expect(
      await refusal(denied.service.read(scaffolder, 'acme.omani.works')),
    ).toMatchObject({ status: 403, code: 'forbidden' });
    expect([...other.asked, ...denied.asked]).toEqual([]);
  });

  it('refuses a malformed name, a pool parent zone and a zone without a key', async () => {
    const { service } = setUp();
    expect(await refusal(service.read(scaffolder, 'not a name'))).toMatchObject(
      { status: 422, code: 'invalid-domain' },
    );
    expect(
      await refusal(service.read(scaffolder, 'omani.works')),
    ).toMatchObject({ status: 422, code: 'pool-domain' });
    expect(
      await refusal(service.read(scaffolder, 'other.omani.works')),
    ).toMatchObject({ status: 404, code: 'not-found' });
  });
});
