#!/usr/bin/env node
/* eslint-disable no-console */
// A local stand-in for a new Sovereign's Kubernetes API, used only where no cluster exists: the embedded default
// portal (`./catalyst start`, which provisions with the offline infra/sandbox module), the browser tests and the
// watcher's tests. A real Sovereign is watched through its real API server with the same watcher code.
//
// It speaks the part of the Kubernetes API Catalyst's Phase 1 watcher uses, in Kubernetes' documented shapes:
//   GET /clusters/<name>/apis/helm.toolkit.fluxcd.io/v2/helmreleases            list (…List, metadata.resourceVersion)
//   GET /clusters/<name>/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations     list
//   …?watch=true&resourceVersion=N&allowWatchBookmarks=true                     watch: one JSON event a line,
//       ADDED / MODIFIED / DELETED / BOOKMARK; a resourceVersion older than the retained history gets an
//       ERROR event with a 410 Expired Status (the client relists)
//   Bearer authentication per cluster (401 Status otherwise); 404 Status for a kind whose CRD is absent.
// and "reconciles" the Sovereign's committed overlay like Flux: every HelmRelease waits for its dependsOn
// (Ready=False DependencyNotReady), then progresses, then is Ready=True, with small delays.
//
// Control routes (loopback only, no authentication: this is a development stand-in):
//   POST /_standin/clusters        {name, gitops: {repoUrl, branch, path}, handoff?: {url, secret}, faults?}
//        creates the cluster from the overlay in git, answers {kubeconfig}; with `handoff` it PUTs the kubeconfig
//        to Catalyst with the bearer secret (the way the real cloud-init does), retrying every failure 60 times.
//   PUT  /_standin/faults/<name>   faults for a cluster created later (e.g. by a provisioning run)
//   POST /_standin/clusters/<name>/drop-watches   closes every watch and compacts the history (forces a 410)
//   GET  /_standin/clusters/<name> the cluster's objects, for debugging
//
// Faults: {neverReady: [release…]} stays Progressing; {missingCrd: [release…]} fails its install because a CRD is
// missing (InstallFailed, Stalled); {dropWatch: true} ends every watch after its first event and compacts the
// history so the reconnect gets 410; {fluxCrdsAfterMs: N} answers 404 for the Flux kinds for N ms.
//
//   node scripts/cluster-standin.js --port 8083 [--step-ms 1500] [--bookmark-ms 2000] [--public-url http://…]
const http = require('node:http');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const KINDS = {
  helmreleases: {
    group: 'helm.toolkit.fluxcd.io',
    version: 'v2',
    kind: 'HelmRelease',
  },
  kustomizations: {
    group: 'kustomize.toolkit.fluxcd.io',
    version: 'v1',
    kind: 'Kustomization',
  },
};
const HISTORY = 500;

function readOverlayReleases(gitops) {
  // The overlay as Flux would read it: a shallow clone of the branch, every YAML document under the path.
  const { parseAllDocuments } = require('yaml');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'standin-overlay-'));
  try {
    execFileSync(
      'git',
      [
        'clone',
        '-q',
        '--depth',
        '1',
        '--branch',
        gitops.branch || 'main',
        gitops.repoUrl,
        dir,
      ],
      { stdio: 'ignore' },
    );
    const root = path.join(dir, gitops.path);
    const releases = [];
    const walk = d => {
      for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
        const full = path.join(d, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (/\.ya?ml$/.test(entry.name)) {
          for (const doc of parseAllDocuments(fs.readFileSync(full, 'utf8'))) {
            const obj = doc.toJS();
            if (obj && obj.kind === 'HelmRelease') releases.push(obj);
          }
        }
      }
    };
    walk(root);
    return releases;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function startClusterStandin({
  port = 0,
  host = '127.0.0.1',
  stepMs = 1500,
  bookmarkMs = 2000,
  publicUrl,
  log = () => {},
} = {}) {
  const clusters = new Map();
  const pendingFaults = new Map();
  let baseUrl;

  const status = (res, code, reason, message) => {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message,
        reason,
        code,
      }),
    );
  };

  function createCluster({ name, gitops, releases, faults }) {
    const existing = clusters.get(name);
    if (existing) existing.stop();
    const f = { ...(pendingFaults.get(name) ?? {}), ...(faults ?? {}) };
    const cluster = {
      name,
      token: crypto.randomBytes(24).toString('hex'),
      faults: f,
      createdAt: Date.now(),
      rv: 1,
      objects: new Map(),
      history: [],
      watches: new Set(),
      state: new Map(),
      timer: undefined,
      stop() {
        clearInterval(cluster.timer);
        for (const w of cluster.watches) w.end();
      },
    };
    const list = releases ?? readOverlayReleases(gitops);
    const put = (plural, obj, type) => {
      cluster.rv += 1;
      obj.metadata.resourceVersion = String(cluster.rv);
      cluster.objects.set(`${plural}/${obj.metadata.name}`, obj);
      const event = {
        type,
        plural,
        rv: cluster.rv,
        object: structuredClone(obj),
      };
      cluster.history.push(event);
      if (cluster.history.length > HISTORY) cluster.history.shift();
      for (const w of cluster.watches) w.send(event);
    };
    cluster.put = put;
    const now = () => new Date().toISOString();
    const condition = (s, reason, message) => ({
      type: 'Ready',
      status: s,
      reason,
      message,
      lastTransitionTime: now(),
    });
    put(
      'kustomizations',
      {
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
        kind: 'Kustomization',
        metadata: { name: 'flux-system', namespace: 'flux-system' },
        spec: { interval: '10m', path: gitops?.path ?? '.', prune: true },
        status: {
          conditions: [
            condition('Unknown', 'Progressing', 'Reconciliation in progress'),
          ],
        },
      },
      'ADDED',
    );
    for (const r of list) {
      const obj = {
        apiVersion: 'helm.toolkit.fluxcd.io/v2',
        kind: 'HelmRelease',
        metadata: {
          name: r.metadata.name,
          namespace: r.metadata.namespace ?? 'flux-system',
        },
        spec: {
          ...(r.spec?.dependsOn ? { dependsOn: r.spec.dependsOn } : {}),
          chart: r.spec?.chart,
        },
        status: { conditions: [] },
      };
      cluster.state.set(obj.metadata.name, 'pending');
      put('helmreleases', obj, 'ADDED');
    }
    const inList = (values, n) => Array.isArray(values) && values.includes(n);
    const setReady = (n, conditions) => {
      const obj = structuredClone(cluster.objects.get(`helmreleases/${n}`));
      obj.status = { conditions, observedGeneration: 1 };
      put('helmreleases', obj, 'MODIFIED');
    };
    let tick = 0;
    cluster.timer = setInterval(() => {
      tick += 1;
      if (tick === 1) {
        const ks = structuredClone(
          cluster.objects.get('kustomizations/flux-system'),
        );
        ks.status = {
          conditions: [
            condition(
              'True',
              'ReconciliationSucceeded',
              'Applied revision: main',
            ),
          ],
        };
        put('kustomizations', ks, 'MODIFIED');
      }
      // Flux reconciles every release whose dependencies are ready in the same round.
      const before = new Map(cluster.state);
      for (const [n, st] of before) {
        const obj = cluster.objects.get(`helmreleases/${n}`);
        const deps = (obj.spec.dependsOn ?? []).map(d => d.name);
        const waiting = deps.find(d => before.get(d) !== 'ready');
        if (st === 'pending' || st === 'blocked') {
          if (waiting) {
            if (st !== 'blocked' || cluster.blockedOn?.[n] !== waiting) {
              cluster.blockedOn = {
                ...(cluster.blockedOn ?? {}),
                [n]: waiting,
              };
              cluster.state.set(n, 'blocked');
              setReady(n, [
                condition(
                  'False',
                  'DependencyNotReady',
                  `dependency 'flux-system/${waiting}' is not ready`,
                ),
              ]);
            }
            continue;
          }
          cluster.state.set(n, 'progressing');
          setReady(n, [
            condition(
              'Unknown',
              'Progressing',
              "Running 'install' action with timeout of 5m0s",
            ),
            {
              type: 'Reconciling',
              status: 'True',
              reason: 'Progressing',
              message: 'Running install',
              lastTransitionTime: now(),
            },
          ]);
        } else if (st === 'progressing') {
          if (inList(cluster.faults.neverReady, n)) continue;
          if (inList(cluster.faults.missingCrd, n)) {
            cluster.state.set(n, 'failed');
            setReady(n, [
              condition(
                'False',
                'InstallFailed',
                `Helm install failed for release ${
                  obj.spec.chart?.spec?.chart ?? n
                }: unable to build kubernetes objects from release manifest: resource mapping not found for name: "${n}" namespace: "" from "": no matches for kind "ClusterIssuer" in version "cert-manager.io/v1"\nensure CRDs are installed first`,
              ),
              {
                type: 'Stalled',
                status: 'True',
                reason: 'RetriesExceeded',
                message: 'Failed to install after 4 attempt(s)',
                lastTransitionTime: now(),
              },
            ]);
            continue;
          }
          cluster.state.set(n, 'ready');
          setReady(n, [
            condition(
              'True',
              'InstallSucceeded',
              `Helm install succeeded for release flux-system/${n}.v1 with chart ${
                obj.spec.chart?.spec?.chart ?? n
              }@${obj.spec.chart?.spec?.version ?? '0.0.0'}`,
            ),
          ]);
        }
      }
    }, stepMs);
    clusters.set(name, cluster);
    return cluster;
  }

  function kubeconfigOf(cluster) {
    const server = `${publicUrl ?? baseUrl}/clusters/${cluster.name}`;
    return [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- name: ${cluster.name}`,
      '  cluster:',
      `    server: ${server}`,
      // Plain HTTP on the loopback: client-node only allows http:// with TLS verification switched off.
      '    insecure-skip-tls-verify: true',
      'users:',
      `- name: ${cluster.name}-admin`,
      '  user:',
      `    token: ${cluster.token}`,
      'contexts:',
      `- name: ${cluster.name}`,
      '  context:',
      `    cluster: ${cluster.name}`,
      `    user: ${cluster.name}-admin`,
      `current-context: ${cluster.name}`,
      '',
    ].join('\n');
  }

  async function handOff(cluster, handoff) {
    const url = `${handoff.url.replace(/\/$/, '')}/api/catalyst/v1/sovereigns/${
      cluster.name
    }/kubeconfig`;
    for (let attempt = 1; attempt <= 60; attempt++) {
      try {
        const res = await fetch(url, {
          method: 'PUT',
          headers: {
            authorization: `Bearer ${handoff.secret}`,
            'content-type': 'application/x-yaml',
          },
          body: kubeconfigOf(cluster),
        });
        log(`handoff of ${cluster.name}: HTTP ${res.status}`);
        // Like the cloud-init's `curl -f --retry-all-errors`: every answer but a success is tried again (a backend
        // replica that is still starting answers 404 or 503 for a route it will serve a moment later).
        if (res.ok) return res.status;
      } catch (e) {
        log(`handoff of ${cluster.name} failed: ${e.message}`);
      }
      await new Promise(r => setTimeout(r, 2000));
    }
    return 0;
  }

  function readBody(req) {
    return new Promise((resolve, reject) => {
      let data = '';
      req.on('data', c => {
        data += c;
        if (data.length > 1_000_000) reject(new Error('body too large'));
      });
      req.on('end', () => {
        try {
          resolve(data ? JSON.parse(data) : {});
        } catch (e) {
          reject(e);
        }
      });
    });
  }

  function serveKube(cluster, rest, url, req, res) {
    const auth = req.headers.authorization ?? '';
    if (auth !== `Bearer ${cluster.token}`) {
      status(res, 401, 'Unauthorized', 'Unauthorized');
      return;
    }
    if (rest === '/version') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          major: '1',
          minor: '31',
          gitVersion: 'v1.31.4+k3s-standin',
        }),
      );
      return;
    }
    const m =
      /^\/apis\/([^/]+)\/([^/]+)\/(?:namespaces\/([^/]+)\/)?([^/]+)$/.exec(
        rest,
      );
    const kind = m && KINDS[m[4]];
    if (!kind || kind.group !== m[1] || kind.version !== m[2]) {
      status(
        res,
        404,
        'NotFound',
        'the server could not find the requested resource',
      );
      return;
    }
    const plural = m[4];
    const namespace = m[3];
    if (
      cluster.faults.fluxCrdsAfterMs &&
      Date.now() - cluster.createdAt < cluster.faults.fluxCrdsAfterMs
    ) {
      status(
        res,
        404,
        'NotFound',
        'the server could not find the requested resource',
      );
      return;
    }
    const matches = obj => !namespace || obj.metadata.namespace === namespace;
    if (url.searchParams.get('watch') !== 'true') {
      const items = [...cluster.objects.entries()]
        .filter(([k, o]) => k.startsWith(`${plural}/`) && matches(o))
        .map(([, o]) => o);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          apiVersion: `${kind.group}/${kind.version}`,
          kind: `${kind.kind}List`,
          metadata: { resourceVersion: String(cluster.rv) },
          items,
        }),
      );
      return;
    }
    res.writeHead(200, {
      'content-type': 'application/json',
      'transfer-encoding': 'chunked',
    });
    const write = ev => res.write(`${JSON.stringify(ev)}\n`);
    const from = url.searchParams.get('resourceVersion');
    const bookmarks = url.searchParams.get('allowWatchBookmarks') === 'true';
    const oldest = cluster.history.length
      ? cluster.history[0].rv
      : cluster.rv + 1;
    if (from && from !== '0' && Number(from) < oldest - 1) {
      write({
        type: 'ERROR',
        object: {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: `too old resource version: ${from} (${oldest - 1})`,
          reason: 'Expired',
          code: 410,
        },
      });
      res.end();
      return;
    }
    let sent = 0;
    const watch = {
      send(event) {
        if (event.plural !== plural || !matches(event.object)) return;
        write({ type: event.type, object: event.object });
        sent += 1;
        if (
          cluster.faults.dropWatch &&
          sent >= 1 &&
          !cluster.dropped?.has(plural)
        ) {
          // Fault: the connection drops and the history is compacted, so the reconnect gets 410 Gone.
          cluster.dropped = cluster.dropped ?? new Set();
          cluster.dropped.add(plural);
          cluster.history = [];
          watch.end();
        }
      },
      end() {
        clearInterval(watch.bookmark);
        cluster.watches.delete(watch);
        res.end();
      },
    };
    if (!from || from === '0') {
      for (const [k, o] of cluster.objects) {
        if (k.startsWith(`${plural}/`) && matches(o))
          write({ type: 'ADDED', object: o });
      }
    } else {
      for (const ev of cluster.history)
        if (ev.rv > Number(from)) watch.send(ev);
    }
    if (res.writableEnded) return;
    cluster.watches.add(watch);
    if (bookmarks) {
      watch.bookmark = setInterval(
        () =>
          write({
            type: 'BOOKMARK',
            object: {
              apiVersion: `${kind.group}/${kind.version}`,
              kind: kind.kind,
              metadata: { resourceVersion: String(cluster.rv) },
            },
          }),
        bookmarkMs,
      );
    }
    const timeout = Number(url.searchParams.get('timeoutSeconds') ?? 0);
    if (timeout > 0) setTimeout(() => watch.end(), timeout * 1000);
    req.on('close', () => watch.end());
  }

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      const kube = /^\/clusters\/([a-z0-9-]+)(\/.*)$/.exec(url.pathname);
      if (kube && req.method === 'GET') {
        const cluster = clusters.get(kube[1]);
        if (!cluster) {
          status(res, 401, 'Unauthorized', 'Unauthorized');
          return;
        }
        serveKube(cluster, kube[2], url, req, res);
        return;
      }
      const send = (code, body) => {
        res.writeHead(code, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method === 'POST' && url.pathname === '/_standin/clusters') {
        const body = await readBody(req);
        if (!/^[a-z0-9-]{1,63}$/.test(body.name ?? '')) {
          send(400, { error: 'name must be a Sovereign entity name' });
          return;
        }
        if (!body.releases && !body.gitops?.repoUrl) {
          send(400, { error: 'gitops.repoUrl (or releases) is required' });
          return;
        }
        const cluster = createCluster(body);
        log(
          `cluster ${cluster.name} created with ${cluster.state.size} HelmReleases`,
        );
        if (body.handoff?.url && body.handoff?.secret) {
          void handOff(cluster, body.handoff);
        }
        send(201, { name: cluster.name, kubeconfig: kubeconfigOf(cluster) });
        return;
      }
      const faults = /^\/_standin\/faults\/([a-z0-9-]+)$/.exec(url.pathname);
      if (faults && req.method === 'PUT') {
        pendingFaults.set(faults[1], await readBody(req));
        send(200, { name: faults[1], faults: pendingFaults.get(faults[1]) });
        return;
      }
      const drop = /^\/_standin\/clusters\/([a-z0-9-]+)\/drop-watches$/.exec(
        url.pathname,
      );
      if (drop && req.method === 'POST' && clusters.has(drop[1])) {
        const cluster = clusters.get(drop[1]);
        cluster.history = [];
        for (const w of [...cluster.watches]) w.end();
        send(200, { dropped: true });
        return;
      }
      const show = /^\/_standin\/clusters\/([a-z0-9-]+)$/.exec(url.pathname);
      if (show && req.method === 'GET' && clusters.has(show[1])) {
        const cluster = clusters.get(show[1]);
        send(200, {
          name: cluster.name,
          resourceVersion: cluster.rv,
          states: Object.fromEntries(cluster.state),
          faults: cluster.faults,
        });
        return;
      }
      send(404, { error: 'not found' });
    } catch (e) {
      if (!res.headersSent) {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: e.message }));
      }
    }
  });
  return new Promise(resolve => {
    server.listen(port, host, () => {
      const address = server.address();
      baseUrl = `http://${host}:${address.port}`;
      resolve({
        url: baseUrl,
        port: address.port,
        clusters,
        close: () =>
          new Promise(r => {
            for (const c of clusters.values()) c.stop();
            server.closeAllConnections?.();
            server.close(() => r());
          }),
      });
    });
  });
}

module.exports = { startClusterStandin };

if (require.main === module) {
  const args = process.argv.slice(2);
  const opt = name => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  startClusterStandin({
    port: Number(opt('--port') ?? 8083),
    stepMs: Number(opt('--step-ms') ?? 1500),
    bookmarkMs: Number(opt('--bookmark-ms') ?? 2000),
    publicUrl: opt('--public-url'),
    log: m => console.log(`${new Date().toISOString()} ${m}`),
  }).then(({ url }) => {
    console.log(`cluster stand-in listening on ${url}`);
  });
}
