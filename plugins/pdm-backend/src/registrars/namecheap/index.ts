export {
  NamecheapAdapter,
  NAMECHEAP_DEFAULT_BASE_URL,
} from './NamecheapAdapter';
