import http from 'node:http';
import https from 'node:https';
import { CustomErrorBase } from '@backstage/errors';

/** A failed PowerDNS call. The message never carries the API key. */
export class PowerDnsError extends CustomErrorBase {
  name = 'PowerDnsError' as const;
  constructor(
    readonly operation: string,
    /** HTTP status; undefined for transport errors and timeouts. */
    readonly status: number | undefined,
    detail: string,
  ) {
    super(
      status === undefined
        ? `powerdns ${operation}: ${detail}`
        : `powerdns ${operation}: status ${status}: ${detail}`,
    );
  }
}

export interface RRSetChange {
  name: string;
  type: string;
  ttl?: number;
  changetype: 'REPLACE' | 'DELETE';
  /** Record contents; omitted for DELETE. */
  records?: string[];
}

export interface Cryptokey {
  id: number;
  keytype: 'ksk' | 'zsk' | 'csk';
  active: boolean;
  published: boolean;
  algorithm: string;
  flags?: number;
  dnskey?: string;
  ds?: string[];
}

/** A TSIG key as PowerDNS returns it; `secret` is the base64 key material and never leaves PDM's callers. */
export interface TsigKey {
  /** The key name without the trailing dot, as nsupdate, lego and cert-manager name it. */
  name: string;
  algorithm: string;
  secret: string;
}

export interface PowerDnsClientOptions {
  baseUrl: string;
  apiKey: string;
  serverId?: string;
  /** Optional Authorization header for an ingress in front of the API. */
  authorization?: string;
  /** Per-attempt timeout in milliseconds (default 30 000). */
  timeoutMs?: number;
  /** Delay before each attempt (default 0, 250 ms, 1 s: three attempts). */
  retryDelaysMs?: number[];
  /** Sends every call through this `fetch` instead of PDM's own node:http client. */
  fetch?: typeof fetch;
}

/** Lower-cased, trailing dot: the only form PowerDNS zone and owner names take here. */
export function canonicalName(name: string): string {
  const lower = name.trim().toLowerCase();
  return lower.endsWith('.') ? lower : `${lower}.`;
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/**
 * PowerDNS authoritative REST API (docs/pdm.md §5.1). Idempotent by design: creating an existing zone,
 * deleting a missing one and removing a missing rrset all succeed.
 */
export class PowerDnsClient {
  private readonly baseUrl: string;
  private readonly apiKey: string;
  private readonly authorization?: string;
  private readonly timeoutMs: number;
  private readonly retryDelaysMs: number[];
  private readonly send: Transport;

  constructor(options: PowerDnsClientOptions) {
    this.baseUrl = `${options.baseUrl.replace(
      /\/+$/,
      '',
    )}/api/v1/servers/${encodeURIComponent(options.serverId ?? 'localhost')}`;
    this.apiKey = options.apiKey;
    this.authorization = options.authorization;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.retryDelaysMs = options.retryDelaysMs ?? [0, 250, 1000];
    this.send = options.fetch
      ? fetchTransport(options.fetch)
      : nodeHttpTransport(this.baseUrl);
  }

  /** Creates a Native zone with the given apex NS; 'exists' when it was already there. */
  async createZone(
    zone: string,
    nameservers: string[],
  ): Promise<'created' | 'exists'> {
    return this.postZone(zone, nameservers, {});
  }

  /**
   * Creates a Native zone that PowerDNS signs at once with its default key algorithm and rectifies on every change
   * (`api_rectify`): one call instead of create + enable DNSSEC + rectify. 'exists' when it was already there (left
   * as it is). Follow with {@link dsRecords}; a server without a default key algorithm answers no DS, and
   * {@link enableDnssec} then adds the keys explicitly.
   */
  async createSignedZone(
    zone: string,
    nameservers: string[],
  ): Promise<'created' | 'exists'> {
    return this.postZone(zone, nameservers, {
      dnssec: true,
      api_rectify: true,
    });
  }

  /** POST /zones for a Native zone with the given apex NS and extra settings; 409 means it already exists. */
  private async postZone(
    zone: string,
    nameservers: string[],
    settings: Record<string, unknown>,
  ): Promise<'created' | 'exists'> {
    const res = await this.request('create-zone', 'POST', '/zones', {
      name: canonicalName(zone),
      kind: 'Native',
      nameservers: nameservers.map(canonicalName),
      ...settings,
    });
    if (res.status === 201 || res.status === 200 || res.status === 409) {
      return res.status === 409 ? 'exists' : 'created';
    }
    throw this.failure('create-zone', res);
  }

  /** The SHA-256 DS records of the zone's active key-signing keys; [] when it has none. */
  async dsRecords(zone: string): Promise<string[]> {
    return dsOf(await this.listCryptokeys(zone));
  }

  async zoneExists(zone: string): Promise<boolean> {
    const res = await this.request('get-zone', 'GET', this.zonePath(zone));
    if (res.status === 200) return true;
    if (res.status === 404 || res.status === 422) return false;
    throw this.failure('get-zone', res);
  }

  /** Deletes a zone with all its records and keys; a missing zone is success. */
  async deleteZone(zone: string): Promise<void> {
    const res = await this.request(
      'delete-zone',
      'DELETE',
      this.zonePath(zone),
    );
    if (res.status === 204 || res.status === 200 || res.status === 404) {
      return;
    }
    throw this.failure('delete-zone', res);
  }

  /** One atomic PATCH; an empty list is a no-op. */
  async patchRRSets(zone: string, changes: RRSetChange[]): Promise<void> {
    if (changes.length === 0) return;
    const rrsets = changes.map(c =>
      c.changetype === 'DELETE'
        ? { name: canonicalName(c.name), type: c.type, changetype: 'DELETE' }
        : {
            name: canonicalName(c.name),
            type: c.type,
            ttl: c.ttl ?? 300,
            changetype: 'REPLACE',
            records: (c.records ?? []).map(content => ({
              content,
              disabled: false,
            })),
          },
    );
    const res = await this.request(
      'patch-rrsets',
      'PATCH',
      this.zonePath(zone),
      { rrsets },
    );
    if (res.status === 204 || res.status === 200) {
      return;
    }
    throw this.failure('patch-rrsets', res);
  }

  async addARecord(zone: string, name: string, ip: string, ttl = 300) {
    await this.patchRRSets(zone, [
      { name, type: 'A', ttl, changetype: 'REPLACE', records: [ip] },
    ]);
  }

  /** Writes `<child>. NS …` into the parent zone (TTL 3600 by default). */
  async addNSDelegation(
    parent: string,
    child: string,
    nameservers: string[],
    ttl = 3600,
  ): Promise<void> {
    if (nameservers.length === 0) {
      throw new PowerDnsError(
        'add-ns-delegation',
        undefined,
        'the nameserver list is empty',
      );
    }
    await this.patchRRSets(parent, [
      {
        name: child,
        type: 'NS',
        ttl,
        changetype: 'REPLACE',
        records: nameservers.map(canonicalName),
      },
    ]);
  }

  /** Removes the child's NS and DS rrsets from the parent; a missing parent zone is success. */
  async removeNSDelegation(parent: string, child: string): Promise<void> {
    try {
      await this.patchRRSets(parent, [
        { name: child, type: 'DS', changetype: 'DELETE' },
        { name: child, type: 'NS', changetype: 'DELETE' },
      ]);
    } catch (error) {
      if (error instanceof PowerDnsError && error.status === 404) return;
      throw error;
    }
  }

  /** Publishes the child's DS set in the parent zone next to its NS (TTL 3600 by default). */
  async setDsRecords(
    parent: string,
    child: string,
    ds: string[],
    ttl = 3600,
  ): Promise<void> {
    await this.patchRRSets(parent, [
      { name: child, type: 'DS', ttl, changetype: 'REPLACE', records: ds },
    ]);
  }

  async listCryptokeys(zone: string): Promise<Cryptokey[]> {
    const res = await this.request(
      'list-cryptokeys',
      'GET',
      `${this.zonePath(zone)}/cryptokeys`,
    );
    if (res.status === 404) return [];
    if (res.status !== 200) throw this.failure('list-cryptokeys', res);
    return res.json() as Cryptokey[];
  }

  /**
   * Signs the zone (ECDSAP256SHA256) and returns the DS records of its key-signing key, SHA-256
   * digests only (SHA-1 is deprecated for DS). Idempotent: existing active keys are kept.
   */
  async enableDnssec(zone: string): Promise<string[]> {
    const path = this.zonePath(zone);
    const put = await this.request('enable-dnssec', 'PUT', path, {
      dnssec: true,
    });
    if (put.status !== 204 && put.status !== 200) {
      throw this.failure('enable-dnssec', put);
    }
    let keys = await this.listCryptokeys(zone);
    const active = (type: Cryptokey['keytype']) =>
      keys.some(k => k.active && (k.keytype === type || k.keytype === 'csk'));
    const missing = (['ksk', 'zsk'] as const).filter(t => !active(t));
    for (const keytype of missing) {
      const res = await this.request(
        'add-cryptokey',
        'POST',
        `${path}/cryptokeys`,
        { keytype, active: true, published: true, algorithm: 'ecdsa256' },
      );
      if (res.status !== 201 && res.status !== 200) {
        throw this.failure('add-cryptokey', res);
      }
    }
    if (missing.length > 0) keys = await this.listCryptokeys(zone);
    const rectify = await this.request(
      'rectify-zone',
      'PUT',
      `${path}/rectify`,
    );
    if (rectify.status !== 200 && rectify.status !== 204) {
      throw this.failure('rectify-zone', rectify);
    }
    const ds = dsOf(keys);
    if (ds.length === 0) {
      throw new PowerDnsError(
        'enable-dnssec',
        undefined,
        `zone ${canonicalName(
          zone,
        )} has no active key-signing key with a SHA-256 DS`,
      );
    }
    return ds;
  }

  /**
   * Creates a TSIG key (PowerDNS generates the secret). 'exists' when a key of that name is already there:
   * the caller decides whether to keep it ({@link getTsigKey}) or replace it.
   */
  async createTsigKey(
    name: string,
    algorithm: string,
  ): Promise<TsigKey | 'exists'> {
    const res = await this.request('create-tsigkey', 'POST', '/tsigkeys', {
      name: keyName(name),
      algorithm,
    });
    if (res.status === 409) {
      return 'exists';
    }
    if (res.status !== 201 && res.status !== 200) {
      throw this.failure('create-tsigkey', res);
    }
    return tsigKeyOf(res.json());
  }

  /** The key with its secret; undefined when there is none of that name. */
  async getTsigKey(name: string): Promise<TsigKey | undefined> {
    const res = await this.request(
      'get-tsigkey',
      'GET',
      this.tsigKeyPath(name),
    );
    if (res.status === 404) {
      return undefined;
    }
    if (res.status !== 200) throw this.failure('get-tsigkey', res);
    return tsigKeyOf(res.json());
  }

  /** Deletes a TSIG key; a missing key is success. */
  async deleteTsigKey(name: string): Promise<void> {
    const res = await this.request(
      'delete-tsigkey',
      'DELETE',
      this.tsigKeyPath(name),
    );
    if (res.status === 204 || res.status === 200 || res.status === 404) return;
    throw this.failure('delete-tsigkey', res);
  }

  /** Replaces one kind of zone metadata (e.g. TSIG-ALLOW-DNSUPDATE) with the given values. */
  async setZoneMetadata(
    zone: string,
    kind: string,
    values: string[],
  ): Promise<void> {
    const res = await this.request(
      'set-metadata',
      'PUT',
      `${this.zonePath(zone)}/metadata/${encodeURIComponent(kind)}`,
      { metadata: values },
    );
    if (res.status === 200 || res.status === 204) {
      return;
    }
    throw this.failure('set-metadata', res);
  }

  /** The values of one kind of zone metadata; [] when unset or when the zone does not exist. */
  async getZoneMetadata(zone: string, kind: string): Promise<string[]> {
    const res = await this.request(
      'get-metadata',
      'GET',
      `${this.zonePath(zone)}/metadata/${encodeURIComponent(kind)}`,
    );
    if (res.status === 404 || res.status === 422) {
      return [];
    }
    if (res.status !== 200) throw this.failure('get-metadata', res);
    const body = res.json() as { metadata?: unknown };
    return Array.isArray(body.metadata) ? body.metadata.map(String) : [];
  }

  /** Removes one kind of zone metadata; a missing zone or kind is success. */
  async deleteZoneMetadata(zone: string, kind: string): Promise<void> {
    const res = await this.request(
      'delete-metadata',
      'DELETE',
      `${this.zonePath(zone)}/metadata/${encodeURIComponent(kind)}`,
    );
    if ([200, 204, 404, 422].includes(res.status)) return;
    throw this.failure('delete-metadata', res);
  }

  private tsigKeyPath(name: string): string {
    return `/tsigkeys/${encodeURIComponent(canonicalName(name))}`;
  }

  private zonePath(zone: string): string {
    return `/zones/${encodeURIComponent(canonicalName(zone))}`;
  }

  private failure(op: string, res: Answer): PowerDnsError {
    const text = res.text;
    let message = text.slice(0, 256);
    try {
      const body = JSON.parse(text);
      if (body && typeof body.error === 'string') message = body.error;
    } catch {
      // not JSON: keep the truncated body
    }
    return new PowerDnsError(op, res.status, message || res.statusText);
  }

  /**
   * One API call with up to three attempts. Only transport errors and 5xx are retried: a 4xx is
   * PowerDNS's final answer. Returns the last answer, read in full (the caller decides what is success).
   */
  private async request(
    op: string,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<Answer> {
    const headers: Record<string, string> = {
      'X-API-Key': this.apiKey,
      Accept: 'application/json',
    };
    if (this.authorization) headers.Authorization = this.authorization;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    if (payload !== undefined) headers['Content-Type'] = 'application/json';
    let lastError = 'no attempt was made';
    for (let attempt = 0; attempt < this.retryDelaysMs.length; attempt++) {
      if (this.retryDelaysMs[attempt] > 0) {
        await sleep(this.retryDelaysMs[attempt]);
      }
      let res: Answer;
      try {
        res = await this.send(
          method,
          `${this.baseUrl}${path}`,
          headers,
          payload,
          this.timeoutMs,
        );
      } catch (error) {
        // Only the error's kind goes into the message: never headers or anything that holds the key.
        lastError = describeTransportError(error, this.timeoutMs);
        continue;
      }
      if (res.status >= 500 && attempt < this.retryDelaysMs.length - 1) {
        continue;
      }
      return res;
    }
    throw new PowerDnsError(op, undefined, lastError);
  }
}

/** One PowerDNS answer, its body read in full. */
interface Answer {
  status: number;
  statusText: string;
  text: string;
  /** The body parsed as JSON; throws when it is not. */
  json(): unknown;
}

/** Sends one request and answers with the whole response, or rejects on a transport error or the timeout. */
type Transport = (
  method: string,
  url: string,
  headers: Record<string, string>,
  body: string | undefined,
  timeoutMs: number,
) => Promise<Answer>;

/** The most a PowerDNS answer may hold; the API answers PDM's calls with a few kilobytes at most. */
const MAX_ANSWER_BYTES = 8 * 1024 * 1024;

function answer(status: number, statusText: string, text: string): Answer {
  return { status, statusText, text, json: () => JSON.parse(text) };
}

/** A transport failure of PDM's own client, named like Node's errors so that only its code is reported. */
class TransportError extends Error {
  constructor(readonly code: string, name = 'TransportError') {
    super(code);
    this.name = name;
  }
}

/**
 * node:http(s) with a keep-alive agent of its own: each call costs less CPU than `fetch` (no WHATWG streams), which
 * adds up over a dozen calls per allocation (docs/pdm.md, "Round trips per cycle"). Connections are reused where
 * the server allows it (PowerDNS's own webserver closes each one; a proxy in front of it may not).
 */
function nodeHttpTransport(baseUrl: string): Transport {
  const secure = new URL(baseUrl).protocol === 'https:';
  const agent = secure
    ? new https.Agent({ keepAlive: true })
    : new http.Agent({ keepAlive: true });
  const requestFn = secure ? https.request : http.request;
  return (method, url, headers, body, timeoutMs) =>
    new Promise<Answer>((resolve, reject) => {
      const sendHeaders =
        body === undefined
          ? headers
          : { ...headers, 'Content-Length': String(Buffer.byteLength(body)) };
      // The whole exchange, the answer's body included, within the per-attempt budget.
      let timer: NodeJS.Timeout | undefined = undefined;
      const fail = (error: Error) => {
        clearTimeout(timer);
        reject(error);
      };
      const req = requestFn(
        url,
        { method, headers: sendHeaders, agent },
        res => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_ANSWER_BYTES) {
              req.destroy(new TransportError('EANSWERTOOLARGE'));
              return;
            }
            chunks.push(chunk);
          });
          res.on('end', () => {
            clearTimeout(timer);
            resolve(
              answer(
                res.statusCode ?? 0,
                res.statusMessage ?? '',
                Buffer.concat(chunks).toString('utf8'),
              ),
            );
          });
          res.on('error', fail);
        },
      );
      timer = setTimeout(
        () => req.destroy(new TransportError('TIMEOUT', 'TimeoutError')),
        timeoutMs,
      );
      req.on('error', fail);
      req.end(body);
    });
}

/** An injected `fetch` (tests use one to make PowerDNS unreachable on purpose). */
function fetchTransport(fetchImpl: typeof fetch): Transport {
  return async (method, url, headers, body, timeoutMs) => {
    const signal = AbortSignal.timeout(timeoutMs);
    const res = await fetchImpl(url, { method, headers, body, signal });
    return answer(res.status, res.statusText, await res.text());
  };
}

/** SHA-256 digests only (SHA-1 is deprecated for DS), of active key-signing keys. */
function dsOf(keys: Cryptokey[]): string[] {
  return keys
    .filter(k => k.active && (k.keytype === 'ksk' || k.keytype === 'csk'))
    .flatMap(k => k.ds ?? [])
    .filter(d => d.split(/\s+/)[2] === '2');
}

/** A TSIG key name as PowerDNS stores it: lower-case, no trailing dot. */
function keyName(name: string): string {
  return canonicalName(name).replace(/\.$/, '');
}

function tsigKeyOf(body: unknown): TsigKey {
  const b = body as { name?: unknown; algorithm?: unknown; key?: unknown };
  if (typeof b?.name !== 'string' || typeof b.key !== 'string' || !b.key) {
    // Never echo the body: it holds the secret.
    throw new PowerDnsError(
      'tsigkey',
      undefined,
      'PowerDNS answered a TSIG key without a name or key material',
    );
  }
  return {
    name: keyName(b.name),
    algorithm: String(b.algorithm ?? ''),
    secret: b.key,
  };
}

function describeTransportError(error: unknown, timeoutMs: number): string {
  const e = error as {
    name?: string;
    code?: string;
    cause?: { code?: string };
  };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
    return `no answer within ${timeoutMs} ms`;
  }
  const code = e?.code ?? e?.cause?.code;
  return code ? `transport error (${code})` : 'transport error';
}
