import { mockServices } from '@backstage/backend-test-utils';
import execa from 'execa';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import yaml from 'yaml';
import { loadCatalystData } from '@catalyst/plugin-catalyst-node';
import { SovereignRegistryClient } from '../clients/SovereignRegistryClient';
import { VoucherClient } from '../clients/VoucherClient';
import { GitOpsRepository } from '../gitops/GitOpsRepository';
import { createActionContext } from '../__testUtils__/createActionContext';
import { EXAMPLE_ENTITY_NAME, EXAMPLE_FQDN } from './exampleSovereign';
import { createVoucherRedeemAction } from './voucherRedeem';
import { examples } from './voucherRedeem.examples';
import { VoucherTestApi } from '../__testUtils__/VoucherTestApi';

const data = loadCatalystData();

describe('catalyst:voucher:redeem examples', () => {
  let api: VoucherTestApi;
  let root: string;
  beforeEach(async () => {
    api = new VoucherTestApi();
    await api.start();
    api.addSovereign({
      name: EXAMPLE_ENTITY_NAME,
      fqdn: EXAMPLE_FQDN,
      blueprints: ['bp-flux@1.1.2', 'bp-grafana@1.0.0'],
    });
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'voucher-redeem-ex-'));
    await execa('git', [
      'init',
      '-q',
      '--bare',
      '--initial-branch=main',
      path.join(root, 'gitops.git'),
    ]);
  });
  afterEach(async () => {
    await api.stop();
    await fs.rm(root, { recursive: true, force: true });
  });

  it.each(examples.map(e => [e.description, e]))('%s', async (_, example) => {
    const input = yaml.parse(example.example).steps[0].input;
    const code = api.addVoucher(EXAMPLE_ENTITY_NAME);
    const { ctx, outputs } = createActionContext({
      input: { ...input, code },
      workspacePath: root,
    });
    ctx.createTemporaryDirectory = () => fs.mkdtemp(path.join(root, 'step-'));
    const deps = { discovery: api.discovery, auth: mockServices.auth() };
    await createVoucherRedeemAction({
      vouchers: new VoucherClient(deps),
      registry: new SovereignRegistryClient(deps),
      repository: () =>
        new GitOpsRepository({
          repoUrl: `file://${root}/gitops.git`,
          branch: 'main',
          author: { name: 'Catalyst', email: 'catalyst@example.com' },
          logger: mockServices.logger.mock(),
        }),
      data: () => data,
    }).handler(ctx);
    expect(outputs.organizationRef).toBe(
      `group:${EXAMPLE_ENTITY_NAME}/${input.organizationSlug}`,
    );
    expect(outputs.firstApp).toBe(input.firstApp ? 'bp-grafana' : '');
    expect(outputs.commitSha).toMatch(/^[0-9a-f]{40}$/);
  });
});
