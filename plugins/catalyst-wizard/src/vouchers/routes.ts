import {
  createExternalRouteRef,
  createRouteRef,
} from '@backstage/frontend-plugin-api';

export const vouchersAdminRouteRef = createRouteRef();

export const redeemVoucherRouteRef = createRouteRef();

/**
 * The scaffolder's template page: redeeming (voucher + Organization + first App) runs server-side through the
 * "Redeem a voucher" template, so the redeem page only hands the code over.
 */
export const scaffolderTemplateRouteRef = createExternalRouteRef({
  params: ['namespace', 'templateName'],
  defaultTarget: 'scaffolder.selectedTemplate',
});

/** The template that redeems a voucher, creates the Organization and commits its first App. */
export const REDEEM_VOUCHER_TEMPLATE = {
  namespace: 'default',
  templateName: 'redeem-voucher',
} as const;
