import type { DiscoveryService } from '@backstage/backend-plugin-api';
import http from 'node:http';
import { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path after `/api/<pluginId>`, with the query string. */
  path: string;
  pluginId: string;
  authorization?: string;
  body: any;
}

export type RouteHandler = (
  request: RecordedRequest,
) =>
  | { status: number; body?: unknown }
  | Promise<{ status: number; body?: unknown }>;

/**
 * A real HTTP server standing in for other backend plugins in tests (`/api/<pluginId>/…`), so the clients are
 * exercised over the wire: URL building, auth header, JSON bodies and error statuses.
 */
export class LocalApiServer {
  readonly requests: RecordedRequest[] = [];
  private server?: http.Server;
  private baseUrl = '';

  constructor(private handler: RouteHandler) {}

  setHandler(handler: RouteHandler) {
    this.handler = handler;
  }

  async start(): Promise<void> {
    this.server = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const text = Buffer.concat(chunks).toString('utf8');
      const match = /^\/api\/([^/]+)(\/.*)$/.exec(req.url ?? '');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        pluginId: match?.[1] ?? '',
        path: match?.[2] ?? req.url ?? '',
        authorization: req.headers.authorization,
        body: text ? JSON.parse(text) : undefined,
      };
      this.requests.push(recorded);
      try {
        const { status, body } = await this.handler(recorded);
        res.statusCode = status;
        if (body !== undefined) {
          res.setHeader('Content-Type', 'application/json');
          res.end(JSON.stringify(body));
        } else {
          res.end();
        }
      } catch (e) {
        res.statusCode = 500;
        res.end(JSON.stringify({ error: 'test-handler', detail: String(e) }));
      }
    });
    await new Promise<void>(resolve =>
      this.server!.listen(0, '127.0.0.1', resolve),
    );
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>(resolve => this.server?.close(() => resolve()));
  }

  get discovery(): DiscoveryService {
    return {
      getBaseUrl: async pluginId => `${this.baseUrl}/api/${pluginId}`,
      getExternalBaseUrl: async pluginId => `${this.baseUrl}/api/${pluginId}`,
    };
  }
}
