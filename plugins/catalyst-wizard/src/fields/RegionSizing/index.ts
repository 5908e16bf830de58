export { RegionSizing } from './RegionSizing';
export { regionSizingValidation } from './validation';
