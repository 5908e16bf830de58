import { RegistrarAdapterOptions, RegistrarError } from '../types';
import { parseJsonReply } from '../upstreamHttp';
import { splitToken } from '../registrarInput';
import {
  RegistrarAdapterBase,
  RegistrarDescription,
  sameDomain,
} from '../RegistrarAdapterBase';

export const DYNADOT_DEFAULT_BASE_URL = 'https://api.dynadot.com/api3.json';

const DISPLAY_NAME = 'Dynadot';

interface DynadotHeader {
  ResponseCode?: unknown;
  Status?: unknown;
  Error?: unknown;
}

interface DynadotCredential {
  key: string;
  secret: string;
}

const DYNADOT: RegistrarDescription<DynadotCredential> = {
  name: 'dynadot',
  displayName: DISPLAY_NAME,
  propagation: '30–60 min',
  defaultBaseUrl: DYNADOT_DEFAULT_BASE_URL,
  credentialName: 'the API key or secret',
  // set_ns takes ns0 … ns12: the usual 13 nameservers.
  parseCredential: token => {
    const [key, secret] = splitToken(
      DISPLAY_NAME,
      token,
      'apiKey:apiSecret',
      2,
    );
    return { key, secret };
  },
};

/**
 * Dynadot API3 (JSON). The key and secret travel in the query string, so URLs are never logged and errors
 * never quote them. Dynadot answers HTTP 200 for most failures; the outcome is in the ResponseHeader.
 */
export class DynadotAdapter extends RegistrarAdapterBase<DynadotCredential> {
  constructor(options: RegistrarAdapterOptions = {}) {
    super(DYNADOT, options);
  }

  protected async checkDomain(
    credential: DynadotCredential,
    domain: string,
  ): Promise<void> {
    await this.domainInfo(credential, domain);
  }

  protected async replaceNameservers(
    credential: DynadotCredential,
    domain: string,
    nameservers: string[],
  ): Promise<void> {
    const params: Record<string, string> = { domain };
    nameservers.forEach((host, index) => {
      params[`ns${index}`] = host;
    });
    await this.call(credential, 'set_ns', params, 'SetNsResponse');
  }

  protected async readNameservers(
    credential: DynadotCredential,
    domain: string,
  ): Promise<unknown[]> {
    const info = await this.domainInfo(credential, domain);
    const list = info?.NameServerSettings?.NameServers;
    return (Array.isArray(list) ? list : []).map(
      (entry: any) => entry?.ServerName,
    );
  }

  private async domainInfo(
    credential: DynadotCredential,
    domain: string,
  ): Promise<any> {
    const reply = await this.call(
      credential,
      'domain_info',
      { domain },
      'DomainInfoResponse',
    );
    const info = reply?.DomainInfo;
    // domain_info can succeed for a name the account does not hold only if Dynadot returns another domain.
    if (!info || !sameDomain(info.Name, domain)) {
      throw this.notInAccount(domain);
    }
    return info;
  }

  private async call(
    { key, secret }: DynadotCredential,
    command: string,
    params: Record<string, string>,
    responseKey: string,
  ): Promise<any> {
    const response = await this.sendQuery(
      { key, secret, command, ...params },
      'application/json',
    );
    const body = parseJsonReply(DISPLAY_NAME, response.text) as any;
    // Errors detected before the command runs (e.g. a bad key) come back under a generic `Response` key.
    const reply = body?.[responseKey] ?? body?.Response;
    const header: DynadotHeader | undefined =
      reply?.ResponseHeader ??
      (reply && 'ResponseCode' in reply ? reply : undefined);
    if (response.status === 200 && header && isSuccess(header)) {
      return reply;
    }
    throw this.classify(header, response.status);
  }

  private classify(
    header: DynadotHeader | undefined,
    status: number,
  ): RegistrarError {
    const text =
      typeof header?.Error === 'string' ? header.Error.toLowerCase() : '';
    if (/invalid api|\bkey\b|secret|auth/.test(text)) return this.rejected();
    if (/not found|could not find|not in your account|not own/.test(text)) {
      return this.unknownDomain();
    }
    if (/\brate\b|rate.?limit|too many/.test(text)) {
      return this.http.rateLimited();
    }
    return this.failed(
      status,
      header?.ResponseCode !== undefined
        ? `ResponseCode ${String(header.ResponseCode).slice(0, 8)}`
        : undefined,
    );
  }
}

function isSuccess(header: DynadotHeader): boolean {
  return (
    (typeof header.Status === 'string' &&
      header.Status.toLowerCase() === 'success') ||
    String(header.ResponseCode) === '0'
  );
}
