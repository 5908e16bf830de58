import { randomBytes } from 'node:crypto';
import {
  FakeReply,
  FakeRequest,
  FakeUpstreamServer,
  jsonReply,
} from '../fakeUpstreamServer';

export interface FakeCloudflareZoneInput {
  name: string;
  /** Account that owns the zone; tokens see only their own account's zones. */
  account: string;
  nameServers?: string[];
  /** Only domains registered with Cloudflare Registrar accept a name_servers change. */
  registeredWithCloudflare?: boolean;
}

interface FakeCloudflareZone {
  id: string;
  name: string;
  account: string;
  nameServers: string[];
  registeredWithCloudflare: boolean;
  modifiedOn: string;
}

/**
 * Cloudflare API v4 as the registrar adapter uses it: Bearer API tokens, the `{success, errors, messages,
 * result, result_info}` envelope, and the error codes Cloudflare answers with (1000 invalid token on
 * /user/tokens/verify, 10000 authentication error, 6003/6111 malformed Authorization header, 9109 zone outside
 * the token's account, 7003 unknown identifier, 10013 rate limited).
 */
export class FakeCloudflareServer extends FakeUpstreamServer {
  protected readonly basePath = '/client/v4';
  private readonly tokens = new Map<
    string,
    { account: string; active: boolean }
  >();
  private readonly zones = new Map<string, FakeCloudflareZone>();

  addToken(token: string, account: string, options: { active?: boolean } = {}) {
    this.tokens.set(token, { account, active: options.active ?? true });
  }

  /** Adds a zone and returns its id. */
  addZone(input: FakeCloudflareZoneInput): string {
    const id = randomBytes(16).toString('hex');
    this.zones.set(id, {
      id,
      name: input.name,
      account: input.account,
      nameServers: input.nameServers ?? [
        'ada.ns.cloudflare.com',
        'bob.ns.cloudflare.com',
      ],
      registeredWithCloudflare: input.registeredWithCloudflare ?? true,
      modifiedOn: new Date().toISOString(),
    });
    return id;
  }

  /** The zone's nameservers as stored, or undefined. */
  nameServersOf(name: string): string[] | undefined {
    return [...this.zones.values()].find(zone => zone.name === name)
      ?.nameServers;
  }

  protected failureReply(status: number): FakeReply {
    if (status === 429) {
      return envelopeError(
        429,
        10013,
        'Rate limited. Please wait and consider throttling your request speed',
      );
    }
    if (status >= 500) {
      return envelopeError(status, 10001, 'service temporarily unavailable');
    }
    return envelopeError(status, 10000, 'Authentication error');
  }

  protected handle(request: FakeRequest): FakeReply {
    const header = request.headers.authorization;
    if (!header) {
      return envelopeError(
        400,
        9106,
        'Missing X-Auth-Key, X-Auth-Email or Authorization headers',
      );
    }
    const match = /^Bearer ([A-Za-z0-9_\-.:]+)$/.exec(header);
    if (!match) {
      return jsonReply(400, {
        success: false,
        errors: [
          {
            code: 6003,
            message: 'Invalid request headers',
            error_chain: [
              {
                code: 6111,
                message: 'Invalid format for Authorization header',
              },
            ],
          },
        ],
        messages: [],
        result: null,
      });
    }
    const token = this.tokens.get(match[1]);

    if (request.method === 'GET' && request.path === '/user/tokens/verify') {
      if (!token) return envelopeError(401, 1000, 'Invalid API Token');
      return ok({
        id: randomBytes(16).toString('hex'),
        status: token.active ? 'active' : 'disabled',
      });
    }
    if (!token || !token.active) {
      return envelopeError(403, 10000, 'Authentication error');
    }

    if (request.method === 'GET' && request.path === '/zones') {
      const name = request.query.get('name');
      const visible = [...this.zones.values()].filter(
        zone =>
          zone.account === token.account &&
          (!name || zone.name === name.toLowerCase()),
      );
      return jsonReply(200, {
        success: true,
        errors: [],
        messages: [],
        result: visible.map(zone => this.zoneBody(zone)),
        result_info: {
          page: 1,
          per_page: 20,
          count: visible.length,
          total_count: visible.length,
          total_pages: 1,
        },
      });
    }

    const zoneMatch = /^\/zones\/([^/]+)$/.exec(request.path);
    if (zoneMatch) {
      const zone = this.zones.get(zoneMatch[1]);
      if (!zone) {
        return envelopeError(
          400,
          7003,
          `Could not route to /zones/${zoneMatch[1]}, perhaps your object identifier is invalid?`,
        );
      }
      if (zone.account !== token.account) {
        return envelopeError(
          403,
          9109,
          'Unauthorized to access requested resource',
        );
      }
      if (request.method === 'GET') return ok(this.zoneBody(zone));
      if (request.method === 'PATCH') {
        let body: any;
        try {
          body = JSON.parse(request.body);
        } catch {
          return envelopeError(400, 6007, 'Malformed JSON in request body');
        }
        const list = body?.name_servers;
        if (
          !Array.isArray(list) ||
          list.length === 0 ||
          list.some(entry => typeof entry !== 'string' || entry === '')
        ) {
          return envelopeError(
            400,
            1004,
            'name_servers must be a non-empty list of hostnames',
          );
        }
        if (!zone.registeredWithCloudflare) {
          return envelopeError(
            400,
            1001,
            'Nameservers can only be changed for domains registered with Cloudflare Registrar',
          );
        }
        zone.nameServers = [...list];
        zone.modifiedOn = new Date().toISOString();
        return ok(this.zoneBody(zone));
      }
    }
    return envelopeError(404, 7000, 'No route for that URI');
  }

  private zoneBody(zone: FakeCloudflareZone) {
    return {
      id: zone.id,
      name: zone.name,
      status: 'active',
      paused: false,
      type: 'full',
      name_servers: zone.nameServers,
      original_name_servers: null,
      account: { id: zone.account, name: zone.account },
      modified_on: zone.modifiedOn,
    };
  }
}

function ok(result: unknown): FakeReply {
  return jsonReply(200, { success: true, errors: [], messages: [], result });
}

function envelopeError(
  status: number,
  code: number,
  message: string,
): FakeReply {
  return jsonReply(status, {
    success: false,
    errors: [{ code, message }],
    messages: [],
    result: null,
  });
}
