/**
 * Real ACME for the DNS-01 tests: Debian's `pebble` (a small ACME server) with a CA and a leaf certificate made
 * here with openssl, and Debian's `lego` (an ACME client whose rfc2136 provider speaks the same DNS UPDATE with
 * TSIG as cert-manager's solver). Inside the test services environment the tools are required; outside it the
 * suites skip.
 */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createServer } from 'node:net';

const run = promisify(execFile);

/** A TSIG key as PDM hands it over for DNS-01 (`GET /v1/dns01/{fqdn}/key`). */
export interface TsigKey {
  keyName: string;
  algorithm: string;
  secret: string;
}

/** A free TCP port on 127.0.0.1 (no Jest globals here: the DNS-01 benchmark uses this file too). */
function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => ok(port));
    });
  });
}

export const ACME_TOOLS = ['pebble', 'lego', 'nsupdate', 'delv', 'openssl'];

/** The tools that are not on PATH. */
export async function missingAcmeTools(): Promise<string[]> {
  const missing: string[] = [];
  for (const tool of ACME_TOOLS) {
    await run('sh', ['-c', `command -v ${tool}`]).catch(() =>
      missing.push(tool),
    );
  }
  return missing;
}

async function openssl(dir: string, args: string[]) {
  await run('openssl', args, { cwd: dir });
}

/** A CA and a leaf for 127.0.0.1/localhost, the certificate pebble's own HTTPS endpoint presents. */
async function makeListenerCertificates(dir: string) {
  await openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=Catalyst test ACME CA',
  ]);
  await openssl(dir, [
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    'key.pem',
    '-out',
    'leaf.csr',
    '-subj',
    '/CN=localhost',
  ]);
  writeFileSync(
    join(dir, 'leaf.ext'),
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n',
  );
  await openssl(dir, [
    'x509',
    '-req',
    '-in',
    'leaf.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'cert.pem',
    '-days',
    '2',
    '-extfile',
    'leaf.ext',
  ]);
}

export class Pebble {
  private constructor(
    readonly dir: string,
    readonly directoryUrl: string,
    readonly caFile: string,
    private readonly child: ChildProcess,
    private readonly output: string[],
  ) {}

  /** pebble's own log, for failure messages. */
  get log(): string {
    return this.output.join('');
  }

  /** Starts pebble on free ports; it validates DNS-01 challenges against `dnsPort` on 127.0.0.1. */
  static async start(dnsPort: number): Promise<Pebble> {
    const dir = mkdtempSync(join(tmpdir(), 'pdm-pebble-'));
    await makeListenerCertificates(dir);
    const port = await freePort();
    const managementPort = await freePort();
    writeFileSync(
      join(dir, 'pebble.json'),
      JSON.stringify({
        pebble: {
          listenAddress: `127.0.0.1:${port}`,
          managementListenAddress: `127.0.0.1:${managementPort}`,
          certificate: join(dir, 'cert.pem'),
          privateKey: join(dir, 'key.pem'),
          httpPort: await freePort(),
          tlsPort: await freePort(),
          ocspResponderURL: '',
          externalAccountBindingRequired: false,
        },
      }),
    );
    const output: string[] = [];
    const child = spawn(
      'pebble',
      [
        '-config',
        join(dir, 'pebble.json'),
        '-dnsserver',
        `127.0.0.1:${dnsPort}`,
      ],
      {
        env: {
          PATH: process.env.PATH,
          // No random sleeps before validation, no nonce rejections, a fresh authorization every order.
          PEBBLE_VA_NOSLEEP: '1',
          PEBBLE_WFE_NONCEREJECT: '0',
          PEBBLE_AUTHZREUSE: '0',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout!.on('data', d => output.push(String(d)));
    child.stderr!.on('data', d => output.push(String(d)));
    const pebble = new Pebble(
      dir,
      `https://127.0.0.1:${port}/dir`,
      join(dir, 'ca.pem'),
      child,
      output,
    );
    for (let i = 0; i < 100; i++) {
      if (output.join('').includes('Listening on')) return pebble;
      if (child.exitCode !== null) break;
      await new Promise(r => setTimeout(r, 100));
    }
    await pebble.stop();
    throw new Error(`pebble did not start: ${output.join('').slice(-2000)}`);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise(r => this.child.once('exit', r));
      this.child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface LegoResult {
  ok: boolean;
  /** lego's log, for failure messages. */
  output: string;
  elapsedMs: number;
  /** The issued leaf certificate, when there is one. */
  certificate?: X509Certificate;
}

/**
 * Asks pebble for a certificate for `domains` with lego's rfc2136 DNS-01 provider, signed with `key`, updates
 * sent to PowerDNS on `dnsPort`. The TSIG secret reaches lego through its environment only.
 */
export async function legoObtain(options: {
  pebble: Pebble;
  dnsPort: number;
  key: TsigKey;
  domains: string[];
}): Promise<LegoResult> {
  const dir = mkdtempSync(join(tmpdir(), 'pdm-lego-'));
  const started = Date.now();
  try {
    const args = [
      '--server',
      options.pebble.directoryUrl,
      '--email',
      'acme@example.test',
      '--accept-tos',
      '--dns',
      'rfc2136',
      // Find the zone and check propagation on PowerDNS itself, never the machine's resolvers.
      '--dns.resolvers',
      `127.0.0.1:${options.dnsPort}`,
      '--dns.disable-cp',
      '--path',
      dir,
      ...options.domains.flatMap(d => ['-d', d]),
      'run',
    ];
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      LEGO_CA_CERTIFICATES: options.pebble.caFile,
      RFC2136_NAMESERVER: `127.0.0.1:${options.dnsPort}`,
      RFC2136_TSIG_KEY: options.key.keyName,
      RFC2136_TSIG_SECRET: options.key.secret,
      // lego defaults to hmac-sha1 and wants the trailing dot.
      RFC2136_TSIG_ALGORITHM: `${options.key.algorithm}.`,
      RFC2136_TTL: '60',
      RFC2136_SEQUENCE_INTERVAL: '1',
      RFC2136_POLLING_INTERVAL: '1',
      RFC2136_PROPAGATION_TIMEOUT: '30',
      RFC2136_DNS_TIMEOUT: '5',
    };
    const { ok, output } = await new Promise<{ ok: boolean; output: string }>(
      resolve =>
        execFile(
          'lego',
          args,
          { env, timeout: 120_000 },
          (error, stdout, stderr) =>
            resolve({ ok: !error, output: `${stdout}${stderr}` }),
        ),
    );
    const elapsedMs = Date.now() - started;
    const certDir = join(dir, 'certificates');
    const certFile = existsSync(certDir)
      ? readdirSync(certDir).find(
          f => f.endsWith('.crt') && !f.endsWith('.issuer.crt'),
        )
      : undefined;
    const certificate = certFile
      ? new X509Certificate(readFileSync(join(certDir, certFile)))
      : undefined;
    return { ok, output, elapsedMs, certificate };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
