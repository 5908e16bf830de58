/**
 * Catalyst's portal features: the Provision-a-Sovereign form fields (a scaffolder module) and the
 * Sovereign, Blueprint and Voucher entity pages (a catalog module).
 *
 * @packageDocumentation
 */
export { catalystFormFieldsModule } from './fields/module';
export { catalystEntityPagesModule } from './entities/module';
export { catalystVouchersPlugin } from './vouchers/plugin';
export { BlueprintLogo } from './entities/blueprint/BlueprintLogo';
export { SovereignPhaseChip } from './entities/sovereign/SovereignPhaseChip';
