import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import readline from 'node:readline';
import { Readable } from 'node:stream';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, CustomErrorBase } from '@backstage/errors';
import { JsonObject, JsonValue } from '@backstage/types';
import execa from 'execa';
import { TofuChangeSummary, TofuJsonLog, TofuLogLine } from './TofuJsonLog';
import { TofuSettings } from './TofuSettings';
import { stageTofuWorkspace, stateSchemaName } from './TofuWorkspace';
import {
  APPLICATION_NAME_PREFIX,
  clearHolder,
  processAlive,
  readHolders,
  replicaAlive,
  THIS_REPLICA,
  TofuHolder,
  tofuProcessAlive,
  writeHolder,
} from './TofuHolder';
import { findPgLockHolders, terminatePgSession } from './pgStateLock';

/** A tofu command that failed, was cancelled or timed out; the message carries tofu's own error text. */
export class TofuCommandError extends CustomErrorBase {
  name = 'TofuCommandError' as const;
}

interface CommandResult {
  stdout: string[];
  log: TofuJsonLog;
}

const STDERR_TAIL_LINES = 40;

/** Commands that take the state lock. */
const LOCKING_COMMANDS = new Set(['apply', 'destroy', 'plan']);

/** The local backend's lock file, left behind when tofu dies holding it. */
export const LOCAL_LOCK_FILE = '.terraform.tfstate.lock.info';

/** Adds application_name to a PostgreSQL URL or keyword/value connection string. */
function withApplicationName(connection: string, name: string): string {
  if (/^postgres(ql)?:\/\//.test(connection)) {
    const url = new URL(connection);
    url.searchParams.set('application_name', name);
    return url.toString();
  }
  return `${connection} application_name=${name}`;
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/**
 * Names the Sovereign in a tofu session's application_name (`catalyst-tofu/<replica>/<tag>`), so that a run
 * blocked by the pg backend's creation lock can tell whose first run holds it.
 */
export function sovereignSessionTag(fqdn: string): string {
  return crypto.createHash('sha256').update(fqdn).digest('hex').slice(0, 12);
}

/** The replica and Sovereign tag of a Catalyst tofu session, from its application_name. */
export function parseTofuSessionName(
  applicationName: string,
): { replica: string; tag?: string } | undefined {
  if (!applicationName.startsWith(APPLICATION_NAME_PREFIX)) return undefined;
  const [replica, tag] = applicationName
    .slice(APPLICATION_NAME_PREFIX.length)
    .split('/');
  return replica ? { replica, tag } : undefined;
}

/**
 * The pg backend's answer while another run holds the creation lock (`pg_try_advisory_lock(-1)`), which every
 * first run of a Sovereign takes for its whole duration, one key for the whole database.
 */
const CREATION_LOCK_MESSAGE = /Already locked for workspace creation/i;
const CREATION_LOCK_RETRY_MS = [1_000, 2_000, 3_000, 5_000];

/** Every tofu process this backend runs, so a shutdown can interrupt them. */
const liveRuns = new Set<{ shutdown: () => Promise<void> }>();

interface TofuStateModule {
  resources?: { mode?: string }[];
  child_modules?: TofuStateModule[];
}

function countManagedResources(module: TofuStateModule | undefined): number {
  if (!module) return 0;
  const own = (module.resources ?? []).filter(r => r.mode === 'managed');
  return (module.child_modules ?? []).reduce(
    (sum, child) => sum + countManagedResources(child),
    own.length,
  );
}

/** The command a person recognises: `terraform` or `tofu`, never the absolute path it was configured with. */
export function binaryName(binary: string): string {
  return path.basename(binary);
}

/** The CLI configuration file every run uses, in its own work directory. */
export const CLI_CONFIG_FILE = 'catalyst.tfrc';

/**
 * The CLI configuration of a run. Without TF_CLI_CONFIG_FILE, terraform and tofu read `~/.terraformrc` when it
 * exists (an operator's provider mirror or plugin cache) and say nothing when it does not. A TF_CLI_CONFIG_FILE
 * that names a missing file makes them warn about it on every command: such a run gets an empty configuration of
 * its own in its work directory instead.
 */
async function ensureCliConfig(
  dir: string,
  secretEnv: Record<string, string>,
): Promise<Record<string, string>> {
  const configured =
    secretEnv.TF_CLI_CONFIG_FILE ?? process.env.TF_CLI_CONFIG_FILE;
  if (!configured) return {};
  try {
    if ((await fs.stat(configured)).isFile()) return {};
  } catch {
    // Missing: use the run's own below.
  }
  const file = path.join(dir, CLI_CONFIG_FILE);
  await fs.writeFile(
    file,
    '# CLI configuration of Catalyst runs: none beyond the defaults.\n',
    { mode: 0o600 },
  );
  return { TF_CLI_CONFIG_FILE: file };
}

/**
 * The only variables a run inherits from the backend process (docs/ownership-and-keys.md). Everything else —
 * GITHUB_TOKEN, POSTGRES_PASSWORD, PDNS_API_KEY, the voucher key, TF_VAR_*, PG* — stays with the backend: tofu and
 * every provider and provisioner it starts see the allow-listed basics plus what the run itself sets.
 */
export const TOFU_INHERITED_ENV: readonly string[] = Object.freeze([
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LANGUAGE',
  'LC_ALL',
  'LC_CTYPE',
  'TZ',
  'TMPDIR',
  'TERM',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'TF_PLUGIN_CACHE_DIR',
  'TF_CLI_CONFIG_FILE',
  // The offline sandbox module's cluster stand-in (embedded default only): an address, not a secret.
  'CATALYST_SANDBOX_CLUSTER_URL',
]);

/** The environment of a tofu run: the allow-listed inherited variables, the run's secrets and its own settings. */
export function tofuEnvironment(
  processEnv: NodeJS.ProcessEnv,
  secretEnv: Record<string, string>,
  settings: Pick<TofuSettings, 'stateBackend' | 'pgConnectionString'>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of TOFU_INHERITED_ENV) {
    const value = processEnv[name];
    if (value !== undefined) env[name] = value;
  }
  Object.assign(env, secretEnv, {
    TF_IN_AUTOMATION: 'true',
    TF_INPUT: 'false',
    CHECKPOINT_DISABLE: '1',
  });
  if (settings.stateBackend === 'pg' && settings.pgConnectionString) {
    env.PG_CONN_STR = settings.pgConnectionString;
  }
  return env;
}

/**
 * One Sovereign's OpenTofu run: a staged working directory plus the commands on it. Every stdout/stderr line
 * reaches the logger as it arrives; cancellation and timeouts interrupt the whole process group (SIGINT, then
 * SIGKILL after the grace period), which lets tofu release its state lock.
 */
export class TofuRun {
  /** {@link TofuRun.stage}, then `init`: the start of every run that plans, applies or destroys. */
  static async stageAndInit(
    options: Parameters<typeof TofuRun.stage>[0],
  ): Promise<TofuRun> {
    const run = await TofuRun.stage(options);
    await run.init();
    return run;
  }

  /**
   * The backend is stopping (SIGTERM): every running tofu gets SIGINT, which makes it stop after the resources in
   * flight, save the state and release the lock; a process still running after the grace period gets SIGKILL.
   * The interrupted commands never settle, so their tasks stay `processing` and are recovered by a replica
   * instead of being failed (and compensated) by a backend that is going away.
   */
  static async shutdown(): Promise<void> {
    await Promise.all([...liveRuns].map(run => run.shutdown()));
  }

  static async stage(options: {
    settings: TofuSettings;
    fqdn: string;
    variables: JsonObject;
    secretEnv: Record<string, string>;
    logger: LoggerService;
    signal?: AbortSignal;
  }): Promise<TofuRun> {
    const { settings, fqdn, variables, logger } = options;
    const report = await stageTofuWorkspace({ settings, fqdn, variables });
    // Named by what they are, never by the server's absolute paths (the task log is shown to users).
    logger.info(
      `Staged the ${path.basename(
        settings.modulePath,
      )} module in the work directory of ${fqdn}: ${
        report.written.length
      } written, ${report.unchanged.length} unchanged${
        report.removed.length ? `, removed ${report.removed.join(', ')}` : ''
      }; state backend ${settings.stateBackend}; running ${binaryName(
        settings.binary,
      )}`,
    );
    const cliConfig = await ensureCliConfig(report.dir, options.secretEnv);
    return new TofuRun(
      settings,
      fqdn,
      report.dir,
      { ...options.secretEnv, ...cliConfig },
      logger,
      options.signal,
    );
  }

  private readonly env: Record<string, string>;
  private readonly secretValues: string[];
  /** Warnings already shown in this run: tofu repeats some on every command; a person reads each once. */
  private readonly warned = new Set<string>();

  private constructor(
    private readonly settings: TofuSettings,
    private readonly fqdn: string,
    readonly dir: string,
    secretEnv: Record<string, string>,
    private readonly logger: LoggerService,
    private readonly signal?: AbortSignal,
  ) {
    const env = tofuEnvironment(process.env, secretEnv, settings);
    if (env.PG_CONN_STR) {
      // The advisory lock tells nothing about its holder but the session: name the session after this backend.
      env.PG_CONN_STR = withApplicationName(
        env.PG_CONN_STR,
        `${APPLICATION_NAME_PREFIX}${THIS_REPLICA}/${sovereignSessionTag(
          fqdn,
        )}`,
      );
    }
    this.env = env;
    this.secretValues = [
      ...Object.entries(secretEnv)
        .filter(([name]) => name !== 'TF_CLI_CONFIG_FILE')
        .map(([, value]) => value),
      ...(settings.pgConnectionString ? [settings.pgConnectionString] : []),
    ].filter(v => v.length >= 4);
  }

  /** `init`; for the pg backend with the Sovereign's own schema, so its state and lock are its own. */
  async init(): Promise<void> {
    const args = ['init', '-input=false', '-no-color', '-reconfigure'];
    if (this.settings.stateBackend === 'pg') {
      args.push(`-backend-config=schema_name=${stateSchemaName(this.fqdn)}`);
    }
    await this.run(args, { json: false });
  }

  /**
   * `plan -json` without a plan file: a saved plan would hold the sensitive variables in the workdir.
   * `destroy: true` previews a destroy.
   */
  async plan(options: { destroy?: boolean } = {}): Promise<TofuChangeSummary> {
    const args = ['plan', '-input=false', '-no-color', '-json'];
    if (options.destroy) args.push('-destroy');
    const { log } = await this.run(args, { json: true });
    return log.summary;
  }

  /** `apply -json -auto-approve`: plans and applies in one command, reporting "added n/N" as resources finish. */
  async apply(): Promise<TofuChangeSummary> {
    const { log } = await this.run(
      ['apply', '-input=false', '-no-color', '-json', '-auto-approve'],
      { json: true },
    );
    return log.summary;
  }

  async destroy(): Promise<TofuChangeSummary> {
    const { log } = await this.run(
      ['destroy', '-input=false', '-no-color', '-json', '-auto-approve'],
      { json: true },
    );
    return log.summary;
  }

  /** Runs `<command> -json` quietly (its output is never logged) and parses what it printed; nothing is `{}`. */
  private async readJson<T>(command: 'show' | 'output'): Promise<T> {
    const { stdout } = await this.run([command, '-json', '-no-color'], {
      json: false,
      quiet: true,
    });
    try {
      return JSON.parse(stdout.join('\n') || '{}');
    } catch {
      throw new TofuCommandError(
        `${binaryName(
          this.settings.binary,
        )} ${command} -json printed something that is not JSON`,
      );
    }
  }

  /**
   * Number of managed resources in the state (`show -json`). The state is parsed here and never logged: its
   * values can be sensitive. No state at all (an apply that never ran) counts as 0.
   */
  async managedResourceCount(): Promise<number> {
    const parsed = await this.readJson<{
      values?: { root_module?: TofuStateModule };
    }>('show');
    return countManagedResources(parsed.values?.root_module);
  }

  /** `output -json`, reduced to name → value; sensitive outputs are left out. */
  async outputs(): Promise<Record<string, JsonValue>> {
    const parsed = await this.readJson<
      Record<string, { value: JsonValue; sensitive?: boolean }>
    >('output');
    const outputs: Record<string, JsonValue> = {};
    for (const [name, entry] of Object.entries(parsed)) {
      if (!entry.sensitive) outputs[name] = entry.value;
    }
    this.logger.info(`Outputs: ${Object.keys(outputs).join(', ') || 'none'}`);
    return outputs;
  }

  private redact(text: string): string {
    let result = text;
    for (const secret of this.secretValues) {
      result = result.split(secret).join('***');
    }
    return result;
  }

  private emit(line: TofuLogLine) {
    const text = this.redact(line.text);
    if (line.level === 'error') this.logger.error(text);
    else if (line.level === 'warn') {
      if (this.warned.has(text)) return;
      this.warned.add(text);
      this.logger.warn(text);
    } else this.logger.info(text);
  }

  /**
   * Runs a command; a lock left by a holder that is really gone is freed once and the command runs again. While
   * another Sovereign's first run holds the pg backend's creation lock (one key for the whole database), the
   * command waits for it and runs again, up to `scaffolder.catalyst.tofu.timeout`: concurrent first provisions of different
   * Sovereigns must not fail each other.
   */
  private async run(
    args: string[],
    options: { json: boolean; quiet?: boolean },
  ): Promise<CommandResult> {
    const deadline = Date.now() + this.settings.timeoutMs;
    let freed = false;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.runOnce(args, options);
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        const wait =
          CREATION_LOCK_RETRY_MS[
            Math.min(attempt, CREATION_LOCK_RETRY_MS.length - 1)
          ];
        if (
          CREATION_LOCK_MESSAGE.test(error.message) &&
          Date.now() + wait < deadline &&
          !this.signal?.aborted &&
          (await this.creationLockHeldForAnotherSovereign())
        ) {
          this.logger.info(
            `Another Sovereign's first ${
              this.settings.binary
            } run is creating its state (the creation lock is shared by the whole state database); trying again in ${
              wait / 1000
            } s`,
          );
          await sleep(wait);
          continue;
        }
        if (freed || !(await this.freeStaleLock())) throw error;
        freed = true;
      }
    }
  }

  /** Whether the creation lock's holders are all live Catalyst runs for other Sovereigns. */
  private async creationLockHeldForAnotherSovereign(): Promise<boolean> {
    if (this.settings.stateBackend !== 'pg') return false;
    const holders = await findPgLockHolders(
      this.settings.pgConnectionString!,
      stateSchemaName(this.fqdn),
    );
    if (holders.length === 0) return true; // released meanwhile: just run again
    const ownTag = sovereignSessionTag(this.fqdn);
    for (const holder of holders) {
      const session = parseTofuSessionName(holder.applicationName);
      if (!session?.tag || session.tag === ownTag) return false;
      if (!(await replicaAlive(session.replica))) return false;
    }
    return true;
  }

  /**
   * A lock conflict: frees the lock when (and only when) its holder's backend is gone. Neither backend leaves a
   * lock behind a dead process: the local backend locks the state file with the operating system's file lock
   * (`.terraform.tfstate.lock.info` next to it is only a description and may stay behind harmlessly), the pg
   * backend uses a session-level advisory lock. A lock that blocks is therefore held by a running tofu, and it is
   * stale exactly when that tofu is an orphan: the backend that started it is gone. An orphan on this host gets
   * SIGINT (it saves its state and releases the lock); an orphan's pg session seen from another host is
   * terminated. A live backend's tofu, or a holder nobody recorded, is never touched.
   */
  async freeStaleLock(): Promise<boolean> {
    return this.settings.stateBackend === 'pg'
      ? this.freeStalePgLock()
      : this.freeStaleLocalLock();
  }

  private async freeStaleLocalLock(): Promise<boolean> {
    const holders = (await readHolders(this.dir)).filter(h =>
      processAlive(h.tofuPid),
    );
    const orphans: TofuHolder[] = [];
    for (const holder of holders) {
      if (await replicaAlive(holder.replica)) {
        this.logger.warn(
          `The state of ${this.fqdn} is locked by ${holder.command} of a running backend (${holder.replica}); leaving the lock alone`,
        );
        return false;
      }
      orphans.push(holder);
    }
    if (orphans.length === 0) {
      this.logger.warn(
        `The state of ${this.fqdn} is locked by a process this backend did not record; leaving the lock alone`,
      );
      return false;
    }
    for (const orphan of orphans) await this.stopOrphan(orphan);
    return true;
  }

  private async freeStalePgLock(): Promise<boolean> {
    const schema = stateSchemaName(this.fqdn);
    const connection = this.settings.pgConnectionString!;
    const sessions = await findPgLockHolders(connection, schema);
    if (sessions.length === 0) return true;
    const stale: { pid: number; replica: string }[] = [];
    for (const session of sessions) {
      const replica = parseTofuSessionName(session.applicationName)?.replica;
      if (!replica || (await replicaAlive(replica))) {
        this.logger.warn(
          `The state of ${this.fqdn} is locked by ${
            replica
              ? `a running backend (${replica})`
              : `session ${session.pid} (${
                  session.applicationName || 'no name'
                })`
          }; leaving the lock alone`,
        );
        return false;
      }
      stale.push({ pid: session.pid, replica });
    }
    const holders = await readHolders(this.dir);
    for (const session of stale) {
      for (const holder of holders.filter(h => h.replica === session.replica)) {
        await this.stopOrphan(holder);
      }
      if (
        (await findPgLockHolders(connection, schema)).some(
          h => h.pid === session.pid,
        )
      ) {
        this.logger.warn(
          `The state of ${this.fqdn} is locked by a tofu session of backend ${session.replica}, which is gone; terminating session ${session.pid}`,
        );
        await terminatePgSession(connection, session.pid);
      }
    }
    return true;
  }

  /** SIGINT to an orphaned tofu on this host, SIGKILL after the grace period. */
  private async stopOrphan(holder: TofuHolder) {
    if (!(await tofuProcessAlive(holder, this.settings.binary))) {
      await clearHolder(this.dir, holder.tofuPid);
      return;
    }
    this.logger.warn(
      `${holder.command} (pid ${holder.tofuPid}) outlived its backend ${holder.replica}: interrupting it so it saves its state and releases the lock`,
    );
    const signal = (sig: NodeJS.Signals) => {
      try {
        process.kill(-holder.tofuPid, sig);
      } catch {
        // Gone.
      }
    };
    signal('SIGINT');
    const deadline = Date.now() + this.settings.killGracePeriodMs;
    while (processAlive(holder.tofuPid) && Date.now() < deadline) {
      await sleep(200);
    }
    if (processAlive(holder.tofuPid)) signal('SIGKILL');
    while (processAlive(holder.tofuPid)) await sleep(100);
    await clearHolder(this.dir, holder.tofuPid);
  }

  private async runOnce(
    args: string[],
    options: { json: boolean; quiet?: boolean },
  ): Promise<CommandResult> {
    const command = `${binaryName(this.settings.binary)} ${args[0]}`;
    if (this.signal?.aborted) {
      throw new TofuCommandError(
        `${command} was not started: the task was cancelled`,
      );
    }
    this.logger.info(`Running ${command}`);

    const child = execa(this.settings.binary, args, {
      cwd: this.dir,
      env: this.env,
      extendEnv: false,
      // Its own process group, so cancelling reaches tofu's providers and provisioners too.
      detached: true,
      stdin: 'ignore',
      buffer: false,
      reject: false,
      cleanup: false,
    });

    const log = new TofuJsonLog();
    const stdout: string[] = [];
    const stderrTail: string[] = [];

    const lines = (stream: Readable | null, onLine: (line: string) => void) =>
      new Promise<void>(resolve => {
        if (!stream) {
          resolve();
          return;
        }
        const reader = readline.createInterface({
          input: stream,
          crlfDelay: Infinity,
        });
        reader.on('line', onLine);
        reader.on('close', () => resolve());
      });

    const stdoutDone = lines(child.stdout, line => {
      if (options.quiet) {
        stdout.push(line);
        return;
      }
      if (!line.trim()) return;
      if (options.json) {
        const entry = log.handle(line);
        if (entry) this.emit(entry);
      } else {
        stdout.push(line);
        this.emit({ level: 'info', text: line });
      }
    });
    const stderrDone = lines(child.stderr, line => {
      if (!line.trim()) return;
      stderrTail.push(line);
      if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
      this.emit({ level: 'warn', text: line });
    });

    let interrupted: 'cancelled' | 'timed out' | 'shutdown' | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const signalGroup = (signal: NodeJS.Signals) => {
      if (!child.pid) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // The group is already gone.
      }
    };
    const interrupt = (reason: 'cancelled' | 'timed out' | 'shutdown') => {
      if (interrupted) return;
      interrupted = reason;
      this.logger.warn(
        `${command} ${reason}: sending SIGINT to its process group, SIGKILL in ${Math.round(
          this.settings.killGracePeriodMs / 1000,
        )}s`,
      );
      signalGroup('SIGINT');
      killTimer = setTimeout(
        () => signalGroup('SIGKILL'),
        this.settings.killGracePeriodMs,
      );
    };
    const locking = LOCKING_COMMANDS.has(args[0]) && child.pid !== undefined;
    if (locking) {
      await writeHolder(this.dir, {
        replica: THIS_REPLICA,
        tofuPid: child.pid!,
        command,
        startedAt: new Date().toISOString(),
      });
    }
    const exited = new Promise<void>(resolve => {
      child.once('exit', () => resolve());
      child.once('error', () => resolve());
    });
    const live = {
      shutdown: async () => {
        interrupt('shutdown');
        await exited;
      },
    };
    liveRuns.add(live);
    const onAbort = () => interrupt('cancelled');
    this.signal?.addEventListener('abort', onAbort);
    const timeoutTimer = setTimeout(
      () => interrupt('timed out'),
      this.settings.timeoutMs,
    );

    let result: execa.ExecaReturnValue<string>;
    try {
      result = await child;
      await Promise.all([stdoutDone, stderrDone]);
    } finally {
      clearTimeout(timeoutTimer);
      if (killTimer) clearTimeout(killTimer);
      this.signal?.removeEventListener('abort', onAbort);
      liveRuns.delete(live);
      // Leave nothing of the group behind (a provider or provisioner that outlived tofu).
      if (interrupted) signalGroup('SIGKILL');
      if (locking) await clearHolder(this.dir, child.pid);
    }

    if (interrupted === 'shutdown') {
      this.logger.warn(
        `${command} stopped because the backend is shutting down; the task resumes on a running backend`,
      );
      // Never settle: the process exits, the task stays `processing` and is recovered elsewhere.
      await new Promise(() => undefined);
    }

    if (interrupted) {
      throw new TofuCommandError(
        `${command} ${
          interrupted === 'cancelled'
            ? 'was cancelled'
            : `timed out after ${Math.round(this.settings.timeoutMs / 1000)}s`
        }${log.errors.length ? `: ${this.redact(log.errors.join('; '))}` : ''}`,
      );
    }
    if (result.exitCode === undefined || result.exitCode === null) {
      throw new TofuCommandError(
        `Could not run ${command}: ${this.redact(
          (result as { shortMessage?: string }).shortMessage ??
            'the process did not start',
        )}`,
      );
    }
    if (result.exitCode !== 0) {
      // Without -json, tofu prints its diagnostics on stderr; start at the first "Error:" to skip CLI warnings.
      const firstError = stderrTail.findIndex(line => /Error:/.test(line));
      const reason = log.errors.length
        ? log.errors.join('; ')
        : stderrTail
            .slice(Math.max(firstError, 0))
            .join('\n')
            .replace(/[│╷╵]/g, '')
            .replace(/\s*\n\s*/g, ' ')
            .trim() || 'no error output';
      const message = `${command} failed with exit code ${
        result.exitCode
      }: ${this.redact(reason)}`;
      if (/state lock|acquiring the state lock/i.test(reason)) {
        throw new ConflictError(message);
      }
      throw new TofuCommandError(message);
    }
    return { stdout, log };
  }
}
