#!/usr/bin/env node
// The chaos suite (docs/recovery.md, "The chaos suite"): two real backend replicas (packages/backend) on one
// PostgreSQL, the real PowerDNS, a local GitOps remote and the real terraform/tofu binary with the sandbox module.
// A batch of provisions runs over both replicas while the replica that runs a task is SIGKILLed at every step
// boundary in turn and once in the middle of a tofu apply, then restarted. Afterwards every Sovereign must be
// `ready` (one set of machines in its PostgreSQL state, one overlay, its DNS records) or `failed` (its domain free),
// and nothing may be left without a Sovereign: no zone, no overlay, no state lock, no keeper row.
//
// Needs (exported by scripts/lib/services.sh): BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING,
// CATALYST_TEST_PDNS_URL, CATALYST_TEST_PDNS_API_KEY, CATALYST_TEST_PDNS_DNS_PORT.
// Prints exactly one summary line on stdout: `chaos: N kills, N provisions, 0 orphans`; progress goes to stderr.
// Exits non-zero with one line per orphan or inconsistency.
//
//   node scripts/chaos.js [--data .data/chaos] [--provisions 6] [--keep]
'use strict';

const { spawn, execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const exampleValues = JSON.parse(
  fs.readFileSync(
    path.join(root, 'templates/provision-sovereign/example-values.json'),
    'utf8',
  ),
);
const { Client } = require(require.resolve('pg', { paths: [root] }));

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const dataDir = path.resolve(option('data', path.join(root, '.data/chaos')));
const batch = Number(option('provisions', '6'));
const keep = args.includes('--keep');
const maxProvisions = batch * 3;

const pgUrl = new URL(
  required('BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING'),
);
const pdnsUrl = required('CATALYST_TEST_PDNS_URL');
const pdnsKey = required('CATALYST_TEST_PDNS_API_KEY');
const pdnsDnsPort = required('CATALYST_TEST_PDNS_DNS_PORT');

const runId = crypto.randomBytes(3).toString('hex');
const dbPrefix = `chaos_${runId}_`;
const tofuDb = `${dbPrefix}tofu`;
const poolDomain = 'omani.works';
// pdm.poolDomains of app-config.yaml, as PowerDNS names its zones.
const POOL_DOMAINS = ['omani.works.', 'openova.io.'];
const hetznerToken = crypto.randomBytes(32).toString('hex');

// Step boundaries of templates/provision-sovereign in order, and the one kill inside the apply.
const STEPS = [
  'validate',
  'register',
  'reserve',
  'blueprints',
  'overlay',
  'gitops',
  'tofu',
  'commit',
  'register-done',
  'await-ready',
];
const PLAN = [
  ...STEPS.map(step => ({ step, at: 'start' })),
  { step: 'tofu', at: 'apply' },
];

const started = Date.now();
const log = msg =>
  process.stderr.write(
    `[chaos ${((Date.now() - started) / 1000).toFixed(1)}s] ${msg}\n`,
  );
const sleep = ms => new Promise(r => setTimeout(r, ms));

function required(name) {
  const value = process.env[name];
  if (!value) {
    process.stderr.write(
      `chaos: ${name} is not set (scripts/lib/services.sh starts PostgreSQL and PowerDNS)\n`,
    );
    process.exit(2);
  }
  return value;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function pgQuery(database, sql, params = []) {
  const client = new Client({
    host: pgUrl.hostname,
    port: Number(pgUrl.port || 5432),
    user: decodeURIComponent(pgUrl.username || 'postgres'),
    password: decodeURIComponent(pgUrl.password || '') || undefined,
    database,
  });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}
const adminDb = pgUrl.pathname.replace(/^\//, '') || 'postgres';

async function pdns(method, p) {
  const res = await fetch(`${pdnsUrl}/api/v1/servers/localhost${p}`, {
    method,
    headers: { 'X-API-Key': pdnsKey },
  });
  if (!res.ok && res.status !== 404) {
    throw new Error(`PowerDNS ${method} ${p}: ${res.status}`);
  }
  return res.status === 404 ? undefined : res.json();
}

// ── the GitOps remote ──────────────────────────────────────────────────────────────────────────────────────
function prepareGitops(dir) {
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', dir]);
  const seed = fs.mkdtempSync(path.join(os.tmpdir(), 'catalyst-chaos-seed-'));
  execFileSync('git', ['-C', seed, 'init', '-q', '-b', 'main']);
  fs.writeFileSync(
    path.join(seed, 'README.md'),
    '# Sovereign GitOps overlays\n',
  );
  execFileSync('git', ['-C', seed, 'add', 'README.md']);
  execFileSync('git', [
    '-C',
    seed,
    '-c',
    'user.name=Catalyst',
    '-c',
    'user.email=catalyst@localhost',
    'commit',
    '-q',
    '-m',
    'Start the GitOps repository',
  ]);
  execFileSync('git', ['-C', seed, 'push', '-q', dir, 'main']);
  fs.rmSync(seed, { recursive: true, force: true });
}

function overlaysInRepo(repo) {
  const out = execFileSync(
    'git',
    ['--git-dir', repo, 'ls-tree', '--name-only', 'main', 'clusters/'],
    { encoding: 'utf8' },
  );
  return out
    .split('\n')
    .map(l => l.trim())
    .filter(Boolean)
    .map(l => l.replace(/^clusters\//, ''));
}

// ── replicas ───────────────────────────────────────────────────────────────────────────────────────────────
const children = [];
const replicas = [];
function startHelper(name, script, scriptArgs) {
  const out = fs.openSync(path.join(dataDir, `${name}.log`), 'a');
  const child = spawn(process.execPath, [script, ...scriptArgs], {
    stdio: ['ignore', out, out],
  });
  children.push(child);
  return child;
}

class Replica {
  constructor(name, port, common) {
    this.name = name;
    this.port = port;
    this.dir = path.join(dataDir, name);
    this.scaffolderDir = path.join(this.dir, 'scaffolder');
    this.common = common;
    this.child = undefined;
    this.up = false;
    this.starts = 0;
    this.starting = undefined;
    fs.mkdirSync(path.join(this.dir, 'tofu'), { recursive: true });
    fs.writeFileSync(
      path.join(this.dir, 'app-config.replica.yaml'),
      [
        'backend:',
        '  listen:',
        `    port: ${port}`,
        `  workingDirectory: ${this.scaffolderDir}`,
        'scaffolder:',
        '  catalyst:',
        '    tofu:',
        `      workDir: ${path.join(this.dir, 'tofu')}`,
        '',
      ].join('\n'),
    );
  }

  get url() {
    return `http://localhost:${this.port}`;
  }

  /** Starts the backend in a process group of its own; resolves when it answers its readiness check. */
  start() {
    // A fresh replica (a new pod) starts with empty scaffolder scratch space.
    fs.rmSync(this.scaffolderDir, { recursive: true, force: true });
    fs.mkdirSync(this.scaffolderDir, { recursive: true });
    this.starts += 1;
    this.killed = false;
    const logFile = path.join(this.dir, `backend-${this.starts}.log`);
    const out = fs.openSync(logFile, 'a');
    const child = spawn(
      process.execPath,
      [
        path.join(root, 'node_modules/.bin/backstage-cli'),
        'package',
        'start',
        '--config',
        path.join(root, 'app-config.yaml'),
        '--config',
        path.join(dataDir, 'app-config.chaos.yaml'),
        '--config',
        path.join(this.dir, 'app-config.replica.yaml'),
      ],
      {
        cwd: path.join(root, 'packages/backend'),
        // Node's compile cache (kept across runs in .data/) shortens every restart after the first.
        env: {
          ...process.env,
          NODE_COMPILE_CACHE: path.join(root, '.data/chaos-compile-cache'),
          ...this.common,
        },
        stdio: ['ignore', out, out],
        detached: true,
      },
    );
    this.child = child;
    const startedAt = Date.now();
    this.starting = (async () => {
      for (;;) {
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(
            `replica ${this.name} exited during start-up (log: ${path.join(
              this.dir,
              `backend-${this.starts}.log`,
            )})`,
          );
        }
        // backstage-cli stays up when the backend it runs crashes; Node's crash banner says so.
        if (/^Node\.js v\d+/m.test(fs.readFileSync(logFile, 'utf8'))) {
          throw new Error(
            `replica ${this.name} crashed during start-up (log: ${logFile})`,
          );
        }
        try {
          const res = await fetch(`${this.url}/.backstage/health/v1/readiness`);
          if (res.ok) break;
        } catch {
          // not listening yet
        }
        if (Date.now() - startedAt > 300_000) {
          throw new Error(`replica ${this.name} was not ready after 300 s`);
        }
        await sleep(300);
      }
      this.up = true;
      this.starting = undefined;
      log(
        `replica ${this.name} ready on ${this.url} (start ${this.starts}, ${(
          (Date.now() - startedAt) /
          1000
        ).toFixed(0)} s)`,
      );
    })();
    return this.starting;
  }

  /** SIGKILL to the whole process group: the backend and whatever it started in its group (not tofu, which runs
   * in a group of its own and is left as an orphan, as after a crash). */
  kill() {
    this.up = false;
    this.killed = true;
    if (!this.child) return;
    try {
      process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }

  async stop() {
    if (!this.child) return;
    try {
      process.kill(-this.child.pid, 'SIGINT');
    } catch {
      return;
    }
    for (let i = 0; i < 40 && this.child.exitCode === null; i++)
      await sleep(250);
    try {
      process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }

  /** Whether this replica runs the task now: the scaffolder's workspace of a running task is named after it. */
  runs(taskId) {
    return (
      !this.killed &&
      this.child !== undefined &&
      fs.existsSync(path.join(this.scaffolderDir, taskId))
    );
  }
}

// A load balancer in front of the replicas: backend.baseUrl (the kubeconfig hand-off of new clusters) points
// here, and it forwards to a replica that answers.
function startBalancer(port, replicas) {
  let next = 0;
  const server = http.createServer((req, res) => {
    const body = [];
    req.on('data', c => body.push(c));
    req.on('end', () => {
      const order = replicas.map(
        (_, i) => replicas[(next + i) % replicas.length],
      );
      next += 1;
      const attempt = i => {
        const target = order[i];
        if (!target) {
          res.writeHead(502).end('no replica answered');
          return;
        }
        const up = http.request(
          {
            host: '127.0.0.1',
            port: target.port,
            method: req.method,
            path: req.url,
            headers: req.headers,
          },
          upRes => {
            res.writeHead(upRes.statusCode, upRes.headers);
            upRes.pipe(res);
          },
        );
        up.on('error', () => attempt(i + 1));
        up.end(Buffer.concat(body));
      };
      attempt(0);
    });
  });
  return new Promise(resolve =>
    server.listen(port, '127.0.0.1', () => resolve(server)),
  );
}

// ── the scaffolder API ─────────────────────────────────────────────────────────────────────────────────────
async function tokenFrom(replica) {
  const res = await fetch(`${replica.url}/api/auth/local/refresh?user=guest`, {
    method: 'POST',
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  if (!res.ok)
    throw new Error(
      `sign-in on ${replica.name}: ${res.status} ${await res.text()}`,
    );
  return (await res.json()).backstageIdentity.token;
}

async function installableComponents(replica, token) {
  const res = await fetch(`${replica.url}/api/catalyst/v1/catalog-data`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  if (!res.ok) throw new Error(`catalog-data: ${res.status}`);
  const all = (await res.json()).components.components;
  const byId = new Map(all.map(c => [c.id, c]));
  const installable = id =>
    Boolean(byId.get(id)?.blueprint) &&
    byId.get(id).dependsOn.every(installable);
  return all.map(c => c.id).filter(installable);
}

async function createProvision(replica, token, components, subdomain) {
  const res = await fetch(`${replica.url}/api/scaffolder/v2/tasks`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({
      templateRef: 'template:default/provision-sovereign',
      // The template's example values, as the wizard would submit them, with this run's names.
      values: {
        ...exampleValues,
        orgName: `Chaos ${subdomain}`,
        hetznerProjectId: 'proj_chaos',
        components,
        domain: { mode: 'pool', poolDomain, subdomain },
      },
      secrets: { hetznerToken },
    }),
  });
  if (res.status !== 201) {
    throw new Error(
      `creating a provision on ${replica.name}: ${
        res.status
      } ${await res.text()}`,
    );
  }
  return (await res.json()).id;
}

// ── the run ────────────────────────────────────────────────────────────────────────────────────────────────
async function main() {
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });
  const gitopsRepo = path.join(dataDir, 'gitops.git');
  prepareGitops(gitopsRepo);
  await pgQuery(adminDb, `CREATE DATABASE ${tofuDb}`);
  const zonesBefore = new Set(
    ((await pdns('GET', '/zones')) ?? []).map(z => z.name),
  );

  const [balancerPort, standinPort, hetznerPort, portA, portB] =
    await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
  startHelper(
    'cluster-standin',
    path.join(root, 'scripts/cluster-standin.js'),
    ['--port', String(standinPort), '--step-ms', '200'],
  );
  startHelper(
    'hetzner-api',
    path.join(root, 'scripts/hetzner-sandbox-api.js'),
    ['--port', String(hetznerPort), '--any-token'],
  );

  const baseUrl = `http://localhost:${balancerPort}`;
  const tofuConn = new URL(pgUrl);
  tofuConn.pathname = `/${tofuDb}`;
  tofuConn.searchParams.set('sslmode', 'disable');
  // Short timings so that the suite finishes quickly: a dead replica's task is recovered after 5 s without
  // heartbeat, the keeper renews and compensates every 2 s, tofu gets 10 s between SIGINT and SIGKILL.
  fs.writeFileSync(
    path.join(dataDir, 'app-config.chaos.yaml'),
    `${JSON.stringify(
      {
        app: { baseUrl },
        backend: {
          baseUrl,
          cors: { origin: baseUrl },
          database: {
            client: 'pg',
            prefix: dbPrefix,
            connection: {
              host: pgUrl.hostname,
              port: Number(pgUrl.port || 5432),
              user: decodeURIComponent(pgUrl.username || 'postgres'),
              ...(pgUrl.password
                ? { password: decodeURIComponent(pgUrl.password) }
                : {}),
            },
          },
        },
        scaffolder: {
          EXPERIMENTAL_recoverTasksTimeout: { seconds: 5 },
          catalyst: {
            tofu: {
              stateBackend: 'pg',
              pgConnectionString: tofuConn.toString(),
              killGracePeriod: { seconds: 10 },
            },
            provisioning: { keeperPollInterval: { seconds: 2 } },
          },
        },
        pdm: { sweeperInterval: { seconds: 5 } },
        catalyst: { platform: { pollInterval: { seconds: 1 } } },
      },
      null,
      2,
    )}\n`,
  );
  const common = {
    CATALYST_ROOT: root,
    CATALYST_DATA_DIR: dataDir,
    PDNS_API_URL: pdnsUrl,
    PDNS_API_KEY: pdnsKey,
    PDNS_DNS_PORT: pdnsDnsPort,
    CATALYST_GITOPS_REPO_URL: `file://${gitopsRepo}`,
    CATALYST_VOUCHER_CODE_KEY: crypto.randomBytes(32).toString('hex'),
    CATALYST_KUBECONFIG_KEY: crypto.randomBytes(32).toString('hex'),
    CATALYST_SANDBOX_CLUSTER_URL: `http://127.0.0.1:${standinPort}`,
    CATALYST_HETZNER_API_URL: `http://127.0.0.1:${hetznerPort}/v1`,
  };
  replicas.push(
    new Replica('replica-a', portA, common),
    new Replica('replica-b', portB, common),
  );
  await startBalancer(balancerPort, replicas);

  // On a fresh database the first replica runs the migrations alone: Backstage's plugins fail their start-up
  // (MigrationLocked) instead of waiting when another process holds the migration lock. Restarts later run
  // concurrently, as nothing is left to migrate.
  log('starting replica-a (migrations), then replica-b');
  await replicas[0].start();
  await replicas[1].start();

  const token = await tokenFrom(replicas[0]);
  const components = await installableComponents(replicas[0], token);
  const scaffolderDb = `${dbPrefix}scaffolder`;

  const provisions = []; // { taskId, subdomain, fqdn, replica }
  let submitted = 0;
  const submit = async () => {
    const replica =
      replicas.filter(r => r.up)[submitted % 2] ?? replicas.find(r => r.up);
    if (!replica) return;
    const subdomain = `chaos${runId}n${submitted}`;
    submitted += 1;
    const taskId = await createProvision(replica, token, components, subdomain);
    provisions.push({
      taskId,
      subdomain,
      fqdn: `${subdomain}.${poolDomain}`,
      via: replica.name,
    });
    log(`provision ${subdomain} created on ${replica.name} (task ${taskId})`);
  };
  for (let i = 0; i < batch; i++) await submit();

  // Watch the task events in the scaffolder's database and kill at each boundary of the plan in turn.
  const kills = [];
  const restarts = [];
  let afterEvent = 0;
  let planIndex = 0;
  const watch = new Client({
    host: pgUrl.hostname,
    port: Number(pgUrl.port || 5432),
    user: decodeURIComponent(pgUrl.username || 'postgres'),
    password: decodeURIComponent(pgUrl.password || '') || undefined,
    database: scaffolderDb,
  });
  await watch.connect();
  // The plan must be done within 12 minutes, every task must end within 4 minutes after that.
  let deadline = Date.now() + 720_000;
  let planDone = false;
  const pending = () => provisions.filter(p => !p.done);
  const restart = replica => {
    const p = replica.start().catch(error => {
      log(String(error));
      throw error;
    });
    restarts.push(p);
  };
  const applyRunning = replica => {
    // tofu apply records its holder file in the replica's tofu work directory while it runs.
    const tofuDir = path.join(replica.dir, 'tofu');
    for (const sovereign of fs.existsSync(tofuDir)
      ? fs.readdirSync(tofuDir)
      : []) {
      const dir = path.join(tofuDir, sovereign);
      let names = [];
      try {
        names = fs.readdirSync(dir);
      } catch {
        continue;
      }
      for (const name of names.filter(n =>
        n.startsWith('.catalyst-tofu-holder-'),
      )) {
        try {
          const holder = JSON.parse(
            fs.readFileSync(path.join(dir, name), 'utf8'),
          );
          if (String(holder.command ?? '').includes('apply'))
            return { sovereign, holder };
        } catch {
          // being written or removed
        }
      }
    }
    return undefined;
  };

  while (Date.now() < deadline) {
    const events = (
      await watch.query(
        'SELECT id, task_id, body, event_type FROM task_events WHERE id > $1 ORDER BY id',
        [afterEvent],
      )
    ).rows;
    for (const event of events) {
      afterEvent = Math.max(afterEvent, Number(event.id));
      const target = PLAN[planIndex];
      if (!target || event.event_type !== 'log') continue;
      let body;
      try {
        body = JSON.parse(event.body);
      } catch {
        continue;
      }
      const status = target.at === 'finish' ? 'completed' : 'processing';
      if (body.stepId !== target.step || body.status !== status) continue;
      const owner = replicas.find(r => r.runs(event.task_id));
      if (!owner) continue;
      if (target.at === 'apply') {
        // Let the apply get going (state lock taken, resources being created), then kill.
        let running;
        for (let i = 0; i < 100 && !(running = applyRunning(owner)); i++)
          await sleep(100);
        if (!running) continue;
        await sleep(700);
      }
      owner.kill();
      const provision = provisions.find(p => p.taskId === event.task_id);
      kills.push({
        ...target,
        replica: owner.name,
        fqdn: provision?.fqdn ?? event.task_id,
      });
      log(
        `kill ${kills.length}: SIGKILL ${owner.name} at ${target.at} of ${
          target.step
        } (${provision?.fqdn ?? event.task_id})`,
      );
      planIndex += 1;
      restart(owner);
      // The rest of this batch happened before the kill: look again.
      break;
    }
    // Task ends.
    const tasks = (
      await watch.query('SELECT id, status FROM tasks WHERE id = ANY($1)', [
        pending().map(p => p.taskId),
      ])
    ).rows;
    for (const t of tasks) {
      if (
        t.status === 'completed' ||
        t.status === 'failed' ||
        t.status === 'cancelled'
      ) {
        const p = provisions.find(x => x.taskId === t.id);
        p.done = true;
        p.taskStatus = t.status;
        log(`provision ${p.fqdn}: task ${t.status}`);
      }
    }
    if (planIndex < PLAN.length) {
      // Keep work flowing until every boundary had its kill.
      if (pending().length < 2 && submitted < maxProvisions) await submit();
    } else if (pending().length === 0) {
      break;
    } else if (!planDone) {
      planDone = true;
      deadline = Date.now() + 240_000;
      log('kill plan done; waiting for every task to end');
    }
    await sleep(100);
  }
  await watch.end();

  const problems = [];
  if (planIndex < PLAN.length) {
    problems.push(
      `only ${planIndex} of ${PLAN.length} planned kills happened (next: ${PLAN[planIndex].at} of ${PLAN[planIndex].step})`,
    );
  }
  for (const p of pending()) {
    problems.push(
      `${p.fqdn}: task ${p.taskId} still running after the time limit`,
    );
  }
  await Promise.allSettled(restarts);

  // Let the keeper compensate failed tasks and settle (a pass of a killed replica blocks the keeper until its
  // two-minute timeout).
  const settleUntil = Date.now() + 150_000;
  for (;;) {
    const keeperRows = await pgQuery(
      scaffolderDb,
      'SELECT count(*)::int AS n FROM catalyst_reservation_keeper',
    );
    if (keeperRows[0].n === 0 || Date.now() > settleUntil) break;
    await sleep(1000);
  }

  problems.push(...(await verify(provisions, gitopsRepo, zonesBefore)));
  const orphans = problems.length;

  for (const r of replicas) await r.stop();
  for (const c of children) c.kill('SIGTERM');

  const report = {
    runId,
    seconds: Math.round((Date.now() - started) / 1000),
    kills,
    provisions: provisions.map(({ done, ...p }) => p),
    problems,
  };
  fs.writeFileSync(
    path.join(dataDir, 'report.json'),
    `${JSON.stringify(report, null, 2)}\n`,
  );
  for (const problem of problems) process.stderr.write(`chaos: ${problem}\n`);
  if (!keep) await dropDatabases();
  process.stdout.write(
    `chaos: ${kills.length} kills, ${provisions.length} provisions, ${orphans} orphans\n`,
  );
  process.exit(orphans === 0 ? 0 : 1);
}

async function dropDatabases() {
  const dbs = await pgQuery(
    adminDb,
    'SELECT datname FROM pg_database WHERE datname LIKE $1',
    [`${dbPrefix}%`],
  );
  for (const { datname } of dbs) {
    await pgQuery(
      adminDb,
      `DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`,
    ).catch(error => log(`dropping ${datname}: ${error.message}`));
  }
}

// ── the checks ─────────────────────────────────────────────────────────────────────────────────────────────
async function verify(provisions, gitopsRepo, zonesBefore) {
  const problems = [];
  const sovereigns = await pgQuery(
    `${dbPrefix}catalyst`,
    'SELECT name, fqdn, phase, phase_reason, task_id FROM catalyst_sovereigns',
  );
  const byFqdn = new Map(sovereigns.map(s => [s.fqdn, s]));
  const allocations = await pgQuery(
    `${dbPrefix}pdm`,
    'SELECT pool_domain, subdomain, state, sovereign_fqdn, load_balancer_ip FROM pool_allocations',
  );
  const allocation = fqdn =>
    allocations.find(a => `${a.subdomain}.${a.pool_domain}` === fqdn);
  const overlays = overlaysInRepo(gitopsRepo);
  const zonesAfter = ((await pdns('GET', '/zones')) ?? []).map(z => z.name);
  const schemas = new Set(
    (
      await pgQuery(
        tofuDb,
        'SELECT schema_name FROM information_schema.schemata',
      )
    ).map(r => r.schema_name),
  );

  for (const p of provisions) {
    const s = byFqdn.get(p.fqdn);
    if (!s) {
      // A task killed before `register` finished may fail without a record; then nothing else may exist.
      if (allocation(p.fqdn))
        problems.push(`${p.fqdn}: no Sovereign, but PDM holds its name`);
      if (overlays.includes(p.fqdn))
        problems.push(`${p.fqdn}: no Sovereign, but an overlay`);
      if (p.taskStatus === 'completed')
        problems.push(`${p.fqdn}: task completed without a Sovereign`);
      continue;
    }
    p.phase = s.phase;
    if (s.phase === 'ready') {
      if (p.taskStatus !== 'completed') {
        problems.push(
          `${p.fqdn}: Sovereign ready, but its task ended ${p.taskStatus}`,
        );
      }
      const a = allocation(p.fqdn);
      if (!a || a.state !== 'active') {
        problems.push(
          `${p.fqdn}: ready, but its pool allocation is ${
            a ? a.state : 'missing'
          }`,
        );
      }
      if (overlays.filter(o => o === p.fqdn).length !== 1) {
        problems.push(
          `${p.fqdn}: ready, but no overlay clusters/${p.fqdn}/ in the GitOps repository`,
        );
      }
      const zone = await pdns('GET', `/zones/${p.fqdn}.`);
      const apex = zone?.rrsets?.find(
        r => r.name === `${p.fqdn}.` && r.type === 'A',
      );
      if (!zone) problems.push(`${p.fqdn}: ready, but PowerDNS has no zone`);
      else if (!apex || apex.records.length !== 1) {
        problems.push(
          `${p.fqdn}: ready, but its zone has ${
            apex ? apex.records.length : 'no'
          } apex A records`,
        );
      } else if (a && apex.records[0].content !== a.load_balancer_ip) {
        problems.push(
          `${p.fqdn}: apex A ${apex.records[0].content}, but PDM committed ${a.load_balancer_ip}`,
        );
      }
      problems.push(...(await verifyState(p.fqdn, schemas)));
    } else if (s.phase === 'failed') {
      if (p.taskStatus === 'completed')
        problems.push(`${p.fqdn}: task completed, Sovereign failed`);
      if (allocation(p.fqdn))
        problems.push(`${p.fqdn}: failed, but its domain is still held in PDM`);
      if (zonesAfter.includes(`${p.fqdn}.`))
        problems.push(`${p.fqdn}: failed, but PowerDNS still serves its zone`);
    } else {
      problems.push(
        `${p.fqdn}: Sovereign left in phase ${s.phase} (task ${
          p.taskStatus ?? 'running'
        })${s.phase_reason ? `: ${s.phase_reason}` : ''}`,
      );
    }
  }

  const known = new Set(sovereigns.map(s => s.fqdn));
  for (const zone of zonesAfter) {
    // The pool domains' own zones are PDM's, created when it starts.
    if (zonesBefore.has(zone) || POOL_DOMAINS.includes(zone)) continue;
    const fqdn = zone.replace(/\.$/, '');
    if (!known.has(fqdn) || byFqdn.get(fqdn).phase !== 'ready') {
      problems.push(`PowerDNS holds zone ${zone} without a ready Sovereign`);
    }
  }
  for (const overlay of overlays) {
    if (!known.has(overlay))
      problems.push(
        `GitOps repository holds clusters/${overlay}/ without a Sovereign`,
      );
    else if (byFqdn.get(overlay).phase === 'failed') {
      // A failed Sovereign keeps its machines and overlay until it is decommissioned (docs/recovery.md);
      // the overlay must belong to a registered Sovereign, which it does.
    }
  }
  for (const a of allocations) {
    const fqdn = `${a.subdomain}.${a.pool_domain}`;
    if (!known.has(fqdn))
      problems.push(`PDM holds ${fqdn} (${a.state}) without a Sovereign`);
  }

  // No state lock left: no session holds an advisory lock on the tofu database, no tofu process of ours runs.
  const locks = await pgQuery(
    tofuDb,
    `SELECT l.objid, a.application_name, a.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.database = (SELECT oid FROM pg_database WHERE datname = $1)`,
    [tofuDb],
  );
  for (const l of locks) {
    problems.push(
      `state lock ${l.objid} still held by session ${l.pid} (${
        l.application_name || 'unnamed'
      })`,
    );
  }
  const keeper = await pgQuery(
    `${dbPrefix}scaffolder`,
    'SELECT task_id, fqdn, state FROM catalyst_reservation_keeper',
  ).catch(() => []);
  for (const k of keeper) {
    problems.push(
      `reservation keeper row left for ${k.fqdn ?? k.task_id} (${k.state})`,
    );
  }
  return problems;
}

async function verifyState(fqdn, schemas) {
  const problems = [];
  const candidates = [...schemas].filter(s =>
    s.includes(fqdn.replace(/[^a-z0-9]/g, '_')),
  );
  if (candidates.length !== 1) {
    return [
      `${fqdn}: ${candidates.length} tofu state schemas (${
        candidates.join(', ') || 'none'
      })`,
    ];
  }
  const rows = await pgQuery(
    tofuDb,
    `SELECT name, data FROM "${candidates[0]}".states`,
  );
  if (rows.length !== 1) {
    return [`${fqdn}: ${rows.length} state rows in ${candidates[0]}`];
  }
  const state = JSON.parse(rows[0].data);
  const count = type =>
    (state.resources ?? [])
      .filter(r => r.mode === 'managed' && r.name === type)
      .reduce((n, r) => n + r.instances.length, 0);
  // The chaos provisions are solo with one worker: one load balancer, one control plane, one worker.
  for (const [type, expected] of [
    ['load_balancer', 1],
    ['control_plane', 1],
    ['worker', 1],
  ]) {
    if (count(type) !== expected) {
      problems.push(
        `${fqdn}: tofu state holds ${count(
          type,
        )} ${type} machines, expected ${expected}`,
      );
    }
  }
  return problems;
}

main().catch(async error => {
  process.stderr.write(`chaos: ${error.stack ?? error}\n`);
  for (const r of replicas) r.kill();
  for (const c of children) c.kill('SIGTERM');
  if (!keep) await dropDatabases().catch(() => undefined);
  process.stdout.write('chaos: run aborted\n');
  process.exit(1);
});
