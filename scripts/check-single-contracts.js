#!/usr/bin/env node
/* eslint-disable no-console */
// Fails when a piece of an API contract is declared again outside its one home (docs/api-contracts.md): the
// copies drift apart silently, and only a caller that happens to test the changed field notices.
const fs = require('node:fs');
const path = require('node:path');

const repo = path.resolve(__dirname, '..');
const rules = [
  {
    what: 'the catalog data loader',
    pattern: /function loadCatalystData\s*\(/,
    home: 'plugins/catalyst-node/src/catalystData.ts',
  },
  {
    what: 'the domain modes',
    pattern: /\[\s*'pool',\s*'byo-manual',\s*'byo-api',?\s*\]/,
    home: 'plugins/catalyst-common/src/wizard/requestVocabulary.ts',
  },
  {
    what: 'the DNS-01 setup type',
    pattern: /(interface|type) Dns01Setup\b/,
    home: 'plugins/catalyst-common/src/api/pdmApi.ts',
  },
  {
    what: 'the voucher credit type',
    pattern: /(interface|type) VoucherCredit\b/,
    home: 'plugins/catalyst-common/src/api/vouchersApi.ts',
  },
  {
    what: 'the voucher issue request',
    pattern: /(interface|type) IssueVouchersRequest\b/,
    home: 'plugins/catalyst-common/src/api/vouchersApi.ts',
  },
  {
    what: "PDM's reference error body",
    pattern: /\{\s*error:\s*'[a-z-]+',\s*detail:/,
    home: 'plugins/pdm-backend/src/service/pdmErrorBody.ts',
  },
  {
    what: "the reader of PDM's error body",
    pattern: /function readPdmError\s*\(/,
    home: 'plugins/catalyst-common/src/api/client/PdmClient.ts',
  },
  {
    what: 'the mapping of answer statuses to @backstage/errors types',
    pattern: /case 409:\s*case 410:\s*return new ConflictError/,
    home: 'plugins/catalyst-common/src/api/client/ApiTransport.ts',
  },
  {
    what: 'the network retry of backend-to-backend calls',
    pattern: /const NETWORK_ATTEMPTS\s*=/,
    home: 'plugins/catalyst-node/src/PluginApiClient.ts',
  },
  {
    what: 'the registrar token texts',
    pattern: /hint:\s*'appKey:appSecret:consumerKey'/,
    home: 'plugins/catalyst-common/src/wizard/requestVocabulary.ts',
  },
];

function* sources(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    // Test doubles (__testUtils__, __fixtures__) imitate the real servers on purpose.
    if (
      entry.name === 'node_modules' ||
      entry.name.startsWith('.') ||
      entry.name.startsWith('__')
    ) {
      continue;
    }
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(full);
    else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) {
      yield full;
    }
  }
}

const found = new Map(rules.map(r => [r, []]));
for (const top of ['plugins', 'packages']) {
  for (const file of sources(path.join(repo, top))) {
    const text = fs.readFileSync(file, 'utf8');
    for (const rule of rules) {
      if (rule.pattern.test(text))
        found.get(rule).push(path.relative(repo, file));
    }
  }
}

let failed = false;
for (const [rule, files] of found) {
  const strays = files.filter(f => f !== rule.home);
  if (!files.includes(rule.home)) {
    console.error(`${rule.what}: not found in its home ${rule.home}`);
    failed = true;
  }
  if (strays.length > 0) {
    console.error(
      `${rule.what} is declared outside ${rule.home}: ${strays.join(', ')}`,
    );
    failed = true;
  }
}
if (failed) process.exit(1);
console.log(`API contract pieces: ${rules.length}, each declared once`);
