import { RegistrarAdapterOptions, RegistrarError } from '../types';
import {
  RegistrarAdapterBase,
  RegistrarDescription,
  sameDomain,
} from '../RegistrarAdapterBase';
import { NamecheapReply, parseNamecheapReply } from './namecheapXml';

export const NAMECHEAP_DEFAULT_BASE_URL =
  'https://api.namecheap.com/xml.response';

const DISPLAY_NAME = 'Namecheap';
const PAGE_SIZE = 100;
const MAX_PAGE = 199;

/**
 * Namecheap error numbers (docs/pdm.md §6.3). The invalid-token set includes the IP allow-list errors; we add
 * 1010105/1011105 ("ClientIp is missing"), which can only come from a malformed credential.
 */
const INVALID_TOKEN_NUMBERS = new Set([
  '1010100',
  '1011102',
  '1011500',
  '1010101',
  '1011150',
  '1010105',
  '1011105',
]);
const NOT_IN_ACCOUNT_NUMBERS = new Set(['2019166', '2019167', '2030280']);
/** Word-bounded so that e.g. "generate" or "operate" is not read as a rate limit. */
const RATE_LIMIT_TEXT = /\brate\b|rate.?limit|too many/i;

const IPV4 =
  /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

interface NamecheapCredential {
  apiUser: string;
  apiKey: string;
  userName: string;
  clientIp: string;
}

const NAMECHEAP: RegistrarDescription<NamecheapCredential> = {
  name: 'namecheap',
  displayName: DISPLAY_NAME,
  propagation: '1–2 h; TLD up to 48 h',
  defaultBaseUrl: NAMECHEAP_DEFAULT_BASE_URL,
  credentialName: 'the API credentials',
  capabilities: { maxNameservers: 12 },
  parseCredential,
};

/**
 * Namecheap XML API. Every call is a GET whose query carries the credential, so URLs are never logged or put
 * into errors. The customer must allow-list our egress IP (the token's clientIp) in their Namecheap account.
 */
export class NamecheapAdapter extends RegistrarAdapterBase<NamecheapCredential> {
  constructor(options: RegistrarAdapterOptions = {}) {
    super(NAMECHEAP, options);
  }

  protected async checkDomain(
    credential: NamecheapCredential,
    domain: string,
  ): Promise<void> {
    await this.call(credential, 'namecheap.users.getBalances', {});
    for (let page = 1; page <= MAX_PAGE; page++) {
      const reply = await this.call(credential, 'namecheap.domains.getList', {
        Page: String(page),
        PageSize: String(PAGE_SIZE),
      });
      const result = reply.commandResponse?.DomainGetListResult;
      const domains: any[] = Array.isArray(result?.Domain) ? result.Domain : [];
      if (
        domains.some(entry =>
          sameDomain(String(entry?.['@_Name'] ?? ''), domain),
        )
      ) {
        return;
      }
      const total = Number(reply.commandResponse?.Paging?.TotalItems);
      if (
        domains.length === 0 ||
        !Number.isFinite(total) ||
        page * PAGE_SIZE >= total
      ) {
        break;
      }
    }
    throw this.notInAccount(domain);
  }

  protected async replaceNameservers(
    credential: NamecheapCredential,
    domain: string,
    nameservers: string[],
  ): Promise<void> {
    const reply = await this.call(
      credential,
      'namecheap.domains.dns.setCustom',
      { ...domainParams(domain), Nameservers: nameservers.join(',') },
    );
    const updated =
      reply.commandResponse?.DomainDNSSetCustomResult?.['@_Updated'];
    if (String(updated).toLowerCase() !== 'true') {
      throw new RegistrarError(
        'registrar-error',
        'Namecheap did not confirm the nameserver update',
      );
    }
  }

  protected async readNameservers(
    credential: NamecheapCredential,
    domain: string,
  ): Promise<unknown[]> {
    const reply = await this.call(
      credential,
      'namecheap.domains.dns.getList',
      domainParams(domain),
    );
    const list = reply.commandResponse?.DomainDNSGetListResult?.Nameserver;
    return (Array.isArray(list) ? list : []).map((entry: unknown) =>
      typeof entry === 'object' && entry !== null
        ? (entry as any)['#text']
        : entry,
    );
  }

  private async call(
    credential: NamecheapCredential,
    command: string,
    params: Record<string, string>,
  ): Promise<NamecheapReply> {
    const response = await this.sendQuery(
      {
        ApiUser: credential.apiUser,
        ApiKey: credential.apiKey,
        UserName: credential.userName,
        ClientIp: credential.clientIp,
        Command: command,
        ...params,
      },
      'application/xml',
    );
    const reply = parseNamecheapReply(response.text);
    if (!reply) {
      throw new RegistrarError(
        response.status >= 200 && response.status < 300
          ? 'api-unavailable'
          : 'registrar-error',
        `Namecheap answered HTTP ${response.status} without an ApiResponse document`,
      );
    }
    if (reply.status.toUpperCase() === 'OK' && response.status === 200) {
      return reply;
    }
    throw this.classify(reply, response.status);
  }

  private classify(reply: NamecheapReply, status: number): RegistrarError {
    const numbers = reply.errors.map(error => error.number);
    if (numbers.some(number => INVALID_TOKEN_NUMBERS.has(number))) {
      return this.rejected(' or the client IP is not allow-listed');
    }
    if (numbers.some(number => NOT_IN_ACCOUNT_NUMBERS.has(number))) {
      return this.unknownDomain();
    }
    if (reply.errors.some(error => RATE_LIMIT_TEXT.test(error.message))) {
      return this.http.rateLimited();
    }
    const shown = numbers.filter(number => /^\d{1,10}$/.test(number));
    return this.failed(
      status,
      shown.length ? `error ${shown.join(',')}` : undefined,
    );
  }
}

/** `apiUser:apiKey:userName:clientIp`, or `apiUser:apiKey:clientIp` when the user name is the API user. */
function parseCredential(token: string): NamecheapCredential {
  const parts =
    typeof token === 'string' ? token.trim().split(':') : ([] as string[]);
  if (
    (parts.length === 3 || parts.length === 4) &&
    parts.every(part => part.trim() !== '')
  ) {
    const [apiUser, apiKey] = parts;
    const userName = parts.length === 4 ? parts[2] : apiUser;
    const clientIp = parts[parts.length - 1];
    if (IPV4.test(clientIp)) return { apiUser, apiKey, userName, clientIp };
  }
  throw new RegistrarError(
    'invalid-token',
    'Namecheap token must have the form apiUser:apiKey:userName:clientIp or apiUser:apiKey:clientIp (an IPv4 address)',
  );
}

/** Namecheap addresses a domain as SLD + TLD: the first label, then the rest (`acme.co.uk` → acme / co.uk). */
export function splitDomain(domain: string): { sld: string; tld: string } {
  const dot = domain.indexOf('.');
  return { sld: domain.slice(0, dot), tld: domain.slice(dot + 1) };
}

/** The SLD/TLD query parameters of the `namecheap.domains.dns.*` commands. */
function domainParams(domain: string): { SLD: string; TLD: string } {
  const { sld, tld } = splitDomain(domain);
  return { SLD: sld, TLD: tld };
}
