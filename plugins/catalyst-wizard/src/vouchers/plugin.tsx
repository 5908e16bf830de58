import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import LocalOfferIcon from '@material-ui/icons/LocalOffer';
import { VouchersClient } from './VouchersClient';
import { vouchersApiRef } from './VouchersApi';
import {
  redeemVoucherRouteRef,
  scaffolderTemplateRouteRef,
  vouchersAdminRouteRef,
} from './routes';

const vouchersApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: vouchersApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new VouchersClient({ discoveryApi, fetchApi }),
    }),
});

/** The admin page; its title and icon make it the "Vouchers" item of the sidebar. */
const vouchersAdminPage = PageBlueprint.make({
  params: {
    path: '/vouchers',
    title: 'Vouchers',
    icon: <LocalOfferIcon />,
    routeRef: vouchersAdminRouteRef,
    noHeader: true,
    loader: () =>
      import('./admin/VouchersAdminPage').then(m => <m.VouchersAdminPage />),
  },
});

/** The page a voucher link opens (`/vouchers/redeem#code=...`). No icon: it is reached by link, not by nav. */
const redeemVoucherPage = PageBlueprint.make({
  name: 'redeem',
  params: {
    path: '/vouchers/redeem',
    title: 'Redeem a voucher',
    routeRef: redeemVoucherRouteRef,
    noHeader: true,
    loader: () =>
      import('./redeem/RedeemVoucherPage').then(m => <m.RedeemVoucherPage />),
  },
});

/** Voucher administration for Sovereign admins and the tenant's redeem page. */
export const catalystVouchersPlugin = createFrontendPlugin({
  pluginId: 'catalyst-vouchers',
  title: 'Vouchers',
  routes: {
    admin: vouchersAdminRouteRef,
    redeem: redeemVoucherRouteRef,
  },
  externalRoutes: {
    scaffolderTemplate: scaffolderTemplateRouteRef,
  },
  extensions: [vouchersApi, vouchersAdminPage, redeemVoucherPage],
});
