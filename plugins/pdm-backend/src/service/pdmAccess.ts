import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import { PdmApiError } from './PdmApiError';
import { optionalOwner } from './PoolAllocationService';
import { ByoZoneActor } from './ByoZoneService';

/** Refuses with PDM's 403 `forbidden` unless the caller holds `permission`. */
export async function requirePdmPermission(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  permission: BasicPermission,
): Promise<void> {
  const [decision] = await permissions.authorize([{ permission }], {
    credentials,
  });
  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new PdmApiError(
      403,
      'forbidden',
      `permission ${permission.name} is required`,
    );
  }
}

/**
 * Who acts on a BYO zone: `createdBy` (the provisioning task, e.g. `catalyst/<taskId>`; defaults to the caller),
 * and the Sovereign and owning group the zone serves.
 */
export function byoActorOf(
  credentials: BackstageCredentials,
  body: Record<string, unknown>,
): ByoZoneActor {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  const caller =
    principal.type === 'user'
      ? principal.userEntityRef!
      : principal.subject ?? 'service';
  const text = (value: unknown, field: string) => {
    if (value === undefined || value === null || value === '') {
      return undefined;
    }
    if (typeof value !== 'string' || value.length > 253) {
      throw new PdmApiError(
        422,
        'invalid-body',
        `${field} must be a string of at most 253 characters`,
      );
    }
    return value.trim();
  };
  return {
    createdBy: text(body.createdBy, 'createdBy') ?? caller,
    sovereignFQDN: text(body.sovereignFQDN, 'sovereignFQDN')
      ?.toLowerCase()
      .replace(/\.$/, ''),
    owner: optionalOwner(body.owner),
  };
}
