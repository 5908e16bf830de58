import { z } from 'zod/v3';
import { CatalystData } from '../data/catalystData';
import { CloudProvider, isCloudProvider } from '../data/nodeSizes';
import {
  DEMO_TOKEN_PREFIX,
  HETZNER_TOKEN_MIN_LENGTH,
  normalizeDomainMode,
  providerTokenSecretName,
  type Registrar,
  REGISTRAR_TOKEN_FORMATS,
  REGISTRARS,
} from './requestVocabulary';
import type { IssueSink } from './requestZod';

/** Tokens of a request, trimmed and checked; kept apart from the request so they never reach an output. */
export interface SovereignRequestSecrets {
  providerTokens: Partial<Record<CloudProvider, string>>;
  registrarToken?: string;
}

function checkSecrets(
  data: CatalystData,
  providers: CloudProvider[],
  domain: { mode?: unknown; registrar?: unknown },
  secrets: Record<string, unknown>,
  issue: IssueSink,
): SovereignRequestSecrets {
  const out: SovereignRequestSecrets = { providerTokens: {} };
  for (const provider of providers) {
    const name = providerTokenSecretName(provider);
    const providerName = data.nodeSizes.providers[provider].name;
    const raw = secrets[name];
    if (raw !== undefined && typeof raw !== 'string') {
      issue([name], 'must be text');
      continue;
    }
    const token = (raw ?? '').trim();
    if (!token) {
      issue([name], `is required: the ${providerName} API credential`);
      continue;
    }
    if (token.startsWith(DEMO_TOKEN_PREFIX)) {
      issue(
        [name],
        'is a demo-mode token; a demo token can never provision a Sovereign',
      );
      continue;
    }
    if (provider === 'hetzner' && token.length < HETZNER_TOKEN_MIN_LENGTH) {
      issue(
        [name],
        `is ${token.length} characters; a Hetzner Read & Write API token has at least ${HETZNER_TOKEN_MIN_LENGTH}`,
      );
      continue;
    }
    out.providerTokens[provider] = token;
  }
  if (domain.mode === 'byo-api') {
    const raw = secrets.registrarToken;
    const token = typeof raw === 'string' ? raw.trim() : '';
    const registrar = (REGISTRARS as readonly unknown[]).includes(
      domain.registrar,
    )
      ? (domain.registrar as Registrar)
      : undefined;
    if (raw !== undefined && typeof raw !== 'string') {
      issue(['registrarToken'], 'must be text');
    } else if (!token) {
      issue(['registrarToken'], 'is required for byo-api');
    } else if (token.startsWith(DEMO_TOKEN_PREFIX)) {
      issue(
        ['registrarToken'],
        'is a demo-mode token; a demo token can never change nameservers',
      );
    } else if (registrar) {
      const format = REGISTRAR_TOKEN_FORMATS[registrar];
      const parts = token.split(':');
      if (
        /\s/.test(token) ||
        !format.parts.includes(parts.length) ||
        parts.some(p => p.length === 0)
      ) {
        issue(
          ['registrarToken'],
          `is not in the ${format.label} token format; expected ${format.hint}`,
        );
      } else {
        out.registrarToken = token;
      }
    }
  }
  return out;
}

function providersOf(regions: unknown): CloudProvider[] {
  const list = Array.isArray(regions)
    ? regions
        .map(r =>
          r && typeof r === 'object' ? (r as any).provider : undefined,
        )
        .filter(isCloudProvider)
    : [];
  const distinct = [...new Set(list)];
  return distinct.length > 0 ? distinct : ['hetzner'];
}

/**
 * Checks the task secrets against the parameters: one token per distinct provider (Hetzner: 64+ characters),
 * the registrar token in byo-api mode (in the registrar's format), and no demo-mode token. Messages never
 * contain a token. Throws a ZodError with paths under `secrets`.
 */
export function assembleSovereignSecrets(
  data: CatalystData,
  parameters: unknown,
  secrets: unknown,
): SovereignRequestSecrets {
  const issues: z.ZodIssue[] = [];
  const result = checkSecretsOf(data, parameters, secrets, issues);
  if (issues.length > 0) throw new z.ZodError(issues);
  return result;
}

/** Checks the secrets of `parameters`, adding issues (under `secrets`) to `issues`. */
export function checkSecretsOf(
  data: CatalystData,
  parameters: unknown,
  secrets: unknown,
  issues: z.ZodIssue[],
): SovereignRequestSecrets {
  const params = (
    parameters && typeof parameters === 'object' ? parameters : {}
  ) as Record<string, any>;
  const bag = (secrets && typeof secrets === 'object' ? secrets : {}) as Record<
    string,
    unknown
  >;
  const domain =
    params.domain && typeof params.domain === 'object' ? params.domain : {};
  return checkSecrets(
    data,
    providersOf(params.regions),
    { mode: normalizeDomainMode(domain.mode), registrar: domain.registrar },
    bag,
    (path, message) =>
      issues.push({
        code: z.ZodIssueCode.custom,
        path: ['secrets', ...path],
        message,
      }),
  );
}
