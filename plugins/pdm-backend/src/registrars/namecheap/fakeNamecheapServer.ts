import {
  FakeReply,
  FakeRequest,
  FakeUpstreamServer,
} from '../fakeUpstreamServer';

export interface FakeNamecheapUserInput {
  apiUser: string;
  apiKey: string;
  /** Client IPs allow-listed for API access in the account. */
  allowedIps: string[];
  /** Whether API access is enabled for the account (Namecheap requires opting in). */
  apiEnabled?: boolean;
}

interface FakeNamecheapDomain {
  id: number;
  name: string;
  user: string;
  nameservers: string[];
  usingOurDns: boolean;
}

const IPV4 =
  /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/**
 * Namecheap's XML API as the adapter uses it: every call a GET to /xml.response carrying ApiUser, ApiKey,
 * UserName, ClientIp and Command, answered with `<ApiResponse Status="OK|ERROR">`. Authentication follows the
 * real service, including its global error numbers: 1010101 ApiUser missing, 1010102 ApiKey missing,
 * 1010104 Command missing, 1010105 ClientIp missing, 1011102 invalid key or API access not enabled,
 * 1011150 request IP not allow-listed, 1011500 UserName not allowed for the ApiUser; and the domain errors
 * 2019166 domain not found and 2030280 TLD not supported.
 */
export class FakeNamecheapServer extends FakeUpstreamServer {
  protected readonly basePath = '/xml.response';
  private readonly users = new Map<string, Required<FakeNamecheapUserInput>>();
  private readonly domains = new Map<string, FakeNamecheapDomain>();
  private nextId = 100;
  /** Namecheap reports throttling inside an HTTP 200 reply; this many upcoming calls get that answer. */
  throttledCalls = 0;

  addUser(input: FakeNamecheapUserInput) {
    this.users.set(input.apiUser.toLowerCase(), {
      apiEnabled: true,
      ...input,
    });
  }

  addDomain(name: string, user: string, nameservers: string[] = []) {
    this.domains.set(name, {
      id: this.nextId++,
      name,
      user: user.toLowerCase(),
      nameservers,
      usingOurDns: nameservers.length === 0,
    });
  }

  nameserversOf(name: string): string[] | undefined {
    return this.domains.get(name)?.nameservers;
  }

  protected failureReply(status: number): FakeReply {
    if (status === 429) {
      return errorReply('', [['500000', 'Too many requests']], status);
    }
    return {
      status,
      body: status >= 500 ? 'Service Unavailable' : 'Forbidden',
    };
  }

  protected handle(request: FakeRequest): FakeReply {
    if (request.method !== 'GET' || request.path !== '/') {
      return { status: 405, body: 'Method Not Allowed' };
    }
    // Namecheap's parameter names are case-insensitive.
    const params = new Map<string, string>();
    request.query.forEach((value, key) => params.set(key.toLowerCase(), value));
    const command = (params.get('command') ?? '').toLowerCase();
    const apiUser = params.get('apiuser');
    const apiKey = params.get('apikey');
    const userName = params.get('username');
    const clientIp = params.get('clientip');
    if (!apiUser)
      return errorReply(command, [['1010101', 'Parameter APIUser is missing']]);
    if (!apiKey)
      return errorReply(command, [['1010102', 'Parameter APIKey is missing']]);
    if (!command)
      return errorReply(command, [['1010104', 'Parameter Command is missing']]);
    if (!clientIp)
      return errorReply(command, [
        ['1010105', 'Parameter ClientIp is missing'],
      ]);
    const user = this.users.get(apiUser.toLowerCase());
    if (!user || user.apiKey !== apiKey || !user.apiEnabled) {
      return errorReply(command, [
        ['1011102', 'API Key is invalid or API access has not been enabled'],
      ]);
    }
    if (!IPV4.test(clientIp) || !user.allowedIps.includes(clientIp)) {
      return errorReply(command, [
        ['1011150', `Invalid request IP: ${clientIp}`],
      ]);
    }
    if (userName && userName.toLowerCase() !== user.apiUser.toLowerCase()) {
      return errorReply(command, [
        ['1011500', 'UserName is not authorized for this API user'],
      ]);
    }
    const owner = user.apiUser.toLowerCase();
    if (this.throttledCalls > 0) {
      this.throttledCalls--;
      return errorReply(command, [
        ['500000', 'Too many requests. Please try again later'],
      ]);
    }

    switch (command) {
      case 'namecheap.users.getbalances':
        return okReply(
          command,
          '<UserGetBalancesResult Currency="USD" AvailableBalance="12.50" AccountBalance="12.50" EarnedAmount="0.00" WithdrawableAmount="0.00" FundsRequiredForAutoRenew="0.00" />',
        );
      case 'namecheap.domains.getlist': {
        const page = Number(params.get('page') ?? '1');
        const pageSize = Number(params.get('pagesize') ?? '20');
        if (!Number.isInteger(pageSize) || pageSize < 10 || pageSize > 100) {
          return errorReply(command, [
            ['2011170', 'PageSize should be between 10 and 100'],
          ]);
        }
        const owned = [...this.domains.values()]
          .filter(domain => domain.user === owner)
          .sort((a, b) => a.id - b.id);
        const slice = owned.slice((page - 1) * pageSize, page * pageSize);
        const rows = slice
          .map(
            domain =>
              `<Domain ID="${domain.id}" Name="${xmlEscape(
                domain.name,
              )}" User="${xmlEscape(
                owner,
              )}" Created="01/01/2024" Expires="01/01/2030" IsExpired="false" IsLocked="false" AutoRenew="true" WhoisGuard="ENABLED" IsPremium="false" IsOurDNS="${
                domain.usingOurDns
              }" />`,
          )
          .join('');
        return okReply(
          command,
          `<DomainGetListResult>${rows}</DomainGetListResult><Paging><TotalItems>${owned.length}</TotalItems><CurrentPage>${page}</CurrentPage><PageSize>${pageSize}</PageSize></Paging>`,
        );
      }
      case 'namecheap.domains.dns.setcustom':
      case 'namecheap.domains.dns.getlist': {
        const sld = params.get('sld');
        const tld = params.get('tld');
        if (!sld || !tld) {
          return errorReply(command, [
            ['2010324', 'Parameter SLD or TLD is missing'],
          ]);
        }
        if (!/^[a-z]{2,63}(\.[a-z]{2,63})?$/i.test(tld)) {
          return errorReply(command, [
            ['2030280', `TLD is not supported: ${tld}`],
          ]);
        }
        const domain = this.domains.get(`${sld}.${tld}`.toLowerCase());
        if (!domain || domain.user !== owner) {
          return errorReply(command, [['2019166', 'Domain not found']]);
        }
        if (command === 'namecheap.domains.dns.getlist') {
          const list = domain.usingOurDns
            ? ['dns1.registrar-servers.com', 'dns2.registrar-servers.com']
            : domain.nameservers;
          return okReply(
            command,
            `<DomainDNSGetListResult Domain="${xmlEscape(
              domain.name,
            )}" IsUsingOurDNS="${domain.usingOurDns}">${list
              .map(host => `<Nameserver>${xmlEscape(host)}</Nameserver>`)
              .join('')}</DomainDNSGetListResult>`,
          );
        }
        const nameservers = (params.get('nameservers') ?? '')
          .split(',')
          .map(host => host.trim())
          .filter(Boolean);
        if (nameservers.length < 2 || nameservers.length > 12) {
          return errorReply(command, [
            ['2011280', 'Nameservers should be between 2 and 12'],
          ]);
        }
        domain.nameservers = nameservers;
        domain.usingOurDns = false;
        return okReply(
          command,
          `<DomainDNSSetCustomResult Domain="${xmlEscape(
            domain.name,
          )}" Updated="true" />`,
        );
      }
      default:
        return errorReply(command, [['1010900', 'Invalid Command']]);
    }
  }
}

function envelope(
  status: 'OK' | 'ERROR',
  command: string,
  errors: string,
  inner: string,
): string {
  return [
    '<?xml version="1.0" encoding="utf-8"?>\r\n',
    `<ApiResponse Status="${status}" xmlns="http://api.namecheap.com/xml.response">`,
    errors,
    `<Warnings /><RequestedCommand>${xmlEscape(command)}</RequestedCommand>`,
    inner,
    '<Server>FAKE-API</Server><GMTTimeDifference>--5:00</GMTTimeDifference>',
    '<ExecutionTime>0.012</ExecutionTime></ApiResponse>',
  ].join('');
}

function okReply(command: string, inner: string): FakeReply {
  return {
    status: 200,
    headers: { 'Content-Type': 'text/xml; charset=utf-8' },
    body: envelope(
      'OK',
      command,
      '<Errors />',
      `<CommandResponse Type="${xmlEscape(
        command,
      )}">${inner}</CommandResponse>`,
    ),
  };
}

function errorReply(
  command: string,
  errors: Array<[string, string]>,
  status = 200,
): FakeReply {
  const list = errors
    .map(
      ([number, message]) =>
        `<Error Number="${number}">${xmlEscape(message)}</Error>`,
    )
    .join('');
  return {
    status,
    headers: { 'Content-Type': 'text/xml; charset=utf-8' },
    body: envelope(
      'ERROR',
      command,
      `<Errors>${list}</Errors>`,
      '<CommandResponse />',
    ),
  };
}

function xmlEscape(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
