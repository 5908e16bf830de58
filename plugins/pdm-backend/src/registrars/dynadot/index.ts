export { DynadotAdapter, DYNADOT_DEFAULT_BASE_URL } from './DynadotAdapter';
