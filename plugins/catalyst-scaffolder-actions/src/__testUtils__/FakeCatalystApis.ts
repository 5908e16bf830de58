import crypto from 'node:crypto';
import { CANONICAL_RECORD_NAMES } from '@catalyst/plugin-catalyst-common';
import { randomBytes, randomUUID } from 'node:crypto';
import { LocalApiServer, RecordedRequest } from './LocalApiServer';

const NAMESERVERS = ['ns1.openova.io', 'ns2.openova.io', 'ns3.openova.io'];

/** The records PDM answers after writing the canonical set of a zone (docs/pdm.md §5.3). */
function writtenRecords(zone: string, ip: string) {
  return CANONICAL_RECORD_NAMES.map(name => ({
    name: name === '@' ? `${zone}.` : `${name}.${zone}.`,
    type: 'A',
    ttl: 300,
    content: ip,
  }));
}

/** The public DNS-01 facts PDM reports for a Sovereign zone. */
export function dns01Setup(zone: string) {
  return {
    zone,
    nameserver: 'ns1.openova.io:53',
    keyName: `dns01.${zone}`,
    algorithm: 'hmac-sha256',
  };
}

/**
 * In-memory stand-ins for PDM, the Sovereign registry and the scaffolder task API, served over real HTTP by a
 * LocalApiServer and answering with the documented statuses and shapes (docs/pdm.md §2, §7; the registry router).
 */
export class FakeCatalystApis {
  readonly server: LocalApiServer;
  readonly allocations = new Map<string, any>();
  readonly byoZones = new Map<
    string,
    { records?: string; createdBy?: string }
  >();
  /** DNS-01 key secrets of the zones PDM holds (pool reservations and BYO zones), by zone. */
  readonly dns01Secrets = new Map<string, string>();
  readonly sovereigns = new Map<string, any>();
  /** Secrets minted through `POST /v1/sovereigns/:name/handoff-secret`. */
  readonly handoffSecrets: Array<{ name: string; secret: string }> = [];
  readonly events: Array<{ name: string; body: any }> = [];
  readonly taskStates = new Map<string, string>();
  registrarNameservers = new Map<string, string[]>();
  /** Records a Sovereign as the register step would, for actions that run after it. */
  registerSovereign(
    name: string,
    fields: {
      fqdn: string;
      owner?: string;
      taskId?: string;
      phase?: string;
      domain?: unknown;
    },
  ) {
    this.sovereigns.set(name, {
      name,
      owner: 'group:default/omantel-platform',
      phase: 'provisioning',
      ...fields,
    });
  }

  /** Registrar token PDM accepts in validate and set-ns. */
  validRegistrarToken = 'cf-token-0123456789';

  constructor() {
    this.server = new LocalApiServer(r => this.handle(r));
  }

  start() {
    return this.server.start();
  }

  stop() {
    return this.server.stop();
  }

  get discovery() {
    return this.server.discovery;
  }

  private handle(r: RecordedRequest): { status: number; body?: unknown } {
    const [path, query] = r.path.split('?');
    const params = new URLSearchParams(query ?? '');
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    if (r.pluginId === 'pdm') return this.pdm(r, parts, params);
    if (r.pluginId === 'catalyst') return this.registry(r, parts);
    if (r.pluginId === 'scaffolder') {
      const status = this.taskStates.get(parts[2]);
      return status
        ? { status: 200, body: { id: parts[2], status } }
        : {
            status: 404,
            body: {
              error: { name: 'NotFoundError', message: 'no such task' },
              response: { statusCode: 404 },
            },
          };
    }
    return { status: 404 };
  }

  private pdm(
    r: RecordedRequest,
    parts: string[],
    params: URLSearchParams,
  ): { status: number; body?: unknown } {
    const [, area, domain, op] = parts;
    if (area === 'dns01' && op === 'key' && r.method === 'GET') {
      const secret = this.dns01Secrets.get(domain);
      return secret
        ? { status: 200, body: { ...dns01Setup(domain), secret } }
        : {
            status: 404,
            body: { error: 'not-found', detail: `${domain} has no DNS-01 key` },
          };
    }
    if (area === 'pool') {
      if (domain !== 'omani.works' && domain !== 'openova.io') {
        return op === 'check'
          ? {
              status: 200,
              body: { available: false, reason: 'unsupported-pool' },
            }
          : { status: 422, body: { error: 'unsupported-pool' } };
      }
      if (op === 'list') {
        return {
          status: 200,
          body: [...this.allocations.values()]
            .filter(a => a.poolDomain === domain)
            .map(({ reservationToken: _token, ...rest }) => rest),
        };
      }
      const sub =
        op === 'check' || op === 'release'
          ? params.get('sub') ?? r.body?.subdomain
          : r.body?.subdomain;
      const key = `${sub}.${domain}`;
      const row = this.allocations.get(key);
      switch (op) {
        case 'check':
          if (sub === 'console')
            return {
              status: 200,
              body: { available: false, reason: 'reserved' },
            };
          return row
            ? {
                status: 200,
                body: { available: false, reason: `${row.state}-state` },
              }
            : { status: 200, body: { available: true, fqdn: key } };
        case 'reserve': {
          // Like PDM: a pending row (its DNS work still running, or died with its process) of the same creator
          // answers 409 while young and is taken over under a new token after `takeoverAt`.
          if (row?.pending && row.createdBy === r.body.createdBy) {
            if (Date.now() < row.takeoverAt)
              return {
                status: 409,
                body: {
                  error: 'conflict',
                  detail: `${key} is still being reserved by ${row.createdBy}; try again later`,
                },
              };
            delete row.pending;
            delete row.takeoverAt;
            row.reservationToken = randomUUID();
            this.dns01Secrets.set(key, randomBytes(32).toString('base64'));
            return { status: 201, body: { ...row, dns01: dns01Setup(key) } };
          }
          // Like PDM: idempotent for its creator while the reservation lives.
          if (
            row &&
            row.state === 'reserved' &&
            row.createdBy === r.body.createdBy &&
            Date.parse(row.expiresAt) >= Date.now()
          )
            return { status: 201, body: { ...row, dns01: dns01Setup(key) } };
          if (row)
            return {
              status: 409,
              body: {
                error: 'conflict',
                detail: `${key} is already ${row.state}`,
              },
            };
          const created = {
            poolDomain: domain,
            subdomain: sub,
            state: 'reserved',
            reservedAt: new Date().toISOString(),
            expiresAt: new Date(
              Date.now() + r.body.ttlSeconds * 1000,
            ).toISOString(),
            reservationToken: randomUUID(),
            createdBy: r.body.createdBy,
            owner: r.body.owner ?? null,
          };
          this.allocations.set(key, created);
          this.dns01Secrets.set(key, randomBytes(32).toString('base64'));
          return { status: 201, body: { ...created, dns01: dns01Setup(key) } };
        }
        case 'renew':
          if (!row) return { status: 404, body: { error: 'not-found' } };
          if (row.reservationToken !== r.body.reservationToken)
            return { status: 403, body: { error: 'token-mismatch' } };
          row.expiresAt = new Date(
            Date.now() + r.body.ttlSeconds * 1000,
          ).toISOString();
          return { status: 200, body: { expiresAt: row.expiresAt } };
        case 'commit':
          if (!row) return { status: 404, body: { error: 'not-found' } };
          if (row.state === 'active') {
            return row.loadBalancerIP === r.body.loadBalancerIP
              ? {
                  status: 200,
                  body: {
                    ...row,
                    records: writtenRecords(key, row.loadBalancerIP),
                  },
                }
              : { status: 409, body: { error: 'already-active' } };
          }
          if (row.reservationToken !== r.body.reservationToken)
            return { status: 403, body: { error: 'token-mismatch' } };
          Object.assign(row, {
            state: 'active',
            reservationToken: null,
            expiresAt: null,
            sovereignFQDN: r.body.sovereignFQDN,
            loadBalancerIP: r.body.loadBalancerIP,
          });
          return {
            status: 200,
            body: { ...row, records: writtenRecords(key, row.loadBalancerIP) },
          };
        case 'release':
          if (!row) return { status: 404, body: { error: 'not-found' } };
          this.allocations.delete(key);
          this.dns01Secrets.delete(key);
          return { status: 200, body: { freed: row } };
        default:
          return { status: 404 };
      }
    }
    if (area === 'byo') {
      if (op === 'check') {
        return this.byoZones.has(domain)
          ? {
              status: 200,
              body: {
                available: false,
                reason: 'zone-held',
                detail: `${domain} is already the zone of Sovereign ${domain}`,
              },
            }
          : { status: 200, body: { available: true, domain } };
      }
      if (op === 'zone' && r.method === 'POST') {
        const held = this.byoZones.get(domain);
        if (held && held.createdBy !== r.body?.createdBy) {
          return { status: 409, body: { error: 'zone-held' } };
        }
        this.byoZones.set(domain, { createdBy: r.body?.createdBy });
        if (!this.dns01Secrets.has(domain)) {
          this.dns01Secrets.set(domain, randomBytes(32).toString('base64'));
        }
        return {
          status: 201,
          body: {
            zone: `${domain}.`,
            nameservers: NAMESERVERS,
            ds: [`${domain}. 3600 IN DS 2371 13 2 AB12`],
            dns01: dns01Setup(domain),
          },
        };
      }
      if (op === 'zone' && r.method === 'DELETE') {
        this.dns01Secrets.delete(domain);
        return this.byoZones.delete(domain)
          ? { status: 204 }
          : { status: 404, body: { error: 'not-found' } };
      }
      if (op === 'records') {
        const zone = this.byoZones.get(domain);
        if (!zone) return { status: 404, body: { error: 'not-found' } };
        if (zone.createdBy && zone.createdBy !== r.body?.createdBy)
          return { status: 403, body: { error: 'not-owner' } };
        zone.records = r.body.loadBalancerIP;
        return {
          status: 200,
          body: {
            zone: `${domain}.`,
            loadBalancerIP: r.body.loadBalancerIP,
            records: writtenRecords(domain, r.body.loadBalancerIP),
          },
        };
      }
    }
    if (area === 'registrar') {
      if (r.body?.token !== this.validRegistrarToken) {
        return {
          status: 401,
          body: {
            error: 'invalid-token',
            detail: 'the registrar rejected the credential',
          },
        };
      }
      if (op === 'validate')
        return {
          status: 200,
          body: { valid: true, registrar: domain, domain: r.body.domain },
        };
      if (op === 'set-ns') {
        this.registrarNameservers.set(r.body.domain, r.body.nameservers);
        return {
          status: 200,
          body: {
            success: true,
            registrar: domain,
            domain: r.body.domain,
            nameservers: r.body.nameservers,
            propagation: 'minutes; full TLD up to 24 h',
          },
        };
      }
    }
    return { status: 404 };
  }

  private registry(
    r: RecordedRequest,
    parts: string[],
  ): { status: number; body?: unknown } {
    const [, , name, sub] = parts;
    const record = this.sovereigns.get(name);
    if (!sub && r.method === 'GET') {
      return record
        ? { status: 200, body: record }
        : {
            status: 404,
            body: {
              error: {
                name: 'NotFoundError',
                message: `Sovereign '${name}' is not in the registry`,
              },
            },
          };
    }
    if (!sub && r.method === 'PUT') {
      const now = new Date().toISOString();
      const stored = {
        name,
        // Like the registry: without a phase in the body, the stored phase and reason are kept.
        ...(r.body.phase === undefined && record
          ? { phase: record.phase, phaseReason: record.phaseReason }
          : {}),
        ...r.body,
        createdAt: record?.createdAt ?? now,
        updatedAt: now,
      };
      this.sovereigns.set(name, stored);
      return { status: record ? 200 : 201, body: stored };
    }
    if (!record)
      return {
        status: 404,
        body: {
          error: { name: 'NotFoundError', message: 'not in the registry' },
          response: { statusCode: 404 },
        },
      };
    if (sub === 'phase') {
      record.phase = r.body.phase;
      if (r.body.reason) record.phaseReason = r.body.reason;
      this.events.push({ name, body: { ...r.body, kind: 'phase' } });
      return { status: 200, body: { record, event: {} } };
    }
    if (sub === 'events') {
      this.events.push({ name, body: r.body });
      return { status: 201, body: {} };
    }
    if (sub === 'handoff-secret' && r.method === 'POST') {
      // Like the registry: a fresh single-use secret each time, 409 once the kubeconfig is in.
      if (record.kubeconfigReceivedAt) {
        return {
          status: 409,
          body: {
            error: { name: 'ConflictError' },
            response: { statusCode: 409 },
          },
        };
      }
      const secret = crypto.randomBytes(32).toString('hex');
      this.handoffSecrets.push({ name, secret });
      return {
        status: 201,
        body: {
          secret,
          expiresAt: new Date(Date.now() + 3600_000).toISOString(),
        },
      };
    }
    return { status: 404 };
  }
}
