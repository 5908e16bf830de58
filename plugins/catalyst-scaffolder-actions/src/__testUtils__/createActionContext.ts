import { mockServices } from '@backstage/backend-test-utils';
import { mockCredentials } from '@backstage/backend-test-utils';

/**
 * A hand-built scaffolder ActionContext for handler tests: real workspace folder, recorded outputs, a checkpoint
 * that memoises per key like the task runner's, the task id, secrets and an abort signal.
 */
export function createActionContext<TInput>(options: {
  input: TInput;
  workspacePath: string;
  secrets?: Record<string, string>;
  taskId?: string;
  isDryRun?: boolean;
  userRef?: string;
  /** The initiator's groups as their User entity lists them (`spec.memberOf`). */
  userMemberOf?: string[];
  checkpoints?: Map<string, unknown>;
}) {
  const outputs: Record<string, any> = {};
  const checkpoints = options.checkpoints ?? new Map<string, unknown>();
  const logger = mockServices.logger.mock();
  const ctx = {
    input: options.input,
    logger,
    workspacePath: options.workspacePath,
    secrets: options.secrets,
    task: { id: options.taskId ?? 'task-1' },
    isDryRun: options.isDryRun ?? false,
    signal: new AbortController().signal,
    user: {
      ref: options.userRef ?? 'user:default/ada',
      ...(options.userMemberOf
        ? {
            entity: {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'User',
              metadata: { name: 'ada', namespace: 'default' },
              spec: { memberOf: options.userMemberOf },
            },
          }
        : {}),
    },
    templateInfo: undefined,
    output: jest.fn((name: string, value: unknown) => {
      outputs[name] = value;
    }),
    checkpoint: jest.fn(
      async ({ key, fn }: { key: string; fn: () => Promise<unknown> }) => {
        if (checkpoints.has(key)) return checkpoints.get(key);
        const value = await fn();
        checkpoints.set(key, value);
        return value;
      },
    ),
    createTemporaryDirectory: jest.fn(async () => options.workspacePath),
    getInitiatorCredentials: async () => mockCredentials.user(),
  };
  /** Every message logged, for "no secret in logs" assertions. */
  const logged = () =>
    JSON.stringify(
      ['info', 'warn', 'error', 'debug'].flatMap(
        level => (logger as any)[level].mock.calls,
      ),
    );
  return { ctx: ctx as any, outputs, logger, logged, checkpoints };
}
