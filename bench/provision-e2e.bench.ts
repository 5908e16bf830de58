/**
 * End-to-end provisioning benchmark: an in-process backend with the real scaffolder, catalog, catalyst-backend,
 * PDM and the Catalyst actions (the harness of packages/backend-e2e) runs the
 * provision-sovereign template in pool mode with the sandbox OpenTofu module, against the test PowerDNS.
 *
 *   source .data/dev-test/env.sh   # CATALYST_TEST_PDNS_URL, _API_KEY, _DNS_PORT
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/provision-e2e.bench.ts
 *
 * Measures, per run: POST /api/scaffolder/v2/tasks until the task is completed, and until the Sovereign entity
 * is `ready` in the catalog and PowerDNS answers console.<fqdn>. Env: PROVISION_BENCH_RUNS (default 5, max 50).
 * Prints `BENCH\t<name>\t<value>\t<unit>` lines.
 */
import execa from 'execa';
import {
  median,
  powerDnsFromEnv,
  printFigure,
  ProvisioningTestBackend,
  provisionValues,
  randomLabel,
  SANDBOX_HETZNER_TOKEN,
} from '@catalyst/backend-e2e';

const RUNS = Math.min(
  Math.max(Number(process.env.PROVISION_BENCH_RUNS ?? 5) || 5, 1),
  50,
);

async function main() {
  const pdns = powerDnsFromEnv();
  if (!pdns) {
    throw new Error(
      'Set CATALYST_TEST_PDNS_URL, CATALYST_TEST_PDNS_API_KEY and CATALYST_TEST_PDNS_DNS_PORT (source .data/dev-test/env.sh)',
    );
  }
  const startedAt = performance.now();
  const backend = await ProvisioningTestBackend.start({ pdns });
  try {
    await backend.waitForTemplates();
    printFigure(
      'provision-e2e.backend-start-to-templates',
      performance.now() - startedAt,
      'ms',
    );

    const taskMs: number[] = [];
    const readyMs: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const subdomain = randomLabel('bench');
      const fqdn = `${subdomain}.omani.works`;
      const t0 = performance.now();
      const id = await backend.startTask(
        'provision-sovereign',
        provisionValues({ mode: 'pool', poolDomain: 'omani.works', subdomain }),
        { hetznerToken: SANDBOX_HETZNER_TOKEN },
      );
      const task = await backend.waitForTask(id);
      if (task.status !== 'completed') {
        throw new Error(`Run ${run + 1} ended ${task.status}:\n${task.log}`);
      }
      taskMs.push(performance.now() - t0);

      await backend.waitFor(`${fqdn} ready and resolving`, 60_000, async () => {
        const entity = await backend.request(
          'GET',
          `/api/catalog/entities/by-name/sovereign/default/${fqdn.replace(
            /\./g,
            '-',
          )}`,
        );
        if (entity.body?.spec?.phase !== 'ready') return false;
        const { stdout } = await execa('dig', [
          '@127.0.0.1',
          '-p',
          String(pdns.dnsPort),
          `console.${fqdn}`,
          'A',
          '+short',
        ]);
        return stdout.trim().length > 0;
      });
      readyMs.push(performance.now() - t0);
    }

    printFigure('provision-e2e.task.median', median(taskMs), 'ms');
    printFigure('provision-e2e.task.max', Math.max(...taskMs), 'ms');
    printFigure(
      'provision-e2e.ready-and-resolving.median',
      median(readyMs),
      'ms',
    );
    printFigure(
      'provision-e2e.ready-and-resolving.max',
      Math.max(...readyMs),
      'ms',
    );
    printFigure('provision-e2e.runs', RUNS, 'count');
  } finally {
    await backend.stop();
  }
}

main().then(
  () => process.exit(0),
  error => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
