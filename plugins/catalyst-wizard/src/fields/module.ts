import {
  ApiBlueprint,
  createFrontendModule,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  FormFieldBlueprint,
  createFormField,
} from '@backstage/plugin-scaffolder-react/alpha';
import { CatalystClient, catalystApiRef } from '../api';

const catalystApi = ApiBlueprint.make({
  name: 'catalyst',
  params: defineParams =>
    defineParams({
      api: catalystApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new CatalystClient({ discoveryApi, fetchApi }),
    }),
});

const textInputField = FormFieldBlueprint.make({
  name: 'catalyst-text-input',
  params: {
    field: () =>
      import('./CatalystTextInput').then(m =>
        createFormField({
          name: 'CatalystTextInput',
          component: m.CatalystTextInput,
          validation: m.catalystTextInputValidation,
        }),
      ),
  },
});

const topologyPickerField = FormFieldBlueprint.make({
  name: 'topology-picker',
  params: {
    field: () =>
      import('./TopologyPicker').then(m =>
        createFormField({
          name: 'TopologyPicker',
          component: m.TopologyPicker,
          validation: m.topologyPickerValidation,
        }),
      ),
  },
});

const regionSizingField = FormFieldBlueprint.make({
  name: 'region-sizing',
  params: {
    field: () =>
      import('./RegionSizing').then(m =>
        createFormField({
          name: 'RegionSizing',
          component: m.RegionSizing,
          validation: m.regionSizingValidation,
        }),
      ),
  },
});

const providerCredentialsField = FormFieldBlueprint.make({
  name: 'provider-credentials',
  params: {
    field: () =>
      import('./ProviderCredentials').then(m =>
        createFormField({
          name: 'ProviderCredentials',
          component: m.ProviderCredentials,
          validation: m.providerCredentialsValidation,
        }),
      ),
  },
});

const sshPublicKeyField = FormFieldBlueprint.make({
  name: 'ssh-public-key',
  params: {
    field: () =>
      import('./SshPublicKey').then(m =>
        createFormField({
          name: 'SshPublicKey',
          component: m.SshPublicKey,
          validation: m.sshPublicKeyValidation,
        }),
      ),
  },
});

const componentMarketplaceField = FormFieldBlueprint.make({
  name: 'component-marketplace',
  params: {
    field: () =>
      import('./ComponentMarketplace').then(m =>
        createFormField({
          name: 'ComponentMarketplace',
          component: m.ComponentMarketplace,
          validation: m.componentMarketplaceValidation,
        }),
      ),
  },
});

const voucherCodeField = FormFieldBlueprint.make({
  name: 'voucher-code',
  params: {
    field: () =>
      import('./VoucherCode').then(m =>
        createFormField({
          name: 'VoucherCode',
          component: m.VoucherCode,
          validation: m.voucherCodeValidation,
        }),
      ),
  },
});

const decommissionConfirmField = FormFieldBlueprint.make({
  name: 'decommission-confirm',
  params: {
    field: () =>
      import('./DecommissionConfirm').then(m =>
        createFormField({
          name: 'DecommissionConfirm',
          component: m.DecommissionConfirm,
          validation: m.decommissionConfirmValidation,
        }),
      ),
  },
});

const domainPickerField = FormFieldBlueprint.make({
  name: 'domain-picker',
  params: {
    field: () =>
      import('./DomainPicker').then(m =>
        createFormField({
          name: 'DomainPicker',
          component: m.DomainPicker,
          validation: m.domainPickerValidation,
        }),
      ),
  },
});

const tenantSovereignPickerField = FormFieldBlueprint.make({
  name: 'tenant-sovereign-picker',
  params: {
    field: () =>
      import('./TenantPickers').then(m =>
        createFormField({
          name: 'TenantSovereignPicker',
          component: m.TenantSovereignPicker,
          validation: m.tenantSovereignValidation,
        }),
      ),
  },
});

const firstAppPickerField = FormFieldBlueprint.make({
  name: 'first-app-picker',
  params: {
    field: () =>
      import('./TenantPickers').then(m =>
        createFormField({
          name: 'FirstAppPicker',
          component: m.FirstAppPicker,
        }),
      ),
  },
});

const sovereignReviewField = FormFieldBlueprint.make({
  name: 'sovereign-review',
  params: {
    field: () =>
      import('./SovereignReview').then(m =>
        createFormField({
          name: 'SovereignReview',
          component: m.SovereignReview,
        }),
      ),
  },
});

/**
 * The Provision-a-Sovereign wizard's form fields, plugged into the scaffolder, plus the client they use to
 * reach the Catalyst and PDM backends.
 */
export const catalystFormFieldsModule = createFrontendModule({
  pluginId: 'scaffolder',
  extensions: [
    catalystApi,
    textInputField,
    topologyPickerField,
    regionSizingField,
    providerCredentialsField,
    sshPublicKeyField,
    componentMarketplaceField,
    domainPickerField,
    decommissionConfirmField,
    voucherCodeField,
    tenantSovereignPickerField,
    firstAppPickerField,
    sovereignReviewField,
  ],
});
