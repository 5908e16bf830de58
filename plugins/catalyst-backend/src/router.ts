import express from 'express';
import Router from 'express-promise-router';

/**
 * The plugin's router is a composition of feature routers, each owning its own `/v1/...` paths
 * (sovereigns, credentials, sshkey, catalog-data, and later vouchers). Each is built and tested on its own.
 */
export function createRouter(routers: express.Router[]): express.Router {
  const router = Router();
  router.use(express.json({ limit: '1mb' }));
  for (const child of routers) {
    router.use(child);
  }
  return router;
}
