import readline from 'node:readline';
import { Readable } from 'node:stream';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, CustomErrorBase } from '@backstage/errors';
import { JsonObject, JsonValue } from '@backstage/types';
import execa from 'execa';
import { TofuChangeSummary, TofuJsonLog, TofuLogLine } from './TofuJsonLog';
import { TofuSettings } from './TofuSettings';
import { stageTofuWorkspace, stateSchemaName } from './TofuWorkspace';

/** A tofu command that failed, was cancelled or timed out; the message carries tofu's own error text. */
export class TofuCommandError extends CustomErrorBase {
  name = 'TofuCommandError' as const;
}

interface CommandResult {
  stdout: string[];
  log: TofuJsonLog;
}

const STDERR_TAIL_LINES = 40;

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
    logger.info(
      `Staged ${settings.modulePath} in ${report.dir}: ${
        report.written.length
      } written, ${report.unchanged.length} unchanged${
        report.removed.length ? `, removed ${report.removed.join(', ')}` : ''
      }; state backend ${settings.stateBackend}`,
    );
    return new TofuRun(
      settings,
      fqdn,
      report.dir,
      options.secretEnv,
      logger,
      options.signal,
    );
  }

  private readonly env: Record<string, string>;
  private readonly secretValues: string[];

  private constructor(
    private readonly settings: TofuSettings,
    private readonly fqdn: string,
    readonly dir: string,
    secretEnv: Record<string, string>,
    private readonly logger: LoggerService,
    private readonly signal?: AbortSignal,
  ) {
    this.env = tofuEnvironment(process.env, secretEnv, settings);
    this.secretValues = [
      ...Object.values(secretEnv),
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

  /**
   * Number of managed resources in the state (`show -json`). The state is parsed here and never logged: its
   * values can be sensitive. No state at all (an apply that never ran) counts as 0.
   */
  async managedResourceCount(): Promise<number> {
    const { stdout } = await this.run(['show', '-json', '-no-color'], {
      json: false,
      quiet: true,
    });
    let parsed: { values?: { root_module?: TofuStateModule } };
    try {
      parsed = JSON.parse(stdout.join('\n') || '{}');
    } catch {
      throw new TofuCommandError(
        `${this.settings.binary} show -json printed something that is not JSON`,
      );
    }
    return countManagedResources(parsed.values?.root_module);
  }

  /** `output -json`, reduced to name → value; sensitive outputs are left out. */
  async outputs(): Promise<Record<string, JsonValue>> {
    const { stdout } = await this.run(['output', '-json', '-no-color'], {
      json: false,
      quiet: true,
    });
    let parsed: Record<string, { value: JsonValue; sensitive?: boolean }>;
    try {
      parsed = JSON.parse(stdout.join('\n') || '{}');
    } catch {
      throw new TofuCommandError(
        `${this.settings.binary} output -json printed something that is not JSON`,
      );
    }
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
    else if (line.level === 'warn') this.logger.warn(text);
    else this.logger.info(text);
  }

  private async run(
    args: string[],
    options: { json: boolean; quiet?: boolean },
  ): Promise<CommandResult> {
    const command = `${this.settings.binary} ${args[0]}`;
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

    let interrupted: 'cancelled' | 'timed out' | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const signalGroup = (signal: NodeJS.Signals) => {
      if (!child.pid) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // The group is already gone.
      }
    };
    const interrupt = (reason: 'cancelled' | 'timed out') => {
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
      // Leave nothing of the group behind (a provider or provisioner that outlived tofu).
      if (interrupted) signalGroup('SIGKILL');
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
