import { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';

/**
 * `GET /v1/catalog-data`: the component catalog, node sizes and bootstrap kit, parsed and validated once at
 * startup from the common package's YAML files, so the wizard shows exactly what the actions will use.
 */
export function createCatalogDataRouter(options: {
  data: unknown;
  httpAuth: HttpAuthService;
}): express.Router {
  const router = Router();
  const body = JSON.stringify(options.data);
  router.get('/v1/catalog-data', async (req, res) => {
    await options.httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.type('application/json').send(body);
  });
  return router;
}
