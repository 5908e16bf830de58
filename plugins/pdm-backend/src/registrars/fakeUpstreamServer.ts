import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo } from 'node:net';

/** One request as the fake saw it; tests assert on these (e.g. that paging used a marker). */
export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface FakeRequest extends RecordedRequest {
  /** The absolute URL as the client addressed it (OVH signs it). */
  url: string;
}

export interface FakeReply {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

/** A failure the next request gets instead of its normal answer. */
export interface InjectedFailure {
  /** HTTP status, answered with the upstream's own error shape. */
  status?: number;
  /** Sent as the Retry-After header. */
  retryAfter?: string;
  /** Answer only after this long (to exercise client timeouts). */
  delayMs?: number;
  /** Close the connection without an answer (a transport error). */
  dropConnection?: boolean;
}

/**
 * The plumbing shared by the registrar fakes: a real HTTP server on 127.0.0.1 with a random port, a request log
 * and a queue of injected failures. Each subclass implements its upstream's endpoints, auth and shapes.
 */
export abstract class FakeUpstreamServer {
  readonly requests: RecordedRequest[] = [];
  private readonly failures: InjectedFailure[] = [];
  private server?: Server;
  private origin?: string;

  /** The path prefix of the API below the origin (e.g. `/client/v4`). */
  protected abstract readonly basePath: string;

  /** Answers one authenticated-or-not request in the upstream's shapes. */
  protected abstract handle(
    request: FakeRequest,
  ): FakeReply | Promise<FakeReply>;

  /** The body the upstream sends with an injected status. */
  protected abstract failureReply(status: number): FakeReply;

  /** Starts listening; resolves with the base URL to configure the adapter with. */
  async start(): Promise<string> {
    const server = createServer((req, res) => {
      this.dispatch(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    const { port } = server.address() as AddressInfo;
    this.origin = `http://127.0.0.1:${port}`;
    return this.baseUrl;
  }

  get baseUrl(): string {
    if (!this.origin) throw new Error('fake server is not started');
    return `${this.origin}${this.basePath}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>(resolve => server.close(() => resolve()));
  }

  /** Queues failures; each one replaces the answer to one upcoming request, in order. */
  failNext(...failures: InjectedFailure[]): void {
    this.failures.push(...failures);
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const rawUrl = req.url ?? '/';
    const parsed = new URL(rawUrl, 'http://placeholder');
    const request: FakeRequest = {
      method: req.method ?? 'GET',
      path: parsed.pathname,
      query: parsed.searchParams,
      headers: req.headers,
      body,
      url: `http://${req.headers.host}${rawUrl}`,
    };
    this.requests.push({
      method: request.method,
      path: request.path,
      query: request.query,
      headers: request.headers,
      body,
    });

    const failure = this.failures.shift();
    if (failure?.delayMs) {
      await new Promise(resolve => setTimeout(resolve, failure.delayMs));
    }
    if (failure?.dropConnection) {
      req.socket.destroy();
      return;
    }
    let reply: FakeReply;
    if (failure?.status) {
      reply = this.failureReply(failure.status);
      if (failure.retryAfter !== undefined) {
        reply = {
          ...reply,
          headers: { ...reply.headers, 'Retry-After': failure.retryAfter },
        };
      }
    } else if (!request.path.startsWith(this.basePath)) {
      reply = { status: 404, body: 'Not Found' };
    } else {
      reply = await this.handle({
        ...request,
        path: request.path.slice(this.basePath.length) || '/',
      });
    }
    if (res.destroyed) return;
    res.writeHead(reply.status, reply.headers);
    res.end(reply.body ?? '');
  }
}

export function jsonReply(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): FakeReply {
  return {
    status,
    body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', ...headers },
  };
}

/** The API keys a fake knows: each key has one secret and belongs to one account (shopper, customer…). */
export class FakeKeyRing {
  private readonly keys = new Map<string, { secret: string; owner: string }>();

  add(key: string, secret: string, owner: string) {
    this.keys.set(key, { secret, owner });
  }

  /** The owning account when key and secret match, else undefined. */
  ownerOf(key: string, secret: string): string | undefined {
    const entry = this.keys.get(key);
    return entry && entry.secret === secret ? entry.owner : undefined;
  }
}
