export { OvhAdapter, OVH_DEFAULT_BASE_URL } from './OvhAdapter';
export { signOvhRequest } from './ovhSignature';
