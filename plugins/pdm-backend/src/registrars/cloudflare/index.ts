export {
  CloudflareAdapter,
  CLOUDFLARE_DEFAULT_BASE_URL,
} from './CloudflareAdapter';
