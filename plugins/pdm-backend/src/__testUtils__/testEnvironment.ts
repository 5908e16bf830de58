/**
 * Real services for PDM's integration tests: the shared PowerDNS (CATALYST_TEST_PDNS_*), a private
 * PowerDNS started through scripts/pdns-ctl.sh, SQLite and PostgreSQL. Without the environment the
 * suites skip locally and fail under CI, which always provides it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';

const run = promisify(execFile);

export interface PowerDnsEnv {
  url: string;
  apiKey: string;
  dnsPort: number;
}

export function sharedPowerDns(): PowerDnsEnv | undefined {
  const url = process.env.CATALYST_TEST_PDNS_URL;
  const apiKey = process.env.CATALYST_TEST_PDNS_API_KEY;
  const dnsPort = process.env.CATALYST_TEST_PDNS_DNS_PORT;
  if (!url || !apiKey || !dnsPort) {
    if (process.env.CI) {
      throw new Error(
        'CATALYST_TEST_PDNS_URL, CATALYST_TEST_PDNS_API_KEY and CATALYST_TEST_PDNS_DNS_PORT must be set in CI',
      );
    }
    return undefined;
  }
  return { url, apiKey, dnsPort: Number(dnsPort) };
}

/** describe, or describe.skip when PowerDNS is absent outside CI. */
export const describeWithPowerDns = sharedPowerDns() ? describe : describe.skip;

/** A pool domain no other run uses, so parallel runs never collide on the shared PowerDNS. */
export function uniquePoolDomain(): string {
  return `t${randomBytes(5).toString('hex')}.test`;
}

export function testDatabases(): TestDatabases {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
  if (
    process.env.CATALYST_TEST_REQUIRE_POSTGRES &&
    !databases.supports('POSTGRES_15')
  ) {
    throw new Error(
      'CATALYST_TEST_REQUIRE_POSTGRES is set but POSTGRES_15 is not available (set BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING)',
    );
  }
  return databases;
}

export async function dig(dnsPort: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('dig', [
    '@127.0.0.1',
    '-p',
    String(dnsPort),
    '+time=2',
    '+tries=1',
    ...args,
  ]);
  return stdout;
}

export async function digShort(
  dnsPort: number,
  name: string,
  type: string,
  ...flags: string[]
): Promise<string[]> {
  const out = await dig(dnsPort, name, type, '+short', ...flags);
  return out
    .split('\n')
    .map(l => l.trim())
    .filter(Boolean)
    .sort();
}

/** Validates the chain of trust from `anchorZone` down to `name` with delv. */
export async function delvValidate(
  dnsPort: number,
  anchorZone: string,
  anchorDnskey: string,
  name: string,
  type: string,
): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'pdm-delv-'));
  try {
    const [flags, protocol, algorithm, ...key] = anchorDnskey.split(/\s+/);
    const anchors = join(dir, 'anchors.conf');
    writeFileSync(
      anchors,
      `trust-anchors { ${anchorZone}. static-key ${flags} ${protocol} ${algorithm} "${key.join(
        '',
      )}"; };\n`,
    );
    const { stdout, stderr } = await run('delv', [
      '@127.0.0.1',
      '-p',
      String(dnsPort),
      '-a',
      anchors,
      `+root=${anchorZone}`,
      name,
      type,
    ]).catch(e => ({ stdout: e.stdout ?? '', stderr: e.stderr ?? '' }));
    return `${stdout}\n${stderr}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => ok(port));
    });
  });
}

const PDNS_CTL = join(
  resolvePackagePath('@catalyst/plugin-pdm-backend'),
  '../../scripts/pdns-ctl.sh',
);

/** A PowerDNS of the test's own (so it can be stopped mid-test), on free ports. */
export class OwnPowerDns {
  private constructor(
    readonly dir: string,
    readonly env: PowerDnsEnv,
    private readonly apiPort: number,
  ) {}

  static async start(): Promise<OwnPowerDns> {
    const dir = mkdtempSync(join(tmpdir(), 'pdm-pdns-'));
    const dnsPort = await freePort();
    const apiPort = await freePort();
    const apiKey = randomBytes(12).toString('hex');
    const own = new OwnPowerDns(
      dir,
      { url: `http://127.0.0.1:${apiPort}`, apiKey, dnsPort },
      apiPort,
    );
    await own.resume();
    return own;
  }

  async resume(): Promise<void> {
    await run('bash', [
      PDNS_CTL,
      'start',
      this.dir,
      String(this.env.dnsPort),
      String(this.apiPort),
      this.env.apiKey,
    ]);
  }

  async stop(): Promise<void> {
    await run('bash', [PDNS_CTL, 'stop', this.dir]);
    // pdns-ctl sends SIGTERM; wait until the API port is really closed.
    for (let i = 0; i < 50; i++) {
      const open = await fetch(`${this.env.url}/`).then(
        () => true,
        () => false,
      );
      if (!open) return;
      await new Promise(r => setTimeout(r, 100));
    }
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A DS record as `tag alg digestType hex` (dig splits long digests with spaces and upper-cases them). */
export function normalizeDs(record: string): string {
  const [tag, alg, type, ...hex] = record.trim().split(/\s+/);
  return `${tag} ${alg} ${type} ${hex.join('').toLowerCase()}`;
}
