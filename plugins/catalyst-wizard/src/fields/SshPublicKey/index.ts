export { SshPublicKey } from './SshPublicKey';
export { sshPublicKeyValidation } from './validation';
