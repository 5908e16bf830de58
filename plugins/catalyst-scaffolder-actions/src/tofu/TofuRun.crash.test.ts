import { mockServices } from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import execa from 'execa';
import fs from 'node:fs/promises';
import path from 'node:path';
import { findPgLockHolders } from './pgStateLock';
import { parseSovereignTofuInput } from './sovereignTofuInput';
import {
  processAlive,
  readHolders,
  THIS_REPLICA,
  writeHolder,
} from './TofuHolder';
import {
  LOCAL_LOCK_FILE,
  parseTofuSessionName,
  sovereignSessionTag,
  TofuRun,
} from './TofuRun';
import { readTofuSettings } from './TofuSettings';
import {
  dropSchema,
  makeTempDir,
  pgConnectionString,
  SANDBOX_MODULE,
  sandboxVariant,
  sovereignInput,
  TEST_BINARY,
  tofuTestConfig,
  uniqueFqdn,
} from './tofuTestFixtures';
import { stateSchemaName } from './TofuWorkspace';

// Integration test with the real terraform binary: what a crashed backend leaves behind (a lock, an orphaned
// tofu process) and what the next attempt does about it.

jest.setTimeout(180_000);

const secrets = { hetznerToken: `hcloud-${'s3cr3t'.repeat(11)}` };

const slowModule = () =>
  sandboxVariant({
    'slow.tf': `
resource "terraform_data" "slow" {
  provisioner "local-exec" {
    command = "sleep 120"
  }
}
`,
  });

/** A replica id naming a backend process on this host that has exited. */
async function deadReplica(): Promise<string> {
  const gone = execa('true');
  await gone;
  expect(processAlive(gone.pid!)).toBe(false);
  return THIS_REPLICA.replace(/-\d+-/, `-${gone.pid}-`);
}

/**
 * Starts `terraform apply` the way a backend that then died would have: its own process group, a holder record
 * naming `replica`, for pg a session named after `replica`. Resolves once the slow resource is being created
 * (the state is locked).
 */
async function startOrphanApply(options: {
  dir: string;
  secretEnv: Record<string, string>;
  replica: string;
  pgUrl?: string;
}) {
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    ...options.secretEnv,
    TF_IN_AUTOMATION: 'true',
  };
  if (options.pgUrl) {
    const url = new URL(options.pgUrl);
    url.searchParams.set(
      'application_name',
      `catalyst-tofu/${options.replica}`,
    );
    env.PG_CONN_STR = url.toString();
  }
  const child = execa(
    TEST_BINARY,
    ['apply', '-auto-approve', '-input=false', '-no-color'],
    { cwd: options.dir, env, detached: true, reject: false, buffer: false },
  );
  await writeHolder(options.dir, {
    replica: options.replica,
    tofuPid: child.pid!,
    command: `${TEST_BINARY} apply`,
    startedAt: new Date().toISOString(),
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', chunk => {
      out += String(chunk);
      if (out.includes('terraform_data.slow: Creating')) resolve();
    });
    child.on('exit', () => reject(new Error(`apply ended early: ${out}`)));
  });
  // Wrapped: a child process is a thenable, an async function would wait for it.
  return { process: child };
}

function settingsFor(modulePath: string, workDir: string, pgUrl?: string) {
  return readTofuSettings(
    tofuTestConfig({
      modulePath,
      workDir,
      ...(pgUrl ? { stateBackend: 'pg', pgConnectionString: pgUrl } : {}),
    }),
  );
}

async function stage(
  modulePath: string,
  workDir: string,
  fqdn: string,
  pgUrl?: string,
) {
  const input = parseSovereignTofuInput(
    sovereignInput(fqdn),
    secrets,
    'task-crash',
  );
  const logger = mockServices.logger.mock();
  const tofu = await TofuRun.stage({
    settings: settingsFor(modulePath, workDir, pgUrl),
    ...input,
    logger,
  });
  await tofu.init();
  return { tofu, logger, secretEnv: input.secretEnv };
}

const warnings = (logger: ReturnType<typeof mockServices.logger.mock>) =>
  logger.warn.mock.calls.map(c => String(c[0]));

describe('tofu after a crashed backend (local state)', () => {
  it('is not blocked by what a SIGKILLed tofu left behind: the file lock died with the process', async () => {
    const workDir = await makeTempDir('work');
    const fqdn = uniqueFqdn('stale');
    const first = await stage(await slowModule(), workDir, fqdn);
    const { process: orphan } = await startOrphanApply({
      dir: first.tofu.dir,
      secretEnv: first.secretEnv,
      replica: await deadReplica(),
    });
    // The whole machine went down: tofu died with the backend, the lock file stayed.
    process.kill(-orphan.pid!, 'SIGKILL');
    await orphan;
    const lockFile = path.join(first.tofu.dir, LOCAL_LOCK_FILE);
    const lockId = JSON.parse(await fs.readFile(lockFile, 'utf8')).ID;
    expect(lockId).toBeTruthy();

    const next = await stage(SANDBOX_MODULE, workDir, fqdn);
    // What the killed apply finished is in the state already; the next apply adds the rest, once.
    await next.tofu.apply();
    // Nothing had to be unlocked or interrupted: the leftover lock description is not a lock.
    expect(warnings(next.logger).join('\n')).not.toMatch(
      /leaving the lock alone|outlived its backend|terminating/,
    );
    expect(await next.tofu.managedResourceCount()).toBe(4);
  });

  it('interrupts a tofu that outlived its backend, so it saves its state and releases the lock', async () => {
    const workDir = await makeTempDir('work');
    const fqdn = uniqueFqdn('orphan');
    const first = await stage(await slowModule(), workDir, fqdn);
    const { process: orphan } = await startOrphanApply({
      dir: first.tofu.dir,
      secretEnv: first.secretEnv,
      replica: await deadReplica(),
    });

    const next = await stage(SANDBOX_MODULE, workDir, fqdn);
    await next.tofu.apply();
    expect(processAlive(orphan.pid!)).toBe(false);
    expect(warnings(next.logger).join('\n')).toContain('outlived its backend');
    // The orphan was interrupted, not killed: it saved what it had created, and the next apply completed it.
    expect(await next.tofu.managedResourceCount()).toBe(4);
    await expect(
      fs.access(path.join(next.tofu.dir, LOCAL_LOCK_FILE)),
    ).rejects.toThrow();
  });

  it("never touches a live backend's lock", async () => {
    const workDir = await makeTempDir('work');
    const fqdn = uniqueFqdn('live');
    const first = await stage(await slowModule(), workDir, fqdn);
    // The holder is this very backend: it is running.
    const { process: holder } = await startOrphanApply({
      dir: first.tofu.dir,
      secretEnv: first.secretEnv,
      replica: THIS_REPLICA,
    });
    try {
      const next = await stage(SANDBOX_MODULE, workDir, fqdn);
      const error = await next.tofu.apply().catch(e => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect(processAlive(holder.pid!)).toBe(true);
      await fs.access(path.join(next.tofu.dir, LOCAL_LOCK_FILE));
      expect((await readHolders(next.tofu.dir)).map(h => h.tofuPid)).toEqual([
        holder.pid,
      ]);
      expect(warnings(next.logger).join('\n')).toContain(
        'of a running backend',
      );
    } finally {
      process.kill(-holder.pid!, 'SIGKILL');
      await holder;
    }
  });

  it('on shutdown interrupts its own tofu runs gracefully and leaves their tasks unsettled', async () => {
    const workDir = await makeTempDir('work');
    const fqdn = uniqueFqdn('sigterm');
    const { tofu, logger } = await stage(await slowModule(), workDir, fqdn);
    let settled = false;
    const running = tofu.apply().finally(() => {
      settled = true;
    });
    running.catch(() => undefined);
    await new Promise<void>(resolve => {
      const poll = setInterval(() => {
        if (
          logger.info.mock.calls.some(c =>
            String(c[0]).includes('terraform_data.slow: Creating'),
          )
        ) {
          clearInterval(poll);
          resolve();
        }
      }, 50);
    });
    await TofuRun.shutdown();
    // tofu got SIGINT, saved its state and released the lock before shutdown() returned.
    await expect(
      fs.access(path.join(tofu.dir, LOCAL_LOCK_FILE)),
    ).rejects.toThrow();
    const state = JSON.parse(
      await fs.readFile(path.join(tofu.dir, 'terraform.tfstate'), 'utf8'),
    );
    expect(state.resources.length).toBeGreaterThan(0);
    await new Promise(resolve => setTimeout(resolve, 500));
    expect(settled).toBe(false);
    expect(warnings(logger).join('\n')).toContain(
      'the backend is shutting down',
    );
  });
});

const pgUrl = pgConnectionString();
if (process.env.CATALYST_TEST_REQUIRE_POSTGRES && !pgUrl) {
  throw new Error(
    'CATALYST_TEST_REQUIRE_POSTGRES is set but BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is not',
  );
}

(pgUrl ? describe : describe.skip)(
  'tofu after a crashed backend (pg state)',
  () => {
    const schemas: string[] = [];
    afterAll(async () => {
      for (const schema of schemas) await dropSchema(pgUrl!, schema);
    });

    async function orphanOn(fqdn: string, replica: string) {
      schemas.push(stateSchemaName(fqdn));
      // The crashed replica's own workdir.
      const first = await stage(
        await slowModule(),
        await makeTempDir('work'),
        fqdn,
        pgUrl,
      );
      const { process: orphan } = await startOrphanApply({
        dir: first.tofu.dir,
        secretEnv: first.secretEnv,
        replica,
        pgUrl,
      });
      const holders = await findPgLockHolders(pgUrl!, stateSchemaName(fqdn));
      expect(holders).toEqual([
        {
          pid: expect.any(Number),
          applicationName: `catalyst-tofu/${replica}`,
        },
      ]);
      return { process: orphan };
    }

    it("terminates the session of an orphan whose backend is gone, from another replica's workdir", async () => {
      const fqdn = uniqueFqdn('pgorphan');
      const { process: orphan } = await orphanOn(fqdn, await deadReplica());
      try {
        const next = await stage(
          SANDBOX_MODULE,
          await makeTempDir('work'),
          fqdn,
          pgUrl,
        );
        const summary = await next.tofu.apply();
        expect(summary.added).toBe(4);
        expect(warnings(next.logger).join('\n')).toMatch(
          /which is gone; terminating session \d+/,
        );
        expect(await next.tofu.managedResourceCount()).toBe(4);
      } finally {
        process.kill(-orphan.pid!, 'SIGKILL');
        await orphan;
      }
      expect(await findPgLockHolders(pgUrl!, stateSchemaName(fqdn))).toEqual(
        [],
      );
    });

    it("waits while another Sovereign's first run holds the creation lock, then applies", async () => {
      // Every first run of a Sovereign holds the pg backend's creation lock (one key for the whole database)
      // until it has written its state: a concurrent first run of another Sovereign must wait, not fail.
      const first = uniqueFqdn('pgcreating');
      const second = uniqueFqdn('pgwaiting');
      schemas.push(stateSchemaName(first), stateSchemaName(second));
      const holderRun = await stage(
        await sandboxVariant({
          'slow.tf': `
resource "terraform_data" "slow" {
  provisioner "local-exec" {
    command = "sleep 8"
  }
}
`,
        }),
        await makeTempDir('work'),
        first,
        pgUrl,
      );
      const { process: holder } = await startOrphanApply({
        dir: holderRun.tofu.dir,
        secretEnv: holderRun.secretEnv,
        // A live backend (this process) applying `first`, named as TofuRun names its sessions.
        replica: `${THIS_REPLICA}/${sovereignSessionTag(first)}`,
        pgUrl,
      });
      const next = await stage(
        SANDBOX_MODULE,
        await makeTempDir('work'),
        second,
        pgUrl,
      );
      const summary = await next.tofu.apply();
      expect(summary.added).toBe(4);
      expect(await next.tofu.managedResourceCount()).toBe(4);
      expect(
        next.logger.info.mock.calls.map(c => String(c[0])).join('\n'),
      ).toMatch(/Another Sovereign's first \S+ run is creating its state/);
      // The other Sovereign's run was left alone and finished.
      expect((await holder).exitCode).toBe(0);
    });

    it('reads the replica and the Sovereign from a tofu session name', () => {
      expect(
        parseTofuSessionName(
          `catalyst-tofu/${THIS_REPLICA}/${sovereignSessionTag('a.example')}`,
        ),
      ).toEqual({
        replica: THIS_REPLICA,
        tag: sovereignSessionTag('a.example'),
      });
      expect(parseTofuSessionName(`catalyst-tofu/${THIS_REPLICA}`)).toEqual({
        replica: THIS_REPLICA,
        tag: undefined,
      });
      expect(parseTofuSessionName('psql')).toBeUndefined();
      expect(sovereignSessionTag('a.example')).not.toBe(
        sovereignSessionTag('b.example'),
      );
    });

    it("leaves a live backend's session and lock alone", async () => {
      const fqdn = uniqueFqdn('pglive');
      const { process: holder } = await orphanOn(fqdn, THIS_REPLICA);
      try {
        const next = await stage(
          SANDBOX_MODULE,
          await makeTempDir('work'),
          fqdn,
          pgUrl,
        );
        const error = await next.tofu.apply().catch(e => e);
        expect(error).toBeInstanceOf(ConflictError);
        expect(
          await findPgLockHolders(pgUrl!, stateSchemaName(fqdn)),
        ).toHaveLength(1);
      } finally {
        process.kill(-holder.pid!, 'SIGKILL');
        await holder;
      }
    });
  },
);
