#!/usr/bin/env node
/* eslint-disable no-console */
// A local Hetzner Cloud API for machines that cannot reach api.hetzner.cloud: the embedded default portal
// (`./catalyst start`, which provisions with the offline infra/sandbox module) and the browser tests.
// It implements what Catalyst's credential check calls — `GET /v1/servers` with Bearer authentication — and
// answers in Hetzner's documented shapes: `{servers, meta}` on success and `{error: {code, message}}` with 401
// for a token it does not accept.
//
//   node scripts/hetzner-sandbox-api.js --port 8082 --token <token>      accept exactly these tokens
//   node scripts/hetzner-sandbox-api.js --port 8082 --any-token          accept any token shaped like Hetzner's
const http = require('node:http');

const TOKEN_SHAPE = /^[A-Za-z0-9]{64}$/;

function startHetznerSandboxApi({
  port,
  host = '127.0.0.1',
  acceptedTokens = [],
  anyToken = false,
}) {
  const accepts = token =>
    anyToken ? TOKEN_SHAPE.test(token) : acceptedTokens.includes(token);
  const server = http.createServer((req, res) => {
    const send = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET' || url.pathname !== '/v1/servers') {
      send(404, { error: { code: 'not_found', message: 'not found' } });
      return;
    }
    const auth = req.headers.authorization ?? '';
    const token = auth.startsWith('Bearer ')
      ? auth.slice('Bearer '.length)
      : '';
    if (!accepts(token)) {
      send(401, {
        error: { code: 'unauthorized', message: 'unable to authenticate' },
      });
      return;
    }
    send(200, {
      servers: [],
      meta: {
        pagination: {
          page: 1,
          per_page: Number(url.searchParams.get('per_page') ?? 25),
          previous_page: null,
          next_page: null,
          last_page: 1,
          total_entries: 0,
        },
      },
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

module.exports = { startHetznerSandboxApi, TOKEN_SHAPE };

if (require.main === module) {
  const args = process.argv.slice(2);
  const port = Number(args[args.indexOf('--port') + 1]);
  const acceptedTokens = args.flatMap((a, i) =>
    a === '--token' ? [args[i + 1]] : [],
  );
  const anyToken = args.includes('--any-token');
  if (!port) {
    console.error(
      'usage: hetzner-sandbox-api.js --port <port> (--token <token>... | --any-token)',
    );
    process.exit(2);
  }
  startHetznerSandboxApi({ port, acceptedTokens, anyToken }).then(
    () => console.log(`Hetzner sandbox API on http://127.0.0.1:${port}/v1`),
    error => {
      console.error(`Hetzner sandbox API could not start: ${error.message}`);
      process.exit(1);
    },
  );
}
