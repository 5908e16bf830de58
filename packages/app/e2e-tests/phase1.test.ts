import { test, expect, APIRequestContext, Page } from '@playwright/test';
import {
  backendUrl,
  guestToken,
  installableComponents,
  provisionValues,
  signIn,
} from './support/portal';

/**
 * Phase 1 in the browser (docs/phase1.md): two Sovereigns are provisioned through the scaffolder API of the real
 * portal; the sandbox module's first boot brings up the cluster stand-in (scripts/cluster-standin.js, started by
 * scripts/lib/portal.sh or `./catalyst start`) which hands the kubeconfig back through the real route. With
 * faults injected into the stand-in:
 *  - Flux's CRDs appear only after a while, so the page shows the Sovereign bootstrapping before it is ready;
 *  - cert-manager's install fails on a missing CRD, so the page names it as the component everything waits on.
 *
 * Env: PLAYWRIGHT_URL (the portal); CATALYST_SANDBOX_CLUSTER_URL (the stand-in; `./catalyst start` uses :8083).
 */

const standin =
  process.env.CATALYST_SANDBOX_CLUSTER_URL ?? 'http://127.0.0.1:8083';
const stamp = Date.now().toString(36);
const healthy = `p1ok${stamp}`;
const broken = `p1crd${stamp}`;
const nameOf = (subdomain: string) => `${subdomain}-omani-works`;

async function signInAsAdmin(page: Page) {
  await page.goto('/');
  await signIn(page, 'guest');
  await expect(
    page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();
}

async function injectFaults(
  request: APIRequestContext,
  sovereign: string,
  faults: object,
) {
  const res = await request.put(`${standin}/_standin/faults/${sovereign}`, {
    data: faults,
  });
  expect(res.ok(), await res.text()).toBe(true);
}

async function startProvisioning(
  request: APIRequestContext,
  backend: string,
  token: string,
  subdomain: string,
): Promise<string> {
  const headers = { Authorization: `Bearer ${token}` };
  const data = await (
    await request.get(`${backend}/api/catalyst/v1/catalog-data`, { headers })
  ).json();
  const created = await request.post(`${backend}/api/scaffolder/v2/tasks`, {
    headers,
    data: {
      templateRef: 'template:default/provision-sovereign',
      values: provisionValues(subdomain, {
        orgName: `Phase 1 ${subdomain}`,
        hetznerProjectId: 'proj_phase1',
        components: installableComponents(data),
      }),
      secrets: { hetznerToken: 'p1e2'.repeat(16) },
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  return (await created.json()).id;
}

async function waitForTask(
  request: APIRequestContext,
  backend: string,
  token: string,
  id: string,
) {
  let status = 'open';
  await expect
    .poll(
      async () => {
        const res = await request.get(
          `${backend}/api/scaffolder/v2/tasks/${id}`,
          { headers: { Authorization: `Bearer ${token}` } },
        );
        status = (await res.json()).status;
        return ['open', 'processing'].includes(status);
      },
      { timeout: 180_000, intervals: [1_000] },
    )
    .toBe(false);
  return status;
}

async function openSovereignPage(
  page: Page,
  request: APIRequestContext,
  backend: string,
  token: string,
  name: string,
) {
  await expect
    .poll(
      async () =>
        (
          await request.get(
            `${backend}/api/catalog/entities/by-name/sovereign/default/${name}`,
            { headers: { Authorization: `Bearer ${token}` } },
          )
        ).status(),
      { timeout: 120_000, intervals: [1_000] },
    )
    .toBe(200);
  await page.goto(`/catalog/default/sovereign/${name}`);
}

test.describe('Phase 1: a Sovereign is ready when its platform runs', () => {
  test.setTimeout(360_000);

  test('the Sovereign page follows a Sovereign from bootstrapping to ready, and names the component a broken one is blocked at', async ({
    page,
    request,
  }) => {
    await signInAsAdmin(page);
    const backend = await backendUrl(page);
    const token = await guestToken(request, backend);

    // Flux's CRDs show up 20 s after the cluster: long enough to see the Sovereign bootstrapping.
    await injectFaults(request, nameOf(healthy), { fluxCrdsAfterMs: 20_000 });
    await injectFaults(request, nameOf(broken), {
      missingCrd: ['bp-cert-manager'],
    });
    const healthyTask = await startProvisioning(
      request,
      backend,
      token,
      healthy,
    );
    const brokenTask = await startProvisioning(request, backend, token, broken);

    await openSovereignPage(page, request, backend, token, nameOf(healthy));
    const phase = page.getByTestId('platform-phase');
    await expect(phase).toHaveAttribute('data-phase', 'bootstrapping', {
      timeout: 150_000,
    });
    // The page was opened before the Blueprints were resolved; the catalog entity has them once the
    // Sovereign is recorded, which a reload shows.
    await expect
      .poll(
        async () => {
          await page.reload();
          return page
            .getByTestId('blueprint-graph')
            .waitFor({ state: 'visible', timeout: 5_000 })
            .then(
              () => true,
              () => false,
            );
        },
        { timeout: 60_000, intervals: [1_000] },
      )
      .toBe(true);
    await expect(phase).toHaveAttribute('data-phase', 'ready', {
      timeout: 150_000,
    });
    await expect(page.getByTestId('platform-summary')).toHaveText(
      /^(\d+) of \1 platform components ready$/,
    );
    await expect(
      page.getByTestId('blueprint-node-bp-cert-manager'),
    ).toHaveAttribute('data-status', 'ready');

    // The guest is in platform-team, which owns the Sovereign: the kubeconfig downloads.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('kubeconfig-download').click(),
    ]);
    expect(download.suggestedFilename()).toBe(
      `${nameOf(healthy)}.kubeconfig.yaml`,
    );

    await openSovereignPage(page, request, backend, token, nameOf(broken));
    const blocked = page.getByTestId('platform-first-blocked');
    await expect(blocked).toContainText('Blocked at bp-cert-manager', {
      timeout: 150_000,
    });
    await expect(blocked).toContainText('CRDMissing');
    // Decided: reload so the graph draws from the recorded Blueprints.
    await page.reload();
    await expect(page.getByTestId('blueprint-graph')).toBeVisible();
    await expect(blocked).toContainText('Blocked at bp-cert-manager');
    await expect(page.getByTestId('platform-phase')).toHaveAttribute(
      'data-phase',
      'degraded',
    );
    await expect(
      page.getByTestId('blueprint-node-bp-cert-manager'),
    ).toHaveAttribute('data-status', 'failed');
    await expect(page.getByTestId('blueprint-node-bp-flux')).toHaveAttribute(
      'data-status',
      'blocked',
    );
    await expect(
      page
        .getByTestId('blueprint-node-bp-flux')
        .getByText('waits on bp-cert-manager'),
    ).toHaveCount(1);

    expect(await waitForTask(request, backend, token, healthyTask)).toBe(
      'completed',
    );
    // Degraded is a decision, not a failure of the run: the task completes and says where it is blocked.
    expect(await waitForTask(request, backend, token, brokenTask)).toBe(
      'completed',
    );
  });
});
