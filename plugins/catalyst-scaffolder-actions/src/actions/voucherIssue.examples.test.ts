import { mockServices } from '@backstage/backend-test-utils';
import yaml from 'yaml';
import { VoucherClient } from '../clients/VoucherClient';
import { createActionContext } from '../__testUtils__/createActionContext';
import { createVoucherIssueAction } from './voucherIssue';
import { examples } from './voucherIssue.examples';
import { VoucherTestApi } from '../__testUtils__/VoucherTestApi';

describe('catalyst:voucher:issue examples', () => {
  let api: VoucherTestApi;
  beforeEach(async () => {
    api = new VoucherTestApi();
    await api.start();
    api.addSovereign({
      name: 'omantel-omani-works',
      fqdn: 'omantel.omani.works',
      blueprints: [],
    });
    api.admins.set('omantel-omani-works', ['user:default/mock']);
  });
  afterEach(() => api.stop());

  it.each(examples.map(e => [e.description, e]))('%s', async (_, example) => {
    const input = yaml.parse(example.example).steps[0].input;
    const { ctx, outputs } = createActionContext({
      input: { count: 1, maxRedemptions: 1, ...input },
      workspacePath: '/tmp',
    });
    await createVoucherIssueAction({
      vouchers: new VoucherClient({
        discovery: api.discovery,
        auth: mockServices.auth(),
      }),
    }).handler(ctx);
    expect(outputs.codes).toHaveLength(input.count);
    expect(outputs.vouchers[0].credit).toEqual({
      amount: input.credit.amount,
      currency: 'OMR',
    });
  });
});
