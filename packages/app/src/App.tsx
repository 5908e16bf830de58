import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import {
  catalystEntityPagesModule,
  catalystFormFieldsModule,
  catalystVouchersPlugin,
} from '@catalyst/plugin-catalyst-wizard';
import { navModule } from './modules/nav';
import { homeModule } from './modules/home';
import { signInModule } from './modules/signIn';
import { catalogModule } from './modules/catalog';

export default createApp({
  features: [
    catalogPlugin,
    catalogModule,
    navModule,
    homeModule,
    signInModule,
    catalystFormFieldsModule,
    catalystEntityPagesModule,
    catalystVouchersPlugin,
  ],
});
