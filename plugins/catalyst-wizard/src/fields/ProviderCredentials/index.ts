export { ProviderCredentials } from './ProviderCredentials';
export { providerCredentialsValidation } from './validation';
