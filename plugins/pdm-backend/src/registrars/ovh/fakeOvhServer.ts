import {
  FakeReply,
  FakeRequest,
  FakeUpstreamServer,
  jsonReply,
} from '../fakeUpstreamServer';
import { signOvhRequest } from './ovhSignature';

export interface FakeOvhCredentialInput {
  appKey: string;
  appSecret: string;
  consumerKey: string;
  /** Account (nichandle) whose domains the consumer key sees. */
  account: string;
  /** A consumer key the customer has not validated yet is refused (INVALID_CREDENTIAL). */
  validated?: boolean;
}

interface FakeOvhNameServer {
  id: number;
  host: string;
}

/** OVH accepts a signed request whose timestamp is this close to its own clock. */
const TIMESTAMP_WINDOW_SECONDS = 180;

/**
 * The OVHcloud API v1 as the adapter uses it: GET /auth/time, signed requests (X-Ovh-Application,
 * X-Ovh-Consumer, X-Ovh-Timestamp, X-Ovh-Signature verified exactly against the absolute URL and body), the
 * domain endpoints, and the `{errorCode, httpCode, message}` error envelope. Its clock can be skewed from the
 * host's (`clockSkewSeconds`) to prove that clients sync with /auth/time.
 */
export class FakeOvhServer extends FakeUpstreamServer {
  protected readonly basePath = '/1.0';
  /** Seconds the API's clock is ahead of the host's. */
  clockSkewSeconds = 0;
  private readonly credentials = new Map<
    string,
    Required<FakeOvhCredentialInput>
  >();
  private readonly domains = new Map<
    string,
    { account: string; nameServers: FakeOvhNameServer[] }
  >();
  private nextId = 1;
  private nextTaskId = 5000;

  addCredential(input: FakeOvhCredentialInput) {
    this.credentials.set(input.consumerKey, { validated: true, ...input });
  }

  addDomain(
    name: string,
    account: string,
    hosts: string[] = ['dns10.ovh.net', 'ns10.ovh.net'],
  ) {
    this.domains.set(name, {
      account,
      nameServers: hosts.map(host => ({ id: this.nextId++, host })),
    });
  }

  nameServersOf(name: string): string[] | undefined {
    return this.domains.get(name)?.nameServers.map(entry => entry.host);
  }

  private now(): number {
    return Math.floor(Date.now() / 1000) + this.clockSkewSeconds;
  }

  protected failureReply(status: number): FakeReply {
    if (status === 429) {
      return ovhError(429, 'TOO_MANY_REQUESTS', 'Too many requests');
    }
    return ovhError(status, 'INTERNAL_SERVER_ERROR', 'Internal server error');
  }

  protected handle(request: FakeRequest): FakeReply {
    if (request.method === 'GET' && request.path === '/auth/time') {
      return jsonReply(200, this.now());
    }
    const appKey = header(request, 'x-ovh-application');
    const consumerKey = header(request, 'x-ovh-consumer');
    const timestamp = header(request, 'x-ovh-timestamp');
    const signature = header(request, 'x-ovh-signature');
    if (!appKey) {
      return ovhError(403, 'INVALID_KEY', 'This application key is invalid');
    }
    const credential = consumerKey
      ? this.credentials.get(consumerKey)
      : undefined;
    if (
      ![...this.credentials.values()].some(entry => entry.appKey === appKey)
    ) {
      return ovhError(403, 'INVALID_KEY', 'This application key is invalid');
    }
    if (!consumerKey || !credential || credential.appKey !== appKey) {
      return ovhError(
        403,
        'INVALID_CREDENTIAL',
        'This credential does not exist',
      );
    }
    if (!timestamp || !/^\d+$/.test(timestamp)) {
      return ovhError(400, 'INVALID_SIGNATURE', 'Invalid signature');
    }
    if (Math.abs(Number(timestamp) - this.now()) > TIMESTAMP_WINDOW_SECONDS) {
      return ovhError(400, 'QUERY_TIME_OUT', 'Query out of time');
    }
    const expected = signOvhRequest({
      appSecret: credential.appSecret,
      consumerKey,
      method: request.method,
      url: request.url,
      body: request.body,
      timestamp: Number(timestamp),
    });
    if (signature !== expected) {
      return ovhError(400, 'INVALID_SIGNATURE', 'Invalid signature');
    }
    if (!credential.validated) {
      return ovhError(
        403,
        'INVALID_CREDENTIAL',
        'This credential is not valid',
      );
    }

    if (request.method === 'GET' && request.path === '/domain') {
      return jsonReply(
        200,
        [...this.domains.entries()]
          .filter(([, domain]) => domain.account === credential.account)
          .map(([name]) => name),
      );
    }
    const match = /^\/domain\/([^/]+)(\/.*)?$/.exec(request.path);
    if (match) {
      const name = decodeURIComponent(match[1]);
      const domain = this.domains.get(name);
      if (!domain || domain.account !== credential.account) {
        return ovhError(
          404,
          'NOT_FOUND',
          `The requested object (serviceName = ${name}) does not exist`,
        );
      }
      const rest = match[2] ?? '';
      if (request.method === 'POST' && rest === '/nameServers/update') {
        let body: any;
        try {
          body = JSON.parse(request.body);
        } catch {
          return ovhError(400, 'INVALID_BODY', 'Invalid JSON body');
        }
        const list = body?.nameServers;
        if (
          !Array.isArray(list) ||
          list.length === 0 ||
          list.some(
            entry => typeof entry?.host !== 'string' || entry.host === '',
          )
        ) {
          return ovhError(
            400,
            'INVALID_ARGUMENT',
            'Invalid value for nameServers',
          );
        }
        domain.nameServers = list.map((entry: { host: string }) => ({
          id: this.nextId++,
          host: entry.host,
        }));
        return jsonReply(200, {
          id: this.nextTaskId++,
          function: 'DomainDnsUpdate',
          status: 'todo',
          creationDate: new Date().toISOString(),
          todoDate: new Date().toISOString(),
          canCancel: false,
          canAccelerate: false,
          canRelaunch: false,
        });
      }
      if (request.method === 'GET' && rest === '/nameServer') {
        return jsonReply(
          200,
          domain.nameServers.map(entry => entry.id),
        );
      }
      const nsMatch = /^\/nameServer\/(\d+)$/.exec(rest);
      if (request.method === 'GET' && nsMatch) {
        const entry = domain.nameServers.find(
          candidate => candidate.id === Number(nsMatch[1]),
        );
        if (!entry) {
          return ovhError(
            404,
            'NOT_FOUND',
            `The requested object (id = ${nsMatch[1]}) does not exist`,
          );
        }
        return jsonReply(200, {
          id: entry.id,
          host: entry.host,
          ip: null,
          isUsed: true,
          toDelete: false,
          nameServerType: 'external',
        });
      }
    }
    return ovhError(404, 'NOT_FOUND', `Got an invalid (or empty) URL`);
  }
}

function header(request: FakeRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

function ovhError(
  status: number,
  errorCode: string,
  message: string,
): FakeReply {
  return jsonReply(status, {
    errorCode,
    httpCode: `${status} ${REASONS[status] ?? 'Error'}`,
    message,
  });
}
