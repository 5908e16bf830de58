export { ComponentMarketplace } from './ComponentMarketplace';
export { componentMarketplaceValidation } from './validation';
