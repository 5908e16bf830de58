import { test, expect, APIRequestContext, Page } from '@playwright/test';
import { backendUrl, guestToken, signIn as signInAs } from './support/portal';

/**
 * The Sovereign and Blueprint entity pages against a running portal: a Sovereign is registered through the
 * Catalyst registry API, then both pages must show their cards and the Sovereign's Blueprint graph.
 */

const fqdn = `e2e-${Date.now().toString(36)}.pages.example.org`;
// sovereignEntityName (catalyst-common) for a short FQDN: hyphens doubled, dots as hyphens.
const sovereignName = fqdn.replace(/-/g, '--').replace(/\./g, '-');

async function signIn(page: Page) {
  await page.goto('/');
  await signInAs(page, 'guest');
  await expect(
    page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();
}

async function waitForEntity(
  request: APIRequestContext,
  backend: string,
  token: string,
  ref: string,
) {
  await expect
    .poll(
      async () =>
        (
          await request.get(`${backend}/api/catalog/entities/by-name/${ref}`, {
            headers: { Authorization: `Bearer ${token}` },
          })
        ).status(),
      { timeout: 90_000, intervals: [1_000, 2_000, 5_000] },
    )
    .toBe(200);
}

test.describe('Catalyst entity pages', () => {
  test.setTimeout(180_000);

  test('a Blueprint page shows its chart and dependencies', async ({
    page,
    request,
  }) => {
    await signIn(page);
    const backend = await backendUrl(page);
    const token = await guestToken(request, backend);
    await waitForEntity(
      request,
      backend,
      token,
      'blueprint/default/bp-grafana',
    );

    await page.goto('/catalog/default/blueprint/bp-grafana');
    await expect(page.getByText('OCI reference')).toBeVisible();
    await expect(
      page.getByText(/oci:\/\/ghcr\.io\/openova-io\/bp-grafana/),
    ).toBeVisible();
    const dependsOn = page.getByRole('list', { name: 'Depends on' });
    await expect(dependsOn.getByRole('link').first()).toBeVisible();
    // No broken images anywhere on the page: every <img> decoded.
    const broken = await page.evaluate(() =>
      Array.from(document.images)
        .filter(img => img.complete && img.naturalWidth === 0)
        .map(img => img.alt),
    );
    expect(broken).toEqual([]);
  });

  test('a Sovereign page draws its Blueprint graph', async ({
    page,
    request,
  }) => {
    await signIn(page);
    const backend = await backendUrl(page);
    const token = await guestToken(request, backend);

    const put = await request.put(
      `${backend}/api/catalyst/v1/sovereigns/${sovereignName}`,
      {
        headers: { Authorization: `Bearer ${token}` },
        data: {
          fqdn,
          organization: 'E2E',
          owner: 'group:default/guests',
          adminEmail: 'ops@pages.example.org',
          topology: {
            template: 'solo',
            airgap: false,
            haEnabled: false,
            regions: [
              {
                provider: 'hetzner',
                cloudRegion: 'fsn1',
                controlPlaneSize: 'cpx32',
                workerSize: 'cx33',
                workerCount: 1,
              },
            ],
          },
          domain: {
            mode: 'pool',
            poolDomain: 'pages.example.org',
            subdomain: fqdn.split('.')[0],
          },
          components: ['grafana', 'keycloak', 'cnpg'],
          blueprints: [
            'bp-grafana@1.0.0',
            'bp-keycloak@1.0.0',
            'bp-cnpg@1.0.0',
          ],
          notInstallable: [],
          dnsRecords: [
            { name: fqdn, type: 'A', ttl: 300, content: '203.0.113.7' },
          ],
          phase: 'provisioning',
        },
      },
    );
    expect(put.status(), await put.text()).toBeLessThan(300);
    await waitForEntity(
      request,
      backend,
      token,
      `sovereign/default/${sovereignName}`,
    );

    await page.goto(`/catalog/default/sovereign/${sovereignName}`);
    await expect(page.getByText(`https://console.${fqdn}`)).toBeVisible();
    await expect(page.getByText('provisioning').first()).toBeVisible();
    await expect(page.getByText('203.0.113.7')).toBeVisible();

    const graph = page.getByTestId('blueprint-graph');
    await expect(graph).toBeVisible();
    await expect(graph.locator('.react-flow__node')).toHaveCount(3);
    await expect(
      graph.locator(
        '.react-flow__node[data-id="blueprint:default/bp-grafana"]',
      ),
    ).toBeVisible();
    // grafana needs keycloak and cnpg; keycloak needs cnpg (when the catalog has their metadata).
    await expect(graph.locator('.react-flow__edge').first()).toBeVisible();

    await page.getByRole('link', { name: 'Events', exact: true }).click();
    await expect(
      page.getByText(/Events \(\d+\)|keeps no event history/),
    ).toBeVisible();

    // Leave the registry as it was: the Sovereign existed only for this test.
    const removed = await request.delete(
      `${backend}/api/catalyst/v1/sovereigns/${sovereignName}`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    expect(removed.status(), await removed.text()).toBe(204);
  });
});
