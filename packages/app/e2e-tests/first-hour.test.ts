import { test, expect, APIRequestContext, Page } from '@playwright/test';
import { execSync } from 'node:child_process';
import { backendUrl, guestToken, signIn } from './support/portal';
import { screen } from './support/screens';

/**
 * A platform team's first hour, as a person sees it: Home, the catalog, a Sovereign's page (GitOps card with a
 * working git command), the decommission form that checks the typed FQDN and names what it affects, and the
 * decommissioned Sovereign, which takes no more money. A screenshot of every page lands in
 * test-results/screens/.
 */

const run = Date.now().toString(36);
const subdomain = `hour${run}`;
const fqdn = `${subdomain}.omani.works`;
const name = fqdn.replace(/\./g, '-');
const hetznerToken = 'e2e0'.repeat(16);

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1440, height: 900 } });

async function signInAsAdmin(page: Page) {
  await page.goto('/');
  await signIn(page, 'guest');
  await expect(
    page.getByRole('navigation', { name: 'sidebar nav' }),
  ).toBeAttached({ timeout: 60_000 });
}

async function provision(
  request: APIRequestContext,
  backend: string,
  token: string,
  components: string[],
) {
  const headers = { Authorization: `Bearer ${token}` };
  const created = await request.post(`${backend}/api/scaffolder/v2/tasks`, {
    headers,
    data: {
      templateRef: 'template:default/provision-sovereign',
      values: {
        orgName: 'First Hour E2E',
        orgIndustry: 'Technology',
        orgSize: 'Under 100',
        orgHeadquarters: 'Berlin, Germany',
        orgCompliance: [],
        topology: { template: 'solo', airgap: false, haEnabled: false },
        regions: [
          {
            provider: 'hetzner',
            cloudRegion: 'fsn1',
            controlPlaneSize: 'cpx52',
            workerSize: 'cpx32',
            workerCount: 1,
          },
        ],
        providerCredentials: { hetzner: 'validated' },
        hetznerProjectId: 'proj_first_hour',
        sshPublicKey:
          'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl catalyst@first-hour',
        components,
        domain: { mode: 'pool', poolDomain: 'omani.works', subdomain },
        orgEmail: 'platform@example.com',
      },
      secrets: { hetznerToken },
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { id } = await created.json();
  let status = 'open';
  await expect
    .poll(
      async () => {
        const res = await request.get(
          `${backend}/api/scaffolder/v2/tasks/${id}`,
          { headers },
        );
        status = (await res.json()).status;
        return ['open', 'processing'].includes(status);
      },
      { timeout: 120_000, intervals: [500] },
    )
    .toBe(false);
  const events = await (
    await request.get(`${backend}/api/scaffolder/v2/tasks/${id}/events`, {
      headers,
    })
  ).json();
  return {
    id: id as string,
    status,
    log: events.map((e: any) => e.body.message ?? '').join('\n'),
  };
}

/** What no task log or message shown to a person may hold: stack frames, server paths, the wrong tool's name. */
function expectCleanLog(log: string) {
  expect(log).not.toMatch(/\n\s+at \S+ \(|\bat async\b|node_modules/);
  // Absolute paths of the server (work directories, the data folder, the checkout).
  expect(log).not.toMatch(
    /(^|[\s'"(=])(file:\/\/)?\/(tmp|work|home|root|var|srv|opt|usr|data)\//m,
  );
  expect(log).not.toContain(process.cwd());
  expect(log).not.toMatch(/terraformrc|CLI configuration/i);
}

/**
 * Console warnings a person's browser would print on the page: React's duplicate-key and React Flow's
 * container-size warnings must not be among them.
 */
function watchConsole(page: Page) {
  const messages: string[] = [];
  page.on('console', message => {
    if (['warning', 'error'].includes(message.type())) {
      messages.push(message.text());
    }
  });
  return messages;
}

const FORBIDDEN_CONSOLE =
  /Encountered two children with the same key|unique "key" prop|parent container needs a width and a height/;

test('a selection that needs a component without a Blueprint is refused, naming it', async ({
  page,
  request,
}) => {
  await signInAsAdmin(page);
  const backend = await backendUrl(page);
  const token = await guestToken(request, backend);
  const task = await provision(request, backend, token, ['librechat']);
  expect(task.status).toBe('failed');
  expect(task.log).toContain(
    'LibreChat needs FerretDB, which is not installable yet (no published Blueprint)',
  );
  // The failure reads as a message: no stack trace, no server path.
  expectCleanLog(task.log);
});

test('Home, catalog, a ready Sovereign and its decommission tell the truth', async ({
  page,
  request,
}, testInfo) => {
  test.setTimeout(300_000);
  const consoleMessages = watchConsole(page);
  // First paint of the embedded default, measured by the browser itself (reported, never asserted on).
  await page.goto('/');
  const paint = await page.evaluate(async () => {
    const entry = () =>
      performance.getEntriesByName('first-contentful-paint')[0]?.startTime;
    for (let i = 0; i < 50 && entry() === undefined; i++) {
      await new Promise(resolve => setTimeout(resolve, 100));
    }
    return entry() ?? -1;
  });
  testInfo.annotations.push({
    type: 'first-contentful-paint',
    description: `${Math.round(paint)} ms`,
  });
  // eslint-disable-next-line no-console
  console.log(`First contentful paint of the portal: ${Math.round(paint)} ms`);
  await signIn(page, 'guest');
  const backend = await backendUrl(page);
  const token = await guestToken(request, backend);
  const task = await provision(request, backend, token, ['grafana']);
  expect(task.status, task.log).toBe('completed');
  // The log names the binary it runs and holds no stack frame or server path.
  expect(task.log).toMatch(/Running (terraform|tofu) apply/);
  expect(task.log).not.toContain('OpenTofu');
  expectCleanLog(task.log);

  // The task page: the Flux overlay is named by repository, path and commit with a command that works; no link
  // a browser cannot open.
  await page.goto(`/create/tasks/${task.id}`);
  await expect(
    page.getByText(/Repository .*gitops\.git, branch main/),
  ).toBeVisible({
    timeout: 60_000,
  });
  await expect(page.locator('a[href^="file:"]')).toHaveCount(0);
  const overlayText = (await page
    .getByText(/To look at it:/)
    .first()
    .textContent())!;
  const gitCommand =
    /`?(git --git-dir=\S+ show --stat [0-9a-f]{40} -- clusters\/\S+?)`?$/m.exec(
      overlayText.replace(/\.\s*$/, ''),
    )?.[1];
  expect(gitCommand, overlayText).toBeTruthy();
  expect(execSync(gitCommand!, { encoding: 'utf8' })).toContain(
    `Add the overlay of Sovereign ${fqdn}`,
  );
  await screen(page, testInfo, 'provision-task');

  // Home: Catalyst's own start page.
  await page.goto('/');
  await expect(
    page.locator('a[href="/create/templates/default/provision-sovereign"]'),
  ).toContainText(/Provision a Sovereign/i, { timeout: 60_000 });
  const sovereigns = page.getByRole('table').first();
  await expect(page.getByText(/(Your|All) Sovereigns/)).toBeVisible();
  await expect(sovereigns.getByRole('link', { name: fqdn })).toBeVisible({
    timeout: 60_000,
  });
  await expect(page.getByText('Your recent tasks')).toBeVisible();
  await expect(page.getByText('Add widget')).toHaveCount(0);
  await screen(page, testInfo, 'home');

  // Catalog: opens on Sovereigns, with a phase column.
  await page.goto('/catalog');
  await expect(page.getByText(/^All Sovereigns \(\d+\)$/)).toBeVisible({
    timeout: 60_000,
  });
  await expect(page.getByRole('columnheader', { name: 'Phase' })).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: fqdn });
  await expect(row).toContainText('ready');
  await screen(page, testInfo, 'catalog-sovereigns');
  await page.goto('/catalog?filters%5Bkind%5D=blueprint');
  const axon = page.getByRole('row').filter({ hasText: 'Axon' });
  await expect(axon).toContainText('not yet', { timeout: 60_000 });
  await screen(page, testInfo, 'catalog-blueprints');

  // The Sovereign page: live facts, and a git command that shows the overlay commit of a local repository.
  await page.goto(`/catalog/default/sovereign/${name}`);
  await expect(
    page.getByRole('link', { name: `https://console.${fqdn}` }),
  ).toBeVisible({ timeout: 60_000 });
  const command = page.getByTestId('gitops-command');
  await expect(command).toContainText('show --stat');
  await expect(
    page.getByRole('button', { name: 'Copy the git command' }),
  ).toBeVisible();
  const shown = execSync((await command.textContent())!, {
    encoding: 'utf8',
  });
  expect(shown).toContain(`Add the overlay of Sovereign ${fqdn}`);
  await expect(page.getByText('Installed Blueprints')).toBeVisible();
  // The graph is readable as it opens: a Blueprint node is drawn at least 44 px tall (56 px at full size).
  const node = page
    .getByTestId('blueprint-graph')
    .locator('.react-flow__node')
    .first();
  await expect(node).toBeVisible({ timeout: 30_000 });
  expect((await node.boundingBox())!.height).toBeGreaterThanOrEqual(44);
  // No docs tab that only says "Missing annotation".
  await expect(page.getByRole('tab', { name: /TechDocs|Docs/ })).toHaveCount(0);
  await expect(page.getByText('Missing annotation')).toHaveCount(0);
  // Nor a sidebar entry for a docs index that could only be empty (the sidebar's own entries are there).
  const sidebar = page.getByRole('navigation');
  await expect(
    sidebar.getByRole('link', { name: 'Vouchers', exact: true }),
  ).toBeVisible();
  await expect(
    sidebar.getByRole('link', { name: 'Docs', exact: true }),
  ).toHaveCount(0);
  await screen(page, testInfo, 'sovereign-ready');

  // A voucher for it, so the decommission has something to revoke.
  const issued = await request.post(
    `${backend}/api/catalyst/v1/sovereigns/${name}/vouchers`,
    {
      headers: { Authorization: `Bearer ${token}` },
      data: { credit: { amount: 25, currency: 'EUR' } },
    },
  );
  expect(issued.status(), await issued.text()).toBe(201);
  const code = (await issued.json()).vouchers[0].code as string;

  // Decommission: the form names the impact and refuses a wrong FQDN before anything runs.
  // Opened from a link that names the Sovereign, as a catalog page would.
  await page.goto(
    `/create/templates/default/decommission-sovereign?formData=${encodeURIComponent(
      JSON.stringify({ sovereign: `sovereign:default/${name}` }),
    )}`,
  );
  await expect(page.getByTestId('decommission-impact')).toContainText(
    'revokes 1 open voucher',
    { timeout: 30_000 },
  );
  const confirm = page.getByLabel("Type the Sovereign's FQDN to confirm");
  await confirm.fill(`x${fqdn}`);
  await expect(
    page.getByText(`“x${fqdn}” is not ${fqdn}`).first(),
  ).toBeVisible();
  await page.getByLabel(/Hetzner API token/).fill(hetznerToken);
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByRole('button', { name: 'Decommission' })).toHaveCount(
    0,
  );
  await screen(page, testInfo, 'decommission-refused');
  await confirm.fill(fqdn);
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Decommission' }).click();
  await expect(page).toHaveURL(/\/create\/tasks\/[0-9a-f-]+/, {
    timeout: 60_000,
  });
  await expect(
    page.getByText('Finished step Mark the Sovereign decommissioned'),
  ).toBeVisible({ timeout: 180_000 });
  await screen(page, testInfo, 'decommission-task');

  // Once decommissioned, the voucher is revoked and no money or tenant is taken.
  const redeemed = await request.post(
    `${backend}/api/catalyst/v1/vouchers/redeem`,
    {
      headers: { Authorization: `Bearer ${token}` },
      data: {
        code,
        sovereign: `sovereign:default/${name}`,
        organization: { name: 'Too Late', slug: `late-${run}` },
      },
    },
  );
  expect(redeemed.status()).toBe(409);
  // A refusal in the Backstage error body: the reason next to the sentence a person reads.
  expect((await redeemed.json()).error).toMatchObject({
    name: 'VoucherRejectedError',
    reason: 'sovereign-not-ready',
    statusCode: 409,
    message: expect.stringContaining(
      'vouchers are redeemed only for a ready Sovereign',
    ),
  });
  const again = await request.post(
    `${backend}/api/catalyst/v1/sovereigns/${name}/vouchers`,
    {
      headers: { Authorization: `Bearer ${token}` },
      data: { credit: { amount: 25, currency: 'EUR' } },
    },
  );
  expect(again.status()).toBe(409);

  // Its page no longer shows it as live.
  await expect
    .poll(
      async () => {
        await page.goto(`/catalog/default/sovereign/${name}`);
        return page
          .getByText(/This Sovereign was decommissioned/)
          .waitFor({ timeout: 15_000 })
          .then(
            () => true,
            () => false,
          );
      },
      { timeout: 90_000 },
    )
    .toBe(true);
  await expect(page.getByText('— (removed)')).toBeVisible();
  await expect(
    page.getByText('No running cost: its machines were destroyed.'),
  ).toBeVisible();
  await expect(page.getByText('Blueprints it ran (removed)')).toBeVisible();
  await expect(
    page.getByRole('link', { name: `https://console.${fqdn}` }),
  ).toHaveCount(0);
  await screen(page, testInfo, 'sovereign-decommissioned');

  // The search page answers every type it offers (no 500 for a Documentation index that does not exist).
  const failures: string[] = [];
  page.on('response', response => {
    if (response.url().includes('/api/search/') && response.status() >= 500) {
      failures.push(`${response.status()} ${response.url()}`);
    }
  });
  await page.goto('/search?query=grafana');
  await expect(page.getByText('Software Catalog').first()).toBeVisible({
    timeout: 60_000,
  });
  await page.waitForLoadState('networkidle');
  expect(failures).toEqual([]);
  await expect(page.getByText('Documentation')).toHaveCount(0);
  await screen(page, testInfo, 'search');

  expect(
    consoleMessages.filter(message => FORBIDDEN_CONSOLE.test(message)),
  ).toEqual([]);
});
