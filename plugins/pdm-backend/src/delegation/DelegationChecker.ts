import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';
import { queryNsRecords } from './dnsWire';

export interface DelegationServerReport {
  nameserver: string;
  address?: string;
  nameservers?: string[];
  error?: string;
}

export interface DelegationReport {
  fqdn: string;
  parent: string;
  /** True when every reachable parent server delegates the domain to exactly our nameservers. */
  delegated: boolean;
  expected: string[];
  /** The union of what the parent's servers answered. */
  observed: string[];
  servers: DelegationServerReport[];
  /** Set when the parent's nameservers could not be found at all. */
  error?: string;
}

export interface DelegationCheckerOptions {
  nameservers: string[];
  /** Recursive resolvers as host:port; empty means the system resolvers. */
  resolvers: string[];
  /** Port the parent's authoritative servers answer on (53 in the real world). */
  authoritativePort: number;
  timeoutMs: number;
}

const normalize = (name: string) =>
  name.trim().toLowerCase().replace(/\.$/, '');

/**
 * Asks the parent zone's authoritative servers (found through the resolvers) which nameservers
 * they delegate a domain to: what the rest of the internet will see, not what PowerDNS holds.
 */
export class DelegationChecker {
  constructor(private readonly options: DelegationCheckerOptions) {}

  private resolver() {
    const resolver = new dns.Resolver({
      timeout: this.options.timeoutMs,
      tries: 2,
    });
    if (this.options.resolvers.length > 0) {
      resolver.setServers(this.options.resolvers);
    }
    return resolver;
  }

  async check(fqdn: string): Promise<DelegationReport> {
    const domain = normalize(fqdn);
    const parent = domain.split('.').slice(1).join('.');
    const expected = [...this.options.nameservers].map(normalize).sort();
    const resolver = this.resolver();
    let parentServers: string[];
    try {
      parentServers = (await resolver.resolveNs(parent)).map(normalize).sort();
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'lookup failed';
      return {
        fqdn: domain,
        parent,
        delegated: false,
        expected,
        observed: [],
        servers: [],
        error: `the nameservers of ${parent} could not be resolved (${code})`,
      };
    }
    const servers: DelegationServerReport[] = await Promise.all(
      parentServers.map(async nameserver => {
        const report: DelegationServerReport = { nameserver };
        try {
          const address = isIP(nameserver)
            ? nameserver
            : (await resolver.resolve4(nameserver))[0];
          report.address = address;
          report.nameservers = await queryNsRecords(
            { address, port: this.options.authoritativePort },
            domain,
            this.options.timeoutMs,
          );
        } catch (error) {
          const e = error as { code?: string; message?: string };
          report.error = e.code ?? e.message ?? 'lookup failed';
        }
        return report;
      }),
    );
    const answered = servers.filter(s => s.nameservers !== undefined);
    const observed = [
      ...new Set(answered.flatMap(s => s.nameservers ?? [])),
    ].sort();
    const delegated =
      answered.length > 0 &&
      answered.every(
        s =>
          s.nameservers!.length === expected.length &&
          s.nameservers!.every((ns, i) => ns === expected[i]),
      );
    return { fqdn: domain, parent, delegated, expected, observed, servers };
  }
}
