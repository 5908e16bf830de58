export { GoDaddyAdapter, GODADDY_DEFAULT_BASE_URL } from './GoDaddyAdapter';
