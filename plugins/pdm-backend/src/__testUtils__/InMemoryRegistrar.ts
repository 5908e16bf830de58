import {
  RegistrarAdapter,
  RegistrarCapabilities,
  RegistrarError,
} from '../registrars/types';

/**
 * A registrar account holding one domain, behind the adapter interface, for tests of what drives an adapter
 * (the registrar service and routes). It records the calls it got, can be told to fail, and reads nameservers
 * back the way upstreams do (upper-case with a root dot), so callers must normalise.
 */
export class InMemoryRegistrar implements RegistrarAdapter {
  readonly propagation = '30-60 min';
  readonly capabilities: RegistrarCapabilities = {
    nameserverUpdate: 'immediate',
    maxNameservers: 13,
    dsSubmission: false,
  };
  /** Thrown by every call while set. */
  failWith?: Error;
  /** Makes only the read-back fail. */
  readBackFails = false;
  calls: string[] = [];

  constructor(
    readonly name: string,
    private readonly token: string,
    private readonly domain: string,
    public nameservers: string[],
  ) {}

  private check(token: string, domain: string) {
    if (this.failWith) throw this.failWith;
    if (token !== this.token) {
      throw new RegistrarError('invalid-token', 'the token was rejected');
    }
    if (domain !== this.domain) {
      throw new RegistrarError('domain-not-in-account', 'not in the account');
    }
  }

  async validateToken(token: string, domain: string) {
    this.calls.push('validate');
    this.check(token, domain);
  }

  async setNameservers(token: string, domain: string, ns: string[]) {
    this.calls.push('set');
    this.check(token, domain);
    this.nameservers = [...ns];
  }

  async getNameservers(token: string, domain: string) {
    this.calls.push('get');
    if (this.readBackFails) throw new Error('read-back broke');
    this.check(token, domain);
    return this.nameservers.map(n => `${n.toUpperCase()}.`);
  }
}
