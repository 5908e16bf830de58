import { test, expect, APIRequestContext, Page } from '@playwright/test';
import { backendUrl, guestToken, signIn as signInAs } from './support/portal';

/**
 * Vouchers end to end against a running portal (vouchers.md §7): a Sovereign is registered through the Catalyst
 * registry API, its admin (the guest, a member of the owning platform-team) issues a voucher on /vouchers, the
 * tenant opens the redeem link, sees the preview, and redeems it through the "Redeem a voucher" template; the
 * new Organization then shows up in the catalog.
 */

const run = Date.now().toString(36);
const fqdn = `vouchers-${run}.omani.works`;
// sovereignEntityName (catalyst-common) for a short FQDN: hyphens doubled, dots as hyphens.
const sovereignName = fqdn.replace(/-/g, '--').replace(/\./g, '-');
const sovereignRef = `sovereign:default/${sovereignName}`;
const organizationName = `Muscat Bakery ${run}`;
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

/** Selects this run's Sovereign on the voucher page (the page shows the first one until another is picked). */
async function showSovereign(page: Page) {
  // The picker only exists once the administered Sovereigns are loaded (and there is more than one).
  await expect(page.getByText(/^Vouchers of /)).toBeVisible({
    timeout: 60_000,
  });
  const sovereignPicker = page.getByRole('button', { name: 'Sovereign' });
  if (await sovereignPicker.isVisible()) {
    await sovereignPicker.click();
    await page.getByRole('option', { name: sovereignName }).click();
  }
  await expect(page.getByText(`Vouchers of ${sovereignName}`)).toBeVisible();
}

async function registerSovereign(
  request: APIRequestContext,
  backend: string,
  token: string,
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
        blueprints: [],
        notInstallable: [],
        dnsRecords: [],
      },
    },
  );
  expect(res.status(), await res.text()).toBeLessThan(300);
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
  }) => {
    await signIn(page);
    const backend = await backendUrl(page);
    const token = await guestToken(request, backend);
    await registerSovereign(request, backend, token);

    // Admin: the sidebar leads to the voucher page, which lists the Sovereigns the guest administers.
    await page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Vouchers', exact: true })
      .click();
    await expect(page).toHaveURL(/\/vouchers$/);
    await showSovereign(page);
    await expect(page.getByText('No vouchers yet')).toBeVisible();

    // Issue one voucher; a bad credit is refused next to its field first.
    await page.getByRole('button', { name: 'Issue vouchers' }).first().click();
    const issue = page.getByRole('dialog');
    await expect(issue.getByLabel(/Credit/)).toHaveValue('100');
    await issue.getByLabel(/Credit/).fill('0');
    await issue.getByRole('button', { name: 'Issue' }).click();
    await expect(
      issue.getByText('Enter a credit greater than 0'),
    ).toBeVisible();
    await issue.getByLabel(/Credit/).fill('100');
    await issue.getByLabel('Description').fill(`E2E launch ${run}`);
    await issue.getByRole('button', { name: 'Issue' }).click();

    const issued = page.getByRole('dialog', { name: 'Voucher issued' });
    await expect(issued.getByText(/won't be shown again/)).toBeVisible();
    const code = (
      await issued.getByTestId('issued-voucher-code').textContent()
    )?.trim();
    expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}-[0-9A-Z]$/);
    await issued
      .getByRole('button', { name: 'I have copied the codes' })
      .click();

    // The table shows the voucher with its code masked, never in full.
    const row = page.getByRole('row', {
      name: new RegExp(`E2E launch ${run}`),
    });
    await expect(row.getByText('Active')).toBeVisible();
    await expect(row.getByText('0/1')).toBeVisible();
    await expect(row.getByText(masked(code!))).toBeVisible();
    await expect(page.getByText(code!)).toHaveCount(0);

    // Tenant: a fresh tab opens the redeem link, in lower case as a person might type it.
    const tenant = await context.newPage();
    await tenant.goto(
      `/vouchers/redeem?code=${encodeURIComponent(
        code!.toLowerCase(),
      )}&sovereign=${encodeURIComponent(sovereignRef)}`,
    );
    await expect(
      tenant.getByText(/This voucher is worth OMR\s?100\.000/),
    ).toBeVisible({ timeout: 60_000 });
    // The code from the link leaves the address bar (and the history entry) once the page has read it.
    await expect(tenant).not.toHaveURL(/[?&]code=/);

    // A typo in the check character is caught before any lookup.
    const input = tenant.getByLabel('Voucher code');
    const last = code!.slice(-1);
    const typo = `${code!.slice(0, -1)}${last === 'A' ? 'B' : 'A'}`;
    await input.fill(typo);
    await expect(tenant.getByText('This code is not valid')).toBeVisible();
    await input.fill(code!);
    await expect(
      tenant.getByText(/This voucher is worth OMR\s?100\.000/),
    ).toBeVisible();

    // Redeem through the template: the code arrives prefilled.
    await tenant.getByRole('button', { name: 'Redeem' }).click();
    await expect(tenant).toHaveURL(
      /\/create\/templates\/default\/redeem-voucher/,
    );
    // The template's URL carries the Sovereign, never the code: the code goes to the task as a secret.
    expect(tenant.url().toUpperCase()).not.toContain(code!.toUpperCase());
    await expect(tenant.getByLabel(/Voucher code/i).first()).toHaveValue(
      code!,
      {
        timeout: 60_000,
      },
    );
    // The code and the Sovereign are on the template's first page, the Organization on the second.
    await tenant.getByRole('button', { name: 'Next' }).click();
    await tenant
      .getByLabel(/Organization name/i)
      .first()
      .fill(organizationName);
    await tenant.getByLabel(/slug/i).first().fill(organizationSlug);
    // Walk the remaining steps and the review to the task page; the template may rename its buttons.
    const advance = tenant.getByRole('button', {
      name: /^(Next|Review|Confirm|Create|Redeem)$/,
    });
    for (
      let step = 0;
      step < 8 && !/\/create\/tasks\//.test(tenant.url());
      step++
    ) {
      await advance.last().click();
      await tenant.waitForTimeout(500);
    }
    await expect(tenant).toHaveURL(/\/create\/tasks\//);

    // The Organization appears in the catalog as a Group.
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

    // Back on the admin page the voucher is used up.
    await page.reload();
    await showSovereign(page);
    await expect(row.getByText('1/1')).toBeVisible({ timeout: 60_000 });
    await expect(row.getByText('Used up')).toBeVisible();
  });
});
