import type { FakeReply, FakeRequest } from '../fakeUpstreamServer';
import {
  FakeKeyRing,
  FakeUpstreamServer,
  jsonReply,
} from '../fakeUpstreamServer';

export interface FakeGoDaddyDomainInput {
  domain: string;
  /** Customer (shopper) that owns the domain; a key sees only its own shopper's domains. */
  shopper: string;
  status?: 'ACTIVE' | 'EXPIRED' | 'CANCELLED' | 'PENDING_TRANSFER';
  nameServers?: string[];
}

interface FakeGoDaddyDomain {
  domainId: number;
  domain: string;
  shopper: string;
  status: string;
  nameServers: string[];
}

/** GoDaddy caps `limit` at 1000. */
const MAX_LIMIT = 1000;

/**
 * GoDaddy Domains API v1 as the adapter uses it: `Authorization: sso-key <key>:<secret>`, GET /v1/domains with
 * `statuses`, `limit` and `marker` paging (results sorted by name, starting after the marker), PATCH and GET
 * /v1/domains/{domain}, and the `{code, message, name?, fields?}` error envelope.
 */
export class FakeGoDaddyServer extends FakeUpstreamServer {
  protected readonly basePath = '';
  private readonly keys = new FakeKeyRing();
  private readonly domains = new Map<string, FakeGoDaddyDomain>();
  private nextId = 1000;

  addApiKey(key: string, secret: string, shopper: string) {
    this.keys.add(key, secret, shopper);
  }

  addDomain(input: FakeGoDaddyDomainInput) {
    this.domains.set(input.domain, {
      domainId: this.nextId++,
      domain: input.domain,
      shopper: input.shopper,
      status: input.status ?? 'ACTIVE',
      nameServers: input.nameServers ?? [
        'ns01.domaincontrol.com',
        'ns02.domaincontrol.com',
      ],
    });
  }

  nameServersOf(domain: string): string[] | undefined {
    return this.domains.get(domain)?.nameServers;
  }

  protected failureReply(status: number): FakeReply {
    if (status === 429) {
      return jsonReply(429, {
        code: 'TOO_MANY_REQUESTS',
        message: 'Too many requests received within interval',
        retryAfterSec: 30,
      });
    }
    if (status >= 500) {
      return jsonReply(status, {
        code: 'INTERNAL_SERVER_ERROR',
        message: 'An unexpected error occurred',
      });
    }
    return jsonReply(status, {
      code: 'ACCESS_DENIED',
      message: 'Access denied',
    });
  }

  protected handle(request: FakeRequest): FakeReply {
    const match = /^sso-key ([^:\s]+):(\S+)$/.exec(
      request.headers.authorization ?? '',
    );
    if (!match) {
      return jsonReply(401, {
        code: 'MALFORMED_CREDENTIALS',
        message: 'Unauthorized : Credentials are malformed',
      });
    }
    const shopper = this.keys.ownerOf(match[1], match[2]);
    if (shopper === undefined) {
      return jsonReply(401, {
        code: 'UNABLE_TO_AUTHENTICATE',
        message: 'Unauthorized : Could not authenticate API key/secret',
      });
    }

    if (request.method === 'GET' && request.path === '/v1/domains') {
      const statuses = request.query.get('statuses')?.split(',');
      const limit = Number(request.query.get('limit') ?? MAX_LIMIT);
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
        return jsonReply(422, {
          code: 'INVALID_QUERY',
          message: 'Request query parameters are invalid',
          fields: [
            { path: 'limit', code: 'OUT_OF_RANGE', message: 'must be 1..1000' },
          ],
        });
      }
      const marker = request.query.get('marker');
      const page = [...this.domains.values()]
        .filter(
          entry =>
            entry.shopper === shopper &&
            (!statuses || statuses.includes(entry.status)) &&
            (!marker || entry.domain > marker),
        )
        .sort((a, b) => (a.domain < b.domain ? -1 : 1))
        .slice(0, limit)
        .map(entry => ({
          domainId: entry.domainId,
          domain: entry.domain,
          status: entry.status,
          expires: '2030-01-01T00:00:00.000Z',
          renewAuto: true,
          locked: true,
        }));
      return jsonReply(200, page);
    }

    const domainMatch = /^\/v1\/domains\/([^/]+)$/.exec(request.path);
    if (domainMatch) {
      const name = decodeURIComponent(domainMatch[1]);
      const entry = this.domains.get(name);
      if (!entry || entry.shopper !== shopper) {
        return jsonReply(404, {
          code: 'NOT_FOUND',
          message: `Domain ${name} not found`,
          name: 'NotFoundError',
        });
      }
      if (request.method === 'GET') {
        return jsonReply(200, {
          domainId: entry.domainId,
          domain: entry.domain,
          status: entry.status,
          nameServers: entry.nameServers,
          locked: true,
        });
      }
      if (request.method === 'PATCH') {
        let body: any;
        try {
          body = JSON.parse(request.body);
        } catch {
          return jsonReply(400, {
            code: 'INVALID_BODY',
            message: 'Request body is not valid JSON',
          });
        }
        const list = body?.nameServers;
        if (
          !Array.isArray(list) ||
          list.some(
            host => typeof host !== 'string' || !/^[a-z0-9.-]+$/i.test(host),
          )
        ) {
          return jsonReply(422, {
            code: 'INVALID_BODY',
            message:
              "Request body doesn't fulfill schema, see details in `fields`",
            fields: [
              {
                path: 'nameServers',
                code: 'INVALID',
                message: 'must be hostnames',
              },
            ],
          });
        }
        entry.nameServers = [...list];
        return { status: 204 };
      }
    }
    return jsonReply(404, { code: 'NOT_FOUND', message: 'Resource not found' });
  }
}
