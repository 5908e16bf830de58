import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import { Request } from 'express';

/**
 * Writers are either backend services (the scaffolder actions, the watcher), which are trusted by their service
 * token, or users who hold the given permission.
 */
export async function authorizeServiceOrUser(
  req: Request,
  deps: { httpAuth: HttpAuthService; permissions: PermissionsService },
  permission: BasicPermission,
) {
  const credentials = await deps.httpAuth.credentials(req, {
    allow: ['user', 'service'],
  });
  if (credentials.principal.type === 'user') {
    const [decision] = await deps.permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Permission '${permission.name}' is required for this request`,
      );
    }
  }
  return credentials;
}
