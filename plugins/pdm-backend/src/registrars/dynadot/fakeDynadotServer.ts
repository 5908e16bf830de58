import {
  FakeReply,
  FakeRequest,
  FakeKeyRing,
  FakeUpstreamServer,
  jsonReply,
} from '../fakeUpstreamServer';

/** The reply's top-level key per command. */
const RESPONSE_KEYS: Record<string, string | undefined> = {
  domain_info: 'DomainInfoResponse',
  set_ns: 'SetNsResponse',
};

/** set_ns takes ns0 … ns12. */
const MAX_NAMESERVERS = 13;

/**
 * Dynadot API3 (JSON) as the adapter uses it: GET /api3.json with key, secret and command; domain_info and
 * set_ns answer `{<Command>Response: {ResponseHeader: {ResponseCode, Status, Error?}, …}}` with HTTP 200, also
 * for failures. A bad key is reported before any command runs, under a generic `Response` key.
 * domain_info lists all 13 nameserver slots, unused ones with an empty ServerName, as Dynadot does.
 */
export class FakeDynadotServer extends FakeUpstreamServer {
  protected readonly basePath = '/api3.json';
  private readonly keys = new FakeKeyRing();
  private readonly domains = new Map<
    string,
    { account: string; nameServers: string[] }
  >();
  /** Dynadot throttles in-band; this many upcoming calls are answered with its "too many requests" error. */
  throttledCalls = 0;

  addApiKey(key: string, secret: string, account: string) {
    this.keys.add(key, secret, account);
  }

  addDomain(
    name: string,
    account: string,
    nameServers: string[] = ['ns1.dyna-ns.net', 'ns2.dyna-ns.net'],
  ) {
    this.domains.set(name, { account, nameServers });
  }

  nameServersOf(name: string): string[] | undefined {
    return this.domains.get(name)?.nameServers;
  }

  protected failureReply(status: number): FakeReply {
    return {
      status,
      body: status === 429 ? 'Too Many Requests' : 'Service Unavailable',
    };
  }

  protected handle(request: FakeRequest): FakeReply {
    if (request.method !== 'GET' || request.path !== '/') {
      return { status: 404, body: 'Not Found' };
    }
    const key = request.query.get('key') ?? '';
    const secret = request.query.get('secret') ?? '';
    const command = request.query.get('command') ?? '';
    const account = this.keys.ownerOf(key, secret);
    if (account === undefined) {
      return jsonReply(200, {
        Response: { ResponseCode: '-1', Error: 'invalid key' },
      });
    }
    const responseKey = RESPONSE_KEYS[command];
    if (!responseKey) {
      return jsonReply(200, {
        Response: { ResponseCode: '-1', Error: 'invalid command' },
      });
    }
    if (this.throttledCalls > 0) {
      this.throttledCalls--;
      return failure(responseKey, 'too many requests, please slow down');
    }
    const name = (request.query.get('domain') ?? '').toLowerCase();
    const domain = this.domains.get(name);
    if (!domain || domain.account !== account) {
      return failure(responseKey, 'could not find domain in your account');
    }

    if (command === 'domain_info') {
      const slots = Array.from({ length: MAX_NAMESERVERS }, (_, index) => ({
        ServerId: domain.nameServers[index] ? String(1000 + index) : '',
        ServerName: domain.nameServers[index] ?? '',
      }));
      return jsonReply(200, {
        DomainInfoResponse: {
          ResponseHeader: { ResponseCode: 0, Status: 'success' },
          DomainInfo: {
            Name: name,
            Expiration: '1893456000000',
            Registration: '1577836800000',
            NameServerSettings: { Type: 'Name Servers', NameServers: slots },
            Locked: 'yes',
            Disabled: 'no',
            Status: 'active',
          },
        },
      });
    }

    const nameServers: string[] = [];
    for (let index = 0; index < MAX_NAMESERVERS; index++) {
      const host = request.query.get(`ns${index}`);
      if (host) nameServers.push(host);
    }
    if (request.query.has(`ns${MAX_NAMESERVERS}`)) {
      return failure(responseKey, 'too many name servers');
    }
    if (nameServers.length === 0) {
      return failure(responseKey, 'missing name server');
    }
    domain.nameServers = nameServers;
    return jsonReply(200, {
      SetNsResponse: { ResponseHeader: { ResponseCode: 0, Status: 'success' } },
    });
  }
}

function failure(responseKey: string, error: string): FakeReply {
  return jsonReply(200, {
    [responseKey]: {
      ResponseHeader: { ResponseCode: -1, Status: 'error', Error: error },
    },
  });
}
