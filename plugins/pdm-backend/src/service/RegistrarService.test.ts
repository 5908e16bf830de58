import { mockServices } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import { RegistrarAdapter, RegistrarError } from '../registrars/types';
import { InMemoryRegistrar } from '../__testUtils__/InMemoryRegistrar';
import { PdmApiError } from './PdmApiError';
import { RegistrarService } from './RegistrarService';

const TOKEN = 'tok-very-secret-0123456789';
const NAMESERVERS = ['ns1.pdm.example', 'ns2.pdm.example'];

async function pdmError(promise: Promise<unknown> | (() => unknown)) {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    if (error instanceof PdmApiError) return error;
    throw error;
  }
  throw new Error('expected a PdmApiError');
}

function setUp(registrars?: RegistrarAdapter[]) {
  const registrar = new InMemoryRegistrar('acctreg', TOKEN, 'acme.example', [
    'ns1.old-host.net',
  ]);
  const logger = mockServices.logger.mock();
  const service = new RegistrarService({
    registrars: registrars ?? [registrar],
    nameservers: NAMESERVERS,
    logger,
  });
  return { registrar, logger, service };
}

describe('RegistrarService', () => {
  it('picks the adapter by name in any case, 404 with the supported list, 503 with none', async () => {
    const { service, registrar } = setUp();
    expect(service.adapter('AcctReg')).toBe(registrar);
    const unsupported = await pdmError(() => service.adapter('nope'));
    expect(unsupported).toMatchObject({
      status: 404,
      code: 'unsupported-registrar',
      extra: { supported: ['acctreg'] },
    });
    const none = await pdmError(() => setUp([]).service.adapter('acctreg'));
    expect(none).toMatchObject({
      status: 503,
      code: 'no-registrars-configured',
    });
  });

  it('requires a valid domain and a token, normalizing both', async () => {
    const { service } = setUp();
    expect(service.input(' ACME.Example. ', `  ${TOKEN} `)).toEqual({
      domain: 'acme.example',
      token: TOKEN,
    });
    expect(await pdmError(() => service.input('', TOKEN))).toMatchObject({
      status: 422,
      code: 'missing-domain',
    });
    expect(await pdmError(() => service.input('a..b', TOKEN))).toMatchObject({
      status: 422,
      code: 'invalid-domain',
    });
    expect(
      await pdmError(() => service.input('acme.example', 42)),
    ).toMatchObject({ status: 422, code: 'missing-token' });
  });

  it('maps registrar failures to PDM errors naming registrar and domain, logging no token', async () => {
    const { service, registrar, logger } = setUp();
    const rejected = await pdmError(
      service.validate(registrar, 'acme.example', 'wrong-token'),
    );
    expect(rejected).toMatchObject({
      status: 401,
      code: 'invalid-token',
      extra: { registrar: 'acctreg', domain: 'acme.example' },
    });
    registrar.failWith = new RegistrarError('rate-limited', 'slow down', 42);
    const limited = await pdmError(
      service.validate(registrar, 'acme.example', TOKEN),
    );
    expect(limited).toMatchObject({
      status: 429,
      extra: {
        registrar: 'acctreg',
        domain: 'acme.example',
        retryAfterSeconds: 42,
      },
    });
    registrar.failWith = new InputError('nameserver "x" is not valid');
    expect(
      await pdmError(service.validate(registrar, 'acme.example', TOKEN)),
    ).toMatchObject({ status: 422, code: 'invalid-body' });
    registrar.failWith = new Error('socket hang up at 10.1.2.3');
    const unknown = await pdmError(
      service.validate(registrar, 'acme.example', TOKEN),
    );
    expect(unknown).toMatchObject({ status: 500, code: 'registrar-error' });
    expect(unknown.message).not.toContain('10.1.2.3');
    const logged = JSON.stringify([
      logger.info.mock.calls,
      logger.warn.mock.calls,
    ]);
    expect(logged).not.toContain(TOKEN);
    expect(logged).not.toContain('wrong-token');
    expect(logger.warn).toHaveBeenCalledWith('registrar call', {
      registrar: 'acctreg',
      domain: 'acme.example',
      outcome: 'unknown-error',
    });
  });

  it("reads nameservers and says whether they are PDM's", async () => {
    const { service, registrar } = setUp();
    expect(await service.nameservers(registrar, 'acme.example', TOKEN)).toEqual(
      {
        registrar: 'acctreg',
        domain: 'acme.example',
        nameservers: ['ns1.old-host.net'],
        matchesPdm: false,
      },
    );
  });

  it("sets only PDM's own nameservers: validate, set, read back; an unreadable read-back is unverified", async () => {
    const { service, registrar } = setUp();
    const mismatch = await pdmError(
      service.setNameservers(registrar, 'acme.example', TOKEN, [
        'ns1.evil.example',
      ]),
    );
    expect(mismatch).toMatchObject({
      status: 422,
      code: 'nameservers-mismatch',
    });
    expect(
      await pdmError(
        service.setNameservers(registrar, 'acme.example', TOKEN, []),
      ),
    ).toMatchObject({ code: 'missing-nameservers' });
    expect(registrar.calls).toEqual([]);
    const set = await service.setNameservers(registrar, 'acme.example', TOKEN, [
      'NS2.pdm.example.',
      'ns1.pdm.example',
    ]);
    expect(registrar.calls).toEqual(['validate', 'set', 'get']);
    expect(set).toEqual({
      success: true,
      registrar: 'acctreg',
      domain: 'acme.example',
      // In the caller's order, as the registrar read it back.
      nameservers: ['ns2.pdm.example', 'ns1.pdm.example'],
      verified: true,
      propagation: '30-60 min',
    });
    registrar.readBackFails = true;
    const unverified = await service.setNameservers(
      registrar,
      'acme.example',
      TOKEN,
      NAMESERVERS,
    );
    expect(unverified).toMatchObject({
      verified: false,
      nameservers: NAMESERVERS,
    });
  });
});
