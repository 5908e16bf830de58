import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleTemplateKind from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { JsonObject } from '@backstage/types';
import catalogModuleCatalyst from '@catalyst/plugin-catalog-backend-module-catalyst';
import catalystPlugin from '@catalyst/plugin-catalyst-backend';
import { sovereignEntityName } from '@catalyst/plugin-catalyst-common';
import pdmPlugin from '@catalyst/plugin-pdm-backend';
import scaffolderModuleCatalyst from '@catalyst/plugin-scaffolder-backend-module-catalyst';
import execa from 'execa';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** The repository root: templates/ and infra/ are read from there, exactly as the portal does. */
export const REPO_ROOT = path.resolve(
  resolvePackagePath('@catalyst/plugin-scaffolder-backend-module-catalyst'),
  '../..',
);
const SANDBOX_MODULE = path.join(REPO_ROOT, 'infra/sandbox');
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
const { startClusterStandin } = require(path.join(
  REPO_ROOT,
  'scripts/cluster-standin.js',
));

/** The PowerDNS the test talks to (a real pdns_server; see scripts/pdns-ctl.sh). */
export interface PowerDnsTarget {
  url: string;
  apiKey: string;
  dnsPort: number;
}

/**
 * Reads the test PowerDNS from the environment. Returns undefined (skip) only when it is absent and CI is unset;
 * in CI a missing PowerDNS is a failure.
 */
export function powerDnsFromEnv(): PowerDnsTarget | undefined {
  const url = process.env.CATALYST_TEST_PDNS_URL;
  const apiKey = process.env.CATALYST_TEST_PDNS_API_KEY;
  const dnsPort = Number(process.env.CATALYST_TEST_PDNS_DNS_PORT);
  if (!url || !apiKey || !dnsPort) {
    if (process.env.CI) {
      throw new Error(
        'CATALYST_TEST_PDNS_URL, CATALYST_TEST_PDNS_API_KEY and CATALYST_TEST_PDNS_DNS_PORT must be set in CI',
      );
    }
    return undefined;
  }
  return { url, apiKey, dnsPort };
}

/** Variants of the OpenTofu module the backend's `scaffolder.catalyst.tofu.modulePath` points at. */
export type ModuleVariant = 'sandbox' | 'broken' | 'slow';

const EXTRA_FILES: Record<ModuleVariant, Record<string, string>> = {
  sandbox: {},
  // Fails at plan time with tofu's own diagnostic ("Reference to undeclared input variable").
  broken: {
    'broken.tf':
      'resource "terraform_data" "broken" {\n  input = var.catalyst_e2e_undeclared\n}\n',
  },
  // Keeps apply busy long enough to cancel the task while tofu holds the state lock.
  slow: {
    'slow.tf':
      'resource "terraform_data" "slow" {\n  provisioner "local-exec" {\n    command = "sleep 120"\n  }\n}\n',
  },
};

/** Thrown from a waitFor check when waiting longer cannot help. */
export class GiveUpWaiting extends Error {}

export interface TaskEvent {
  id: number;
  type: 'log' | 'completion' | 'cancelled' | 'recovered';
  body: {
    message?: string;
    stepId?: string;
    status?: string;
    output?: JsonObject;
  };
  createdAt: string;
}

export interface FinishedTask {
  id: string;
  status: string;
  events: TaskEvent[];
  log: string;
  output?: JsonObject;
}

export interface ProvisioningTestBackendOptions {
  pdns: PowerDnsTarget;
  /** `pdm.registrars.<id>.baseUrl`, e.g. a registrar fake. */
  registrarBaseUrls?: Record<string, string>;
  stateBackend?: 'local' | 'pg';
  pgConnectionString?: string;
}

/**
 * An in-process Catalyst backend with the real scaffolder, catalog, catalyst-backend, PDM and this module, and a
 * configuration that mirrors app-config.yaml: the repository's templates as file locations, PowerDNS from the
 * environment, a temporary bare GitOps repository, the sandbox OpenTofu module (via a copy whose variant the
 * test chooses) run by the terraform binary with local state.
 */
export class ProvisioningTestBackend {
  /** Every Sovereign FQDN a task was started for. */
  private readonly fqdns = new Set<string>();

  private constructor(
    readonly baseUrl: string,
    readonly root: string,
    readonly gitopsRepo: string,
    readonly moduleDir: string,
    readonly tofuWorkDir: string,
    readonly pdns: PowerDnsTarget,
    private readonly backend: { stop(): Promise<void> },
    /** The stand-in for the new clusters' Kubernetes API (scripts/cluster-standin.js), as in the embedded default. */
    readonly clusters: { url: string; close(): Promise<void> },
  ) {}

  static async start(
    options: ProvisioningTestBackendOptions,
  ): Promise<ProvisioningTestBackend> {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'catalyst-e2e-'));
    const gitopsRepo = path.join(root, 'gitops.git');
    const moduleDir = path.join(root, 'module');
    const tofuWorkDir = path.join(root, 'tofu');
    const scaffolderDir = path.join(root, 'scaffolder');
    await execa('git', [
      'init',
      '--quiet',
      '--bare',
      '--initial-branch=main',
      gitopsRepo,
    ]);
    await fs.mkdir(scaffolderDir);
    await writeModule(moduleDir, 'sandbox');
    // Phase 1: the sandbox module's first boot asks this stand-in to play the new cluster and hand its
    // kubeconfig back (terraform inherits the variable through the backend's environment).
    const clusters = await startClusterStandin({ stepMs: 50 });
    process.env.CATALYST_SANDBOX_CLUSTER_URL = clusters.url;

    const config = {
      backend: {
        baseUrl: 'http://localhost:7007',
        workingDirectory: scaffolderDir,
      },
      app: { baseUrl: 'http://localhost:3000' },
      integrations: {},
      // One process: events stay in memory (there is no events-backend to relay them).
      events: { useEventBus: 'never' },
      catalog: {
        rules: [
          {
            allow: [
              'Component',
              'System',
              'API',
              'Resource',
              'Location',
              'Sovereign',
              'Blueprint',
              'Voucher',
            ],
          },
        ],
        locations: [
          {
            type: 'file',
            target: path.join(REPO_ROOT, 'catalog/org.yaml'),
            rules: [{ allow: ['User', 'Group'] }],
          },
          ...['provision-sovereign', 'decommission-sovereign'].map(name => ({
            type: 'file',
            target: path.join(REPO_ROOT, 'templates', name, 'template.yaml'),
            rules: [{ allow: ['Template'] }],
          })),
        ],
      },
      pdm: {
        powerdns: {
          baseUrl: options.pdns.url,
          apiKey: options.pdns.apiKey,
          serverId: 'localhost',
        },
        nameservers: ['ns1.openova.io', 'ns2.openova.io', 'ns3.openova.io'],
        poolDomains: ['openova.io', 'omani.works'],
        reservationTtl: { minutes: 10 },
        maxReservationTtl: { hours: 3 },
        sweeperInterval: { seconds: 30 },
        delegation: {
          resolvers: [`127.0.0.1:${options.pdns.dnsPort}`],
          authoritativePort: options.pdns.dnsPort,
        },
        registrars: Object.fromEntries(
          Object.entries(options.registrarBaseUrls ?? {}).map(([id, url]) => [
            id,
            { baseUrl: url },
          ]),
        ),
      },
      scaffolder: {
        defaultAuthor: { name: 'Catalyst', email: 'catalyst@localhost' },
        catalyst: {
          gitops: {
            repoUrl: `file://${gitopsRepo}`,
            branch: 'main',
            authorName: 'Catalyst',
            authorEmail: 'catalyst@localhost',
          },
          tofu: {
            binary: 'terraform',
            modulePath: moduleDir,
            workDir: tofuWorkDir,
            stateBackend: options.stateBackend ?? 'local',
            ...(options.pgConnectionString
              ? { pgConnectionString: options.pgConnectionString }
              : {}),
            timeout: { minutes: 10 },
            killGracePeriod: { seconds: 20 },
          },
          provisioning: { keeperPollInterval: { seconds: 1 } },
        },
      },
      catalyst: {
        vouchers: { codeKey: randomBytes(32).toString('hex') },
        platform: {
          kubeconfigKey: randomBytes(32).toString('hex'),
          pollInterval: { seconds: 1 },
          sessionLength: { seconds: 30 },
          readyTimeout: { minutes: 5 },
        },
      },
    };

    const backend = await startTestBackend({
      features: [
        mockServices.rootConfig.factory({ data: config }),
        // Quiet by default: failing runs are expected (broken module, cancellation) and their tofu errors are
        // asserted from the task log; CATALYST_E2E_LOG_LEVEL=info shows the backend's own log.
        mockServices.rootLogger.factory({
          level:
            (process.env.CATALYST_E2E_LOG_LEVEL as
              | 'debug'
              | 'info'
              | 'warn'
              | 'error'
              | undefined) ?? 'none',
        }),
        // The real scheduler: the mock one runs each task once at start-up only.
        schedulerServiceFactory,
        // The real events service: the mock one gives every plugin its own bus, so the registry's change events
        // would never reach the catalog's Sovereign provider.
        eventsServiceFactory,
        scaffolderPlugin,
        catalogPlugin,
        catalogModuleTemplateKind,
        catalogModuleCatalyst,
        catalystPlugin,
        pdmPlugin,
        scaffolderModuleCatalyst,
      ],
    });
    const baseUrl = `http://localhost:${backend.server.port()}`;
    return new ProvisioningTestBackend(
      baseUrl,
      root,
      gitopsRepo,
      moduleDir,
      tofuWorkDir,
      options.pdns,
      backend,
      clusters,
    );
  }

  /** Points `scaffolder.catalyst.tofu.modulePath` at the sandbox module, plus the variant's extra file. */
  async useModule(variant: ModuleVariant): Promise<void> {
    await writeModule(this.moduleDir, variant);
  }

  /** The Sovereign's tofu working directory (`<workDir>/<entity name>`). */
  workDirOf(fqdn: string): string {
    return path.join(this.tofuWorkDir, sovereignEntityName(fqdn));
  }

  /** Stops the backend, removes its folders and the zones its Sovereigns left in the shared PowerDNS. */
  async stop(): Promise<void> {
    await this.backend.stop();
    await this.clusters.close();
    delete process.env.CATALYST_SANDBOX_CLUSTER_URL;
    for (const fqdn of this.fqdns) {
      // 404: released already (failed run or decommissioned).
      await fetch(`${this.pdns.url}/api/v1/servers/localhost/zones/${fqdn}.`, {
        method: 'DELETE',
        headers: { 'X-API-Key': this.pdns.apiKey },
      });
    }
    await fs.rm(this.root, { recursive: true, force: true });
  }

  /** A request as the signed-in user guest. */
  async request(
    method: string,
    urlPath: string,
    body?: unknown,
  ): Promise<{ status: number; body: any }> {
    const res = await fetch(`${this.baseUrl}${urlPath}`, {
      method,
      headers: {
        authorization: mockCredentials.user.header('user:default/guest'),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed };
  }

  /** Waits until the catalog has ingested the repository's templates. */
  async waitForTemplates(timeoutMs = 60_000): Promise<void> {
    await this.waitFor('the templates in the catalog', timeoutMs, async () => {
      const res = await this.request(
        'GET',
        '/api/catalog/entities/by-query?filter=kind=template',
      );
      const names: string[] = (res.body?.items ?? []).map(
        (e: any) => e.metadata.name,
      );
      return (
        names.includes('provision-sovereign') &&
        names.includes('decommission-sovereign')
      );
    });
  }

  /** POST /api/scaffolder/v2/tasks; returns the task id. */
  async startTask(
    templateName: string,
    values: JsonObject,
    secrets: Record<string, string>,
  ): Promise<string> {
    const domain = values.domain as
      | { subdomain?: string; poolDomain?: string; byoDomain?: string }
      | undefined;
    if (domain?.byoDomain) this.fqdns.add(domain.byoDomain);
    else if (domain?.subdomain && domain.poolDomain) {
      this.fqdns.add(`${domain.subdomain}.${domain.poolDomain}`);
    }
    const res = await this.request('POST', '/api/scaffolder/v2/tasks', {
      templateRef: `template:default/${templateName}`,
      values,
      secrets,
    });
    if (res.status !== 201) {
      throw new Error(
        `Starting ${templateName} answered ${res.status}: ${JSON.stringify(
          res.body,
        )}`,
      );
    }
    return res.body.id;
  }

  async taskEvents(taskId: string): Promise<TaskEvent[]> {
    const res = await this.request(
      'GET',
      `/api/scaffolder/v2/tasks/${taskId}/events`,
    );
    return res.body as TaskEvent[];
  }

  async taskStatus(taskId: string): Promise<string> {
    const res = await this.request('GET', `/api/scaffolder/v2/tasks/${taskId}`);
    return res.body.status;
  }

  /** Waits for a log line matching `pattern` (e.g. tofu has started creating a resource). */
  async waitForLog(
    taskId: string,
    pattern: RegExp,
    timeoutMs = 120_000,
  ): Promise<void> {
    let log = '';
    try {
      await this.waitFor(
        `log ${pattern} of task ${taskId}`,
        timeoutMs,
        async () => {
          const events = await this.taskEvents(taskId);
          log = events.map(e => e.body.message ?? '').join('\n');
          if (events.some(e => pattern.test(e.body.message ?? ''))) {
            return true;
          }
          if (events.some(e => e.type === 'completion')) {
            throw new GiveUpWaiting(`task ${taskId} ended first`);
          }
          return false;
        },
      );
    } catch (e) {
      throw new Error(`${(e as Error).message}; the log so far:\n${log}`);
    }
  }

  async cancelTask(taskId: string): Promise<void> {
    const res = await this.request(
      'POST',
      `/api/scaffolder/v2/tasks/${taskId}/cancel`,
    );
    if (res.status >= 300) {
      throw new Error(`Cancelling ${taskId} answered ${res.status}`);
    }
  }

  /** Waits until the task leaves open/processing and returns its status, log and output. */
  async waitForTask(
    taskId: string,
    timeoutMs = 180_000,
  ): Promise<FinishedTask> {
    let status = '';
    await this.waitFor(`task ${taskId} to finish`, timeoutMs, async () => {
      status = await this.taskStatus(taskId);
      return !['open', 'processing'].includes(status);
    });
    const events = await this.taskEvents(taskId);
    const completion = events.find(e => e.type === 'completion');
    return {
      id: taskId,
      status,
      events,
      log: events
        .map(e => `[${e.body.stepId ?? '-'}] ${e.body.message ?? ''}`)
        .join('\n'),
      output: completion?.body.output,
    };
  }

  async waitFor(
    what: string,
    timeoutMs: number,
    check: () => Promise<boolean>,
    intervalMs = 200,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    for (;;) {
      try {
        if (await check()) return;
        lastError = undefined;
      } catch (e) {
        if (e instanceof GiveUpWaiting) throw e;
        lastError = e;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `Timed out after ${timeoutMs} ms waiting for ${what}${
            lastError ? `: ${lastError}` : ''
          }`,
        );
      }
      await new Promise(r => setTimeout(r, intervalMs));
    }
  }
}

async function writeModule(dir: string, variant: ModuleVariant) {
  await fs.rm(dir, { recursive: true, force: true });
  await fs.cp(SANDBOX_MODULE, dir, { recursive: true });
  for (const [name, content] of Object.entries(EXTRA_FILES[variant])) {
    await fs.writeFile(path.join(dir, name), content);
  }
}
