import {
  BackstageCredentials,
  BackstageServicePrincipal,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  checkDomainName,
  normalizeDomainInput,
  pdmAllocationManagePermission,
} from '@catalyst/plugin-catalyst-common';
import { Dns01Access, Dns01Credentials } from '../dns01/Dns01Access';
import { PdmApiError } from './PdmApiError';
import { requirePdmPermission } from './pdmAccess';

/**
 * Hands a Sovereign's DNS-01 key with its secret to the provisioning run that gives it to the new cluster. Only
 * the configured service principals (the scaffolder backend by default) holding the allocation permission may
 * read it; users never can. Pool parent zones have no key. The secret is never logged.
 */
export class Dns01KeyService {
  private readonly readers: Set<string>;

  constructor(
    private readonly options: {
      dns01: Dns01Access;
      permissions: PermissionsService;
      logger: LoggerService;
      poolDomains: string[];
      /** Service principals that may read keys; default: the scaffolder backend only. */
      readers?: string[];
    },
  ) {
    this.readers = new Set(options.readers ?? ['plugin:scaffolder']);
  }

  async read(
    credentials: BackstageCredentials<BackstageServicePrincipal>,
    fqdnValue: string,
  ): Promise<Dns01Credentials> {
    const subject = credentials.principal.subject;
    if (!this.readers.has(subject)) {
      throw new PdmApiError(
        403,
        'forbidden',
        `${subject} may not read DNS-01 keys`,
      );
    }
    await requirePdmPermission(
      this.options.permissions,
      credentials,
      pdmAllocationManagePermission,
    );
    const fqdn = normalizeDomainInput(fqdnValue).replace(/\.$/, '');
    const problem = checkDomainName(fqdn);
    if (problem) {
      throw new PdmApiError(422, 'invalid-domain', `fqdn ${problem}`);
    }
    if (this.options.poolDomains.includes(fqdn)) {
      throw new PdmApiError(
        422,
        'pool-domain',
        `${fqdn} is a pool's parent zone; it has no DNS-01 key`,
      );
    }
    const key = await this.options.dns01.credentials(fqdn);
    if (!key) {
      throw new PdmApiError(
        404,
        'not-found',
        `${fqdn} has no DNS-01 key: it is not a reserved, active or bring-your-own Sovereign zone`,
      );
    }
    this.options.logger.info(
      `Handed the DNS-01 key ${key.keyName} to ${subject}`,
    );
    return key;
  }
}
