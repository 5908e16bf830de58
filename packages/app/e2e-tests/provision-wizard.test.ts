import { test, expect, type Page, type TestInfo } from '@playwright/test';
import { signIn } from './support/portal';

/**
 * Walks the Provision-a-Sovereign wizard end to end against the running portal: every page, one validation
 * error per page that the user then corrects, launch, and the task page.
 *
 * Every request goes to the real backend. The backend checks the Hetzner token against the Hetzner Cloud API
 * it is configured with: in the test run, a local server speaking that API (scripts/hetzner-sandbox-api.js) that
 * accepts CATALYST_E2E_HETZNER_TOKEN.
 */

const hetznerToken =
  process.env.CATALYST_E2E_HETZNER_TOKEN ?? 'e2e'.padEnd(64, 'x');

async function snap(page: Page, testInfo: TestInfo, name: string) {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

const next = (page: Page) => page.getByRole('button', { name: 'Next' }).click();

test('a user provisions a Sovereign through all seven wizard pages', async ({
  page,
}, testInfo) => {
  test.setTimeout(240_000);

  await page.goto('/');
  await signIn(page, 'guest');
  await expect(
    page.getByRole('navigation', { name: 'sidebar nav' }),
  ).toBeAttached({ timeout: 60_000 });
  await page.goto('/create/templates/default/provision-sovereign');

  // 1 Organisation: a blank name is refused next to the field, then corrected.
  const orgName = page.getByLabel('Organisation name');
  await expect(orgName).toBeVisible({ timeout: 60_000 });
  await orgName.fill('   ');
  await expect(page.getByText('Enter your organisation name')).toBeVisible();
  await orgName.fill('Acme Sovereign Bank');
  await expect(page.getByText('Enter your organisation name')).toHaveCount(0);
  await page.getByLabel('Headquarters').fill('Berlin, Germany');
  await page.getByLabel('GDPR').check();
  await snap(page, testInfo, '1-organisation');
  await next(page);

  // 2 Topology: Next without a choice is blocked; choose SOLO with the keyboard.
  await expect(page.getByRole('radio', { name: 'TRIANGLE' })).toBeVisible();
  await next(page);
  await expect(
    page.getByText('Choose a topology').filter({ visible: true }),
  ).toHaveCount(1);
  await page.getByRole('radio', { name: 'SOLO' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('radio', { name: 'SOLO' })).toHaveAttribute(
    'aria-checked',
    'true',
  );
  await snap(page, testInfo, '2-topology');
  await next(page);

  // 3 Provider: the HQ hint seeds Hetzner fsn1; an out-of-range worker count is refused with the range, then
  // corrected.
  const card = page.getByRole('group', { name: 'Region 1 — All Components' });
  await expect(card).toBeVisible();
  await expect(card.getByLabel('Cloud region')).toContainText('fsn1');
  const workers = card.getByLabel('Worker nodes');
  await workers.fill('75');
  await expect(workers).toHaveValue('75');
  await expect(
    card.getByText(
      '75 worker nodes is above the maximum of 50; worker nodes go from 0 to 50',
    ),
  ).toBeVisible();
  await workers.fill('1');
  await expect(card.getByText(/worker nodes go from/)).toHaveCount(0);
  await expect(card.getByLabel('Worker size')).toBeVisible();
  await expect(page.getByTestId('cost-total')).toContainText('/mo');
  await snap(page, testInfo, '3-provider');
  await next(page);

  // 4 Credentials: Next before validating is blocked; a short token is explained; then validate, ID and SSH key.
  await expect(page.getByLabel('Hetzner Cloud API token')).toBeVisible();
  await next(page);
  await expect(
    page.getByText(/Validate the .* credential/).filter({ visible: true }),
  ).toBeVisible();
  const token = page.getByLabel('Hetzner Cloud API token');
  await token.fill('too-short');
  await expect(
    page.getByText('Too short: 9 of at least 64 characters'),
  ).toBeVisible();
  await token.fill(hetznerToken);
  await page
    .getByRole('button', { name: 'Validate Hetzner Cloud token' })
    .click();
  await expect(page.getByText('✓ Valid')).toBeVisible();
  await page.getByLabel('Hetzner project ID').fill('proj_e2e');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Generate SSH key pair' }).click();
  expect((await download).suggestedFilename()).toBe('catalyst.pem');
  await expect(page.getByText(/Fingerprint SHA256:/)).toBeVisible();
  await snap(page, testInfo, '4-credentials');
  await next(page);

  // 5 Components: what has no published Blueprint cannot be switched on and says why; the CORTEX suite is
  // announced before it is added; add Matrix.
  await expect(page.getByText(/Selected \(\d+\) of 63/)).toBeVisible();
  await expect(page.getByTestId('not-installable-librechat')).toContainText(
    'LibreChat needs FerretDB, which is not installable yet',
  );
  await expect(
    page.getByRole('checkbox', { name: 'Add LibreChat' }),
  ).toBeDisabled();
  await expect(page.getByTestId('suite-note-vllm')).toContainText(
    /^Brings the CORTEX suite: \d+ components, \+€0\.00\/month/,
  );
  await page.getByRole('checkbox', { name: 'Add vLLM' }).click();
  await expect(page.getByTestId('component-card-bge')).toContainText(
    'CORTEX suite',
  );
  await page.getByRole('checkbox', { name: 'Add Matrix' }).click();
  await snap(page, testInfo, '5-components');
  await next(page);

  // 6 Domain: a reserved name and a bad email are explained next to the fields, then corrected.
  const subdomain = page.getByRole('textbox', { name: 'Subdomain' });
  await expect(subdomain).toBeVisible();
  await subdomain.fill('vault');
  await expect(
    page.getByText('“vault” is reserved by the platform; choose another name'),
  ).toBeVisible();
  const label = `e2e${Date.now().toString(36)}`;
  await subdomain.fill(label);
  await expect(page.getByText(/is available$/)).toBeVisible({
    timeout: 15_000,
  });
  const email = page.getByLabel('Admin email');
  await email.fill('ops@bank');
  await expect(page.getByText(/is not an email address/)).toBeVisible();
  await email.fill('ops@acme-bank.example');
  await snap(page, testInfo, '6-domain');
  await next(page);

  // 7 Review: shows the real choices with the token masked.
  const review = page.getByRole('region', { name: 'Credentials' });
  await expect(review).toContainText('•••••••••••• (64 chars)');
  await expect(
    page.getByRole('region', { name: /Components \(\d+\)/ }),
  ).toContainText('Matrix');
  await expect(page.getByRole('region', { name: 'Domain' })).toContainText(
    label,
  );
  await snap(page, testInfo, '7-review');
  // One review, ours: the scaffolder's last step lists nothing again and only launches.
  await page.getByRole('button', { name: 'Launch' }).click();
  await expect(page.getByText('Organisation name')).toHaveCount(0);
  await page.getByRole('button', { name: 'Launch' }).click();

  await expect(page).toHaveURL(/\/create\/tasks\/[0-9a-f-]+/, {
    timeout: 60_000,
  });
  await snap(page, testInfo, '8-task');
});
