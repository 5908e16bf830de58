import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  checkDomainName,
  normalizeDomainInput,
} from '@catalyst/plugin-catalyst-common';
import { RegistrarAdapter, RegistrarError } from '../registrars/types';
import { PdmApiError } from './PdmApiError';

const REGISTRAR_ERRORS: Record<
  RegistrarError['kind'],
  { status: number; detail: string }
> = {
  'invalid-token': {
    status: 401,
    detail: 'the registrar rejected the token',
  },
  'domain-not-in-account': {
    status: 403,
    detail: 'the domain is not in the account this token belongs to',
  },
  'rate-limited': {
    status: 429,
    detail: 'the registrar is rate-limiting requests; retry later',
  },
  'api-unavailable': {
    status: 502,
    detail: 'the registrar API is unavailable',
  },
  'registrar-error': {
    status: 500,
    detail: 'the registrar returned an unexpected error',
  },
};

function plainName(value: string): string {
  return normalizeDomainInput(value).replace(/\.$/, '');
}

function sameSet(a: string[], b: string[]): boolean {
  const x = new Set(a);
  const y = new Set(b);
  return x.size === y.size && [...x].every(v => y.has(v));
}

/**
 * The registrar rules of PDM (docs/pdm.md): which adapter serves a registrar name, what a domain and token must
 * look like, how registrar failures become PDM's error bodies (naming the registrar and the domain, never the
 * raw upstream error), and that a set-ns request may only point a domain at PDM's own nameservers. Tokens are
 * passed to the adapter and never logged.
 */
export class RegistrarService {
  readonly names: string[];

  constructor(
    private readonly options: {
      registrars: RegistrarAdapter[];
      /** PDM's nameservers, the only ones set-ns may install. */
      nameservers: string[];
      logger: LoggerService;
    },
  ) {
    this.names = options.registrars.map(r => r.name).sort();
  }

  /** The adapter for a registrar name (any case); 503 when none is configured, 404 when unsupported. */
  adapter(name: string): RegistrarAdapter {
    const { registrars } = this.options;
    if (registrars.length === 0) {
      throw new PdmApiError(
        503,
        'no-registrars-configured',
        'no registrar adapters are configured',
      );
    }
    const adapter = registrars.find(r => r.name === name.toLowerCase());
    if (!adapter) {
      throw new PdmApiError(
        404,
        'unsupported-registrar',
        `registrar ${name} is not supported`,
        { supported: this.names },
      );
    }
    return adapter;
  }

  /** The domain (normalized, checked) and token of a registrar request. */
  input(
    domainValue: unknown,
    tokenValue: unknown,
  ): { domain: string; token: string } {
    if (typeof domainValue !== 'string' || domainValue.trim() === '') {
      throw new PdmApiError(422, 'missing-domain', 'domain is required');
    }
    const domain = plainName(domainValue);
    const problem = checkDomainName(domain);
    if (problem) {
      throw new PdmApiError(422, 'invalid-domain', `domain ${problem}`);
    }
    if (typeof tokenValue !== 'string' || tokenValue.trim() === '') {
      throw new PdmApiError(422, 'missing-token', 'token is required');
    }
    return { domain, token: tokenValue.trim() };
  }

  /** Runs one registrar call; logs only {registrar, domain, outcome}, never the raw error. */
  async call<T>(
    adapter: RegistrarAdapter,
    domain: string,
    call: () => Promise<T>,
  ): Promise<T> {
    const { logger } = this.options;
    try {
      const result = await call();
      logger.info('registrar call', {
        registrar: adapter.name,
        domain,
        outcome: 'ok',
      });
      return result;
    } catch (error) {
      const kind = error instanceof RegistrarError ? error.kind : undefined;
      logger.warn('registrar call', {
        registrar: adapter.name,
        domain,
        outcome:
          kind === undefined || kind === 'registrar-error'
            ? 'unknown-error'
            : kind,
      });
      if (error instanceof InputError) {
        throw new PdmApiError(422, 'invalid-body', error.message);
      }
      const mapped = REGISTRAR_ERRORS[kind ?? 'registrar-error'];
      throw new PdmApiError(
        mapped.status,
        kind ?? 'registrar-error',
        mapped.detail,
        {
          // The reference names the registrar and the domain in every registrar error.
          registrar: adapter.name,
          domain,
          ...(error instanceof RegistrarError &&
          error.retryAfterSeconds !== undefined
            ? { retryAfterSeconds: error.retryAfterSeconds }
            : {}),
        },
      );
    }
  }

  /** Checks that the token may manage the domain at this registrar. */
  async validate(
    adapter: RegistrarAdapter,
    domainValue: unknown,
    tokenValue: unknown,
  ) {
    const { domain, token } = this.input(domainValue, tokenValue);
    await this.call(adapter, domain, () =>
      adapter.validateToken(token, domain),
    );
    return { valid: true, registrar: adapter.name, domain };
  }

  /** The domain's current nameservers at the registrar and whether they are PDM's. */
  async nameservers(
    adapter: RegistrarAdapter,
    domainValue: unknown,
    tokenValue: unknown,
  ) {
    const { domain, token } = this.input(domainValue, tokenValue);
    const current = await this.call(adapter, domain, () =>
      adapter.getNameservers(token, domain),
    );
    const normalized = current.map(plainName);
    return {
      registrar: adapter.name,
      domain,
      nameservers: normalized,
      matchesPdm: sameSet(normalized, this.options.nameservers),
    };
  }

  /**
   * Points the domain at PDM's nameservers (exactly those, in any order): the token is validated first, then the
   * set, then a read-back; a failed read-back still succeeds with the supplied list, marked unverified.
   */
  async setNameservers(
    adapter: RegistrarAdapter,
    domainValue: unknown,
    tokenValue: unknown,
    nameserversValue: unknown,
  ) {
    const { nameservers } = this.options;
    const { domain, token } = this.input(domainValue, tokenValue);
    if (!Array.isArray(nameserversValue) || nameserversValue.length === 0) {
      throw new PdmApiError(
        422,
        'missing-nameservers',
        'nameservers must be a non-empty list',
      );
    }
    const requested = [
      ...new Set(
        nameserversValue.map(ns =>
          typeof ns === 'string' ? plainName(ns) : '',
        ),
      ),
    ];
    if (!sameSet(requested, nameservers)) {
      throw new PdmApiError(
        422,
        'nameservers-mismatch',
        `nameservers must be exactly PDM's nameservers: ${nameservers.join(
          ', ',
        )}`,
        { expected: nameservers },
      );
    }
    await this.call(adapter, domain, () =>
      adapter.validateToken(token, domain),
    );
    await this.call(adapter, domain, () =>
      adapter.setNameservers(token, domain, requested),
    );
    let readBack: string[] | undefined;
    try {
      readBack = (await adapter.getNameservers(token, domain)).map(plainName);
    } catch {
      readBack = undefined;
    }
    return {
      success: true,
      registrar: adapter.name,
      domain,
      nameservers: readBack ?? requested,
      verified: readBack !== undefined && sameSet(readBack, requested),
      propagation: adapter.propagation,
    };
  }
}
