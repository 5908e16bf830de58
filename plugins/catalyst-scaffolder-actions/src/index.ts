/**
 * Scaffolder actions that provision and decommission a Catalyst Sovereign.
 *
 * @packageDocumentation
 */
export { scaffolderModuleCatalyst as default } from './module';
export { ClusterOverlay } from './overlay/ClusterOverlay';
export type { OverlayRelease, OverlayFile } from './overlay/ClusterOverlay';
export { GitOpsRepository } from './gitops/GitOpsRepository';
export { PoolAllocationClient } from './clients/PoolAllocationClient';
export { SovereignRegistryClient } from './clients/SovereignRegistryClient';
export { loadReleaseValues } from './overlay/releaseValues';
