export {
  TenantSovereignPicker,
  tenantSovereignValidation,
  FirstAppPicker,
  firstAppChoices,
  sovereignChoices,
  pickedRef,
} from './TenantPickers';
