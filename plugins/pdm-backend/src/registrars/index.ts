import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';
import { CloudflareAdapter } from './cloudflare';
import { DynadotAdapter } from './dynadot';
import { GoDaddyAdapter } from './godaddy';
import { NamecheapAdapter } from './namecheap';
import { OvhAdapter } from './ovh';
import { RegistrarAdapter, RegistrarAdapterOptions } from './types';

export type {
  RegistrarAdapter,
  RegistrarAdapterOptions,
  RegistrarCapabilities,
  RegistrarErrorKind,
} from './types';
export { RegistrarError } from './types';
export { CloudflareAdapter, CLOUDFLARE_DEFAULT_BASE_URL } from './cloudflare';
export { DynadotAdapter, DYNADOT_DEFAULT_BASE_URL } from './dynadot';
export { GoDaddyAdapter, GODADDY_DEFAULT_BASE_URL } from './godaddy';
export { NamecheapAdapter, NAMECHEAP_DEFAULT_BASE_URL } from './namecheap';
export { OvhAdapter, OVH_DEFAULT_BASE_URL } from './ovh';
export { normalizeNameservers } from './registrarInput';

const FACTORIES: Record<
  string,
  (options: RegistrarAdapterOptions) => RegistrarAdapter
> = {
  cloudflare: options => new CloudflareAdapter(options),
  dynadot: options => new DynadotAdapter(options),
  godaddy: options => new GoDaddyAdapter(options),
  namecheap: options => new NamecheapAdapter(options),
  ovh: options => new OvhAdapter(options),
};

/** The ids of every registrar adapter, sorted; all are always registered (docs/pdm.md §6). */
export const REGISTRAR_IDS: readonly string[] = Object.freeze(
  Object.keys(FACTORIES).sort(),
);

/**
 * Builds all five registrar adapters, sorted by name. Each may be pointed elsewhere with
 * `pdm.registrars.<id>.baseUrl` (sandboxes, tests) and given `pdm.registrars.<id>.timeout`
 * (milliseconds as a number, or a duration such as `15s` / `{ seconds: 15 }`; default 30 s).
 * `pdm.registrars.<id>.maxRetryAfter` caps the Retry-After wait that is retried once (default 5 s).
 */
export function createRegistrarAdapters(
  config: Config,
  overrides: Pick<RegistrarAdapterOptions, 'fetch'> = {},
): RegistrarAdapter[] {
  const registrars = config.getOptionalConfig('pdm.registrars');
  for (const key of registrars?.keys() ?? []) {
    if (!FACTORIES[key]) {
      throw new InputError(
        `pdm.registrars.${key} is not a known registrar; expected one of ${REGISTRAR_IDS.join(
          ', ',
        )}`,
      );
    }
  }
  return REGISTRAR_IDS.map(id => {
    const section = registrars?.getOptionalConfig(id);
    const options: RegistrarAdapterOptions = { ...overrides };
    const baseUrl = section?.getOptionalString('baseUrl');
    if (baseUrl !== undefined) options.baseUrl = checkBaseUrl(id, baseUrl);
    if (section?.has('timeout')) {
      options.timeoutMs = readMilliseconds(section, 'timeout', id);
    }
    if (section?.has('maxRetryAfter')) {
      options.maxRetryAfterSeconds =
        readMilliseconds(section, 'maxRetryAfter', id, true) / 1000;
    }
    return FACTORIES[id](options);
  });
}

function checkBaseUrl(id: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(`pdm.registrars.${id}.baseUrl is not a valid URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(`pdm.registrars.${id}.baseUrl must be an http(s) URL`);
  }
  return value;
}

function readMilliseconds(
  section: Config,
  key: string,
  id: string,
  allowZero = false,
): number {
  const raw = section.getOptional(key);
  const ms =
    typeof raw === 'number'
      ? raw
      : durationToMilliseconds(readDurationFromConfig(section, { key }));
  if (!Number.isFinite(ms) || ms < 0 || (!allowZero && ms === 0)) {
    throw new InputError(
      `pdm.registrars.${id}.${key} must be a ${
        allowZero ? 'non-negative' : 'positive'
      } duration`,
    );
  }
  return ms;
}
