/**
 * Overlay benchmark: resolve every component of the catalog into Blueprint releases, render the Flux overlay
 * (with its CRD-schema checks) and commit it to a real bare GitOps repository over file://, as
 * catalyst:blueprints:resolve → catalyst:overlay:render → catalyst:gitops:commit do in a provisioning run.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/overlay-commit.bench.ts
 *
 * Env: OVERLAY_BENCH_RUNS (default 10, max 200). Prints `BENCH\t<name>\t<value>\t<unit>` lines.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { resolveBlueprints } from '@catalyst/plugin-catalyst-common';
import {
  ClusterOverlay,
  GitOpsRepository,
  loadReleaseValues,
} from '@catalyst/plugin-scaffolder-backend-module-catalyst';
import { loadCatalystData } from '@catalyst/plugin-catalyst-node';
import execa from 'execa';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { median, printFigure } from '@catalyst/backend-e2e';

const RUNS = Math.min(
  Math.max(Number(process.env.OVERLAY_BENCH_RUNS ?? 10) || 10, 1),
  200,
);

async function main() {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'overlay-bench-'));
  try {
    const remote = path.join(root, 'gitops.git');
    await execa('git', [
      'init',
      '--quiet',
      '--bare',
      '--initial-branch=main',
      remote,
    ]);
    const data = loadCatalystData();
    const releaseValues = loadReleaseValues();
    const allComponents = data.components.components.map(c => c.id);
    const repository = new GitOpsRepository({
      repoUrl: `file://${remote}`,
      branch: 'main',
      author: { name: 'Catalyst bench', email: 'bench@example.com' },
      logger: mockServices.rootLogger({ level: 'error' }),
    });

    const resolveMs: number[] = [];
    const renderMs: number[] = [];
    const commitMs: number[] = [];
    const noChangeMs: number[] = [];
    let releases = 0;
    let files = 0;
    for (let i = 0; i < RUNS; i++) {
      const fqdn = `bench${i}.omani.works`;
      const workspace = path.join(root, `ws-${i}`);

      let t = performance.now();
      const resolution = resolveBlueprints(data, allComponents);
      resolveMs.push(performance.now() - t);
      releases = resolution.releases.length;

      t = performance.now();
      const overlay = new ClusterOverlay({
        fqdn,
        releases: resolution.releases,
        releaseValues,
      });
      files = (await overlay.write(workspace)).length;
      renderMs.push(performance.now() - t);

      const sourceDir = path.join(workspace, overlay.relativeRoot);
      t = performance.now();
      await repository.writeOverlay({
        fqdn,
        sourceDir,
        message: `Add ${fqdn}`,
      });
      commitMs.push(performance.now() - t);

      t = performance.now();
      await repository.writeOverlay({
        fqdn,
        sourceDir,
        message: `Add ${fqdn}`,
      });
      noChangeMs.push(performance.now() - t);
    }

    printFigure('overlay.releases_all_components', releases, 'count');
    printFigure('overlay.files_all_components', files, 'count');
    printFigure('overlay.resolve_p50', median(resolveMs), 'ms');
    printFigure('overlay.render_write_p50', median(renderMs), 'ms');
    printFigure('overlay.gitops_commit_push_p50', median(commitMs), 'ms');
    printFigure('overlay.gitops_nochange_p50', median(noChangeMs), 'ms');
    printFigure(
      'overlay.render_and_commit_p50',
      median(renderMs.map((r, i) => r + commitMs[i] + resolveMs[i])),
      'ms',
    );
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
}

main().catch(e => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
