export { catalystApiRef } from './CatalystApi';
export type {
  CatalystApi,
  CredentialCheck,
  GeneratedSshKey,
  PdmInfo,
  RegistrarCheck,
  SshKeyCheck,
  SubdomainAvailability,
} from './CatalystApi';
export { CatalystClient } from './CatalystClient';
export type { CatalystCatalogData } from './catalogData';
