/*
 * The redeem template's two pickers. Each lives in its own module: the choice rules in tenantChoices, the
 * loading hook in useLoaded, the shared select in EntityChoiceSelect.
 */
export {
  type AppChoice,
  firstAppChoices,
  type PickedValue,
  pickedRef,
  sovereignChoices,
} from './tenantChoices';
export {
  TenantSovereignPicker,
  tenantSovereignValidation,
} from './TenantSovereignPicker';
export { FirstAppPicker } from './FirstAppPicker';
