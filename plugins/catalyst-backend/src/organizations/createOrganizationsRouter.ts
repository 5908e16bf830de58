import { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { OrganizationStore } from './OrganizationStore';

/** `/v1/organizations/records`: the Organizations for the catalog's `catalyst-organizations` provider. */
export function createOrganizationsRouter(options: {
  organizations: OrganizationStore;
  httpAuth: HttpAuthService;
}): express.Router {
  const { organizations, httpAuth } = options;
  const router = Router();
  router.get('/v1/organizations/records', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service'] });
    res.json({ items: await organizations.list() });
  });
  return router;
}
