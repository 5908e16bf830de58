import { test, expect, APIRequestContext, Page } from '@playwright/test';
import { backendUrl, guestToken, signIn as signInAs } from './support/portal';
import { screen } from './support/screens';

/**
 * Vouchers end to end against a running portal (docs/vouchers.md): a Sovereign is registered through the Catalyst
 * registry API, its admin (the guest, a member of the owning platform-team) issues a voucher on /vouchers, the
 * tenant opens the redeem link, sees the preview, and redeems it through the "Redeem a voucher" template; the
 * new Organization then shows up in the catalog with its credit and first App. The template never asks for the
 * code again, offers as first App exactly the installable tenant Apps the Sovereign runs, and shows the Sovereign
 * and the App by name (never an entity ref). A screenshot of every page lands in test-results/screens/.
 */

const run = Date.now().toString(36);
const fqdn = `vouchers-${run}.omani.works`;
// sovereignEntityName (catalyst-common) for a short FQDN: hyphens doubled, dots as hyphens.
const sovereignName = fqdn.replace(/-/g, '--').replace(/\./g, '-');
const sovereignRef = `sovereign:default/${sovereignName}`;
const organizationName = `River Bakery ${run}`;
const organizationSlug = `bakery-${run}`;

/** The code as the portal may show it after issue: every letter and digit but the last four hidden. */
function masked(code: string): string {
  let visible = 4;
  return [...code]
    .reverse()
    .map(c => {
      if (c === '-') return c;
      visible -= 1;
      return visible >= 0 ? c : '•';
    })
    .reverse()
    .join('');
}

async function signIn(page: Page) {
  await page.goto('/');
  await signInAs(page, 'guest');
  await expect(
    page.getByRole('navigation', { name: 'sidebar nav' }),
  ).toBeAttached({ timeout: 60_000 });
}

/** Selects this run's Sovereign on the voucher page (the page opens on one of the user's own Sovereigns). */
async function showSovereign(page: Page) {
  // The picker only exists once the administered Sovereigns are loaded (and there is more than one).
  await expect(page.getByText(/^Vouchers of /)).toBeVisible({
    timeout: 60_000,
  });
  const sovereignPicker = page.getByRole('button', { name: 'Sovereign' });
  if (
    !(await page.getByText(`Vouchers of ${fqdn}`).isVisible()) &&
    (await sovereignPicker.isVisible())
  ) {
    await sovereignPicker.click();
    await page.getByRole('option', { name: fqdn }).click();
  }
  // Named by its FQDN, and remembered in the address bar.
  await expect(page.getByText(`Vouchers of ${fqdn}`)).toBeVisible();
  await expect(page).toHaveURL(
    new RegExp(`[?&]sovereign=${encodeURIComponent(sovereignRef)}`),
  );
}

type BlueprintEntity = {
  metadata: { name: string; title?: string };
  spec: { installable?: boolean; alwaysIncluded?: boolean; version?: string };
};

/** Blueprints of the catalog: tenant Apps (installable, not always included) and platform ones. */
async function blueprints(
  request: APIRequestContext,
  backend: string,
  token: string,
) {
  const res = await request.get(
    `${backend}/api/catalog/entities/by-query?filter=kind=blueprint&limit=500`,
    { headers: { Authorization: `Bearer ${token}` } },
  );
  expect(res.ok(), await res.text()).toBe(true);
  const items = (await res.json()).items as BlueprintEntity[];
  const apps = items
    .filter(b => b.spec.installable && !b.spec.alwaysIncluded && b.spec.version)
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  const platform = items.filter(
    b => b.spec.installable && b.spec.alwaysIncluded && b.spec.version,
  );
  expect(apps.length).toBeGreaterThanOrEqual(2);
  expect(platform.length).toBeGreaterThanOrEqual(1);
  return { apps, platform };
}

const title = (b: BlueprintEntity) => b.metadata.title ?? b.metadata.name;

async function registerSovereign(
  request: APIRequestContext,
  backend: string,
  token: string,
  installed: BlueprintEntity[],
) {
  const res = await request.put(
    `${backend}/api/catalyst/v1/sovereigns/${sovereignName}`,
    {
      headers: { Authorization: `Bearer ${token}` },
      data: {
        fqdn,
        organization: 'Vouchers E2E',
        owner: 'group:default/platform-team',
        // Only a ready Sovereign takes vouchers.
        phase: 'ready',
        adminEmail: 'platform@omani.works',
        topology: {
          template: 'solo',
          airgap: false,
          haEnabled: false,
          regions: [
            {
              provider: 'hetzner',
              cloudRegion: 'fsn1',
              controlPlaneSize: 'cpx42',
              workerSize: 'cpx32',
              workerCount: 1,
            },
          ],
        },
        domain: {
          mode: 'pool',
          poolDomain: 'omani.works',
          subdomain: fqdn.split('.')[0],
        },
        components: ['cilium', 'flux'],
        // What it runs: the first App is offered from these only.
        blueprints: installed.map(b => `${b.metadata.name}@${b.spec.version}`),
        notInstallable: [],
        dnsRecords: [],
      },
    },
  );
  expect(res.status(), await res.text()).toBeLessThan(300);
  // The voucher page names Sovereigns by the FQDN their catalog entity carries: wait until the catalog has it
  // (until then the page can only name it by its entity name).
  await expect
    .poll(
      async () => {
        const entity = await request.get(
          `${backend}/api/catalog/entities/by-name/sovereign/default/${sovereignName}`,
          { headers: { Authorization: `Bearer ${token}` } },
        );
        return entity.ok() ? (await entity.json()).spec?.fqdn : undefined;
      },
      { timeout: 120_000, intervals: [500, 1000, 2000] },
    )
    .toBe(fqdn);
}

test.describe('Vouchers', () => {
  test.setTimeout(300_000);

  test.afterAll(async ({ request }) => {
    // The Sovereign only exists for this run; its vouchers stay in the audit trail.
    const backend =
      process.env.PLAYWRIGHT_BACKEND_URL ?? 'http://localhost:7007';
    const token = await guestToken(request, backend).catch(() => undefined);
    if (!token) return;
    await request.delete(
      `${backend}/api/catalyst/v1/sovereigns/${sovereignName}`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
  });

  test('an admin issues a voucher and a tenant redeems it into a new Organization', async ({
    page,
    request,
    context,
  }, testInfo) => {
    await signIn(page);
    const backend = await backendUrl(page);
    const token = await guestToken(request, backend);
    const { apps, platform } = await blueprints(request, backend, token);
    // It runs one tenant App and one platform Blueprint; another tenant App is not installed on it.
    const [installedApp, notInstalledApp] = apps;
    await registerSovereign(request, backend, token, [
      installedApp,
      platform[0],
    ]);

    // Admin: the sidebar leads to the voucher page, which lists the Sovereigns the guest administers.
    await page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Vouchers', exact: true })
      .click();
    await expect(page).toHaveURL(/\/vouchers(\?|$)/);
    await showSovereign(page);
    await expect(page.getByText('No vouchers yet')).toBeVisible();
    // The choice survives a reload (it is in the address bar).
    await page.reload();
    await expect(page.getByText(`Vouchers of ${fqdn}`)).toBeVisible({
      timeout: 60_000,
    });
    await screen(page, testInfo, 'vouchers-empty');

    // Issue one voucher; a bad credit is refused next to its field first. The currency is the configured one.
    await page.getByRole('button', { name: 'Issue vouchers' }).first().click();
    const issue = page.getByRole('dialog');
    await expect(issue.getByLabel(/Credit/)).toHaveValue('100');
    await expect(issue.getByLabel(/Currency/)).toHaveValue('EUR');
    await issue.getByLabel(/Credit/).fill('0');
    await issue.getByRole('button', { name: 'Issue' }).click();
    await expect(
      issue.getByText('Enter a credit greater than 0'),
    ).toBeVisible();
    await issue.getByLabel(/Credit/).fill('100');
    await issue.getByLabel('Description').fill(`E2E launch ${run}`);
    await screen(page, testInfo, 'vouchers-issue-form');
    await issue.getByRole('button', { name: 'Issue' }).click();

    const issued = page.getByRole('dialog', { name: 'Voucher issued' });
    await expect(issued.getByText(/won't be shown again/)).toBeVisible();
    const code = (
      await issued.getByTestId('issued-voucher-code').textContent()
    )?.trim();
    expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}-[0-9A-Z]$/);
    // Each copy icon says what it copies, as its name and as a tooltip on hover.
    const copyCode = issued.getByRole('button', {
      name: `Copy the code ${code}`,
    });
    const copyLink = issued.getByRole('button', {
      name: `Copy the redeem link of ${code}`,
    });
    await expect(copyCode).toBeVisible();
    await expect(copyLink).toBeVisible();
    await copyLink.hover();
    await expect(
      page.getByRole('tooltip', { name: `Copy the redeem link of ${code}` }),
    ).toBeVisible();
    await screen(page, testInfo, 'vouchers-issued');
    await issued
      .getByRole('button', { name: 'I have copied the codes' })
      .click();

    // The table shows the voucher with its code masked, never in full.
    const row = page.getByRole('row', {
      name: new RegExp(`E2E launch ${run}`),
    });
    await expect(row.getByText('Active')).toBeVisible();
    await expect(row.getByText('0/1')).toBeVisible();
    // The table shows only the visible tail of the masked code (its last four letters and digits).
    await expect(
      row.getByText(`…${masked(code!).replace(/^[^A-Za-z0-9]*/, '')}`, {
        exact: true,
      }),
    ).toBeVisible();
    await expect(page.getByText(code!)).toHaveCount(0);
    await expect(row.getByRole('button', { name: /Revoke/ })).toBeVisible();

    // Tenant: a fresh tab opens the redeem link, in lower case as a person might type it.
    const tenant = await context.newPage();
    // The link carries the code in its fragment, which the browser never sends to the portal's server.
    await tenant.goto(
      `/vouchers/redeem?sovereign=${encodeURIComponent(
        sovereignRef,
      )}#code=${encodeURIComponent(code!.toLowerCase())}`,
    );
    const worth = /This voucher is worth (€|EUR)\s?100\.00/;
    await expect(tenant.getByText(worth)).toBeVisible({ timeout: 60_000 });
    // The code from the link leaves the address bar (and the history entry) once the page has read it.
    await expect(tenant).not.toHaveURL(/code=/);

    // A typo in the check character is caught before any lookup.
    const input = tenant.getByLabel('Voucher code');
    const last = code!.slice(-1);
    const typo = `${code!.slice(0, -1)}${last === 'A' ? 'B' : 'A'}`;
    await input.fill(typo);
    await expect(tenant.getByText('This code is not valid')).toBeVisible();
    await input.fill(code!);
    await expect(tenant.getByText(worth)).toBeVisible();
    await screen(tenant, testInfo, 'redeem-checked');

    // Redeem through the template: the checked code is not asked for again, the Sovereign is named by its FQDN.
    await tenant.getByRole('button', { name: 'Redeem' }).click();
    await expect(tenant).toHaveURL(
      /\/create\/templates\/default\/redeem-voucher/,
    );
    // The template's URL carries the Sovereign, never the code: the code goes to the task as a secret.
    expect(tenant.url().toUpperCase()).not.toContain(code!.toUpperCase());
    await expect(tenant.getByTestId('voucher-code-checked')).toContainText(
      'was checked on the redeem page',
      { timeout: 60_000 },
    );
    await expect(tenant.getByLabel('Voucher code')).toHaveCount(0);
    const sovereignSelect = tenant.getByRole('combobox', { name: /Sovereign/ });
    await expect(sovereignSelect.locator('option:checked')).toHaveText(fqdn, {
      timeout: 60_000,
    });
    await expect(tenant.getByText(/sovereign:default\//)).toHaveCount(0);
    await screen(tenant, testInfo, 'redeem-template-voucher');

    // The Organization page of the form: the first App is one of the tenant Apps the Sovereign runs, only.
    await tenant.getByRole('button', { name: 'Next' }).click();
    await tenant
      .getByLabel(/Organization name/i)
      .first()
      .fill(organizationName);
    await tenant.getByLabel(/slug/i).first().fill(organizationSlug);
    const firstApp = tenant.getByRole('combobox', { name: /First App/ });
    await expect(firstApp.locator('option')).toHaveText(
      ['No App for now', title(installedApp)],
      { timeout: 60_000 },
    );
    expect(await firstApp.locator('option').allTextContents()).not.toContain(
      title(notInstalledApp),
    );
    await firstApp.selectOption({ label: title(installedApp) });
    await screen(tenant, testInfo, 'redeem-template-organization');

    // One review that names things as a person does: the FQDN and the App, no entity refs.
    await tenant.getByRole('button', { name: 'Review' }).click();
    const review = tenant.getByRole('table').last();
    await expect(review).toContainText(fqdn);
    await expect(review).toContainText(title(installedApp));
    await expect(review).toContainText(organizationSlug);
    await expect(
      tenant.getByText(/sovereign:default\/|blueprint:default\//),
    ).toHaveCount(0);
    await screen(tenant, testInfo, 'redeem-template-review');
    await tenant.getByRole('button', { name: 'Redeem' }).click();
    await expect(tenant).toHaveURL(/\/create\/tasks\//, { timeout: 60_000 });
    await expect(
      tenant.getByText(/Finished step Redeem the voucher/),
    ).toBeVisible({ timeout: 120_000 });
    await screen(tenant, testInfo, 'redeem-task');

    // The Organization appears in the catalog as a Group, with its credit and its first App.
    let groupPath = '';
    await expect
      .poll(
        async () => {
          const res = await request.get(
            `${backend}/api/catalog/entities/by-query?filter=kind=group,metadata.name=${organizationSlug}`,
            { headers: { Authorization: `Bearer ${token}` } },
          );
          const items = (await res.json()).items ?? [];
          if (items.length === 1) {
            groupPath = `/catalog/${items[0].metadata.namespace}/group/${organizationSlug}`;
          }
          return items.length;
        },
        { timeout: 120_000, intervals: [1_000, 2_000, 5_000] },
      )
      .toBe(1);
    await tenant.goto(groupPath);
    await expect(
      tenant.getByText(organizationName, { exact: false }).first(),
    ).toBeVisible({ timeout: 60_000 });
    await expect(tenant.getByTestId('organization-credit')).toHaveText(
      '100 EUR',
    );
    const appLink = tenant
      .getByTestId('organization-first-app')
      .getByRole('link');
    await expect(appLink).toContainText(title(installedApp));
    await tenant.getByTestId('organization-credit').scrollIntoViewIfNeeded();
    await screen(tenant, testInfo, 'organization');
    await appLink.click();
    await expect(tenant).toHaveURL(
      new RegExp(`/catalog/default/blueprint/${installedApp.metadata.name}$`),
    );

    // Back on the admin page the voucher is used up, and a used-up code has nothing to revoke.
    await page.reload();
    await showSovereign(page);
    await expect(row.getByText('1/1')).toBeVisible({ timeout: 60_000 });
    await expect(row.getByText('Used up')).toBeVisible();
    await expect(row.getByRole('button', { name: /Revoke/ })).toHaveCount(0);
    // Every column fits a 1280 px window: nothing is clipped or scrolled out of sight.
    await expect(
      page.getByRole('columnheader', { name: 'Issued' }),
    ).toBeInViewport({ ratio: 1 });
    const overflow = await page
      .getByRole('table')
      .first()
      .evaluate(table => table.scrollWidth - table.parentElement!.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screen(page, testInfo, 'vouchers-used-up');
  });
});
