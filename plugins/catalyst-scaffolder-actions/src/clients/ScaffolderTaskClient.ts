import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import type { TaskStatus } from '../provisioning/ReservationKeeper';
import { ApiTransport } from '@catalyst/plugin-catalyst-common';
import { PluginApiClient } from '@catalyst/plugin-catalyst-node';

/** Reads scaffolder task states (`GET /api/scaffolder/v2/tasks/:taskId`) with the module's service credentials. */
export class ScaffolderTaskClient {
  private readonly api: ApiTransport;

  constructor(options: { discovery: DiscoveryService; auth: AuthService }) {
    const backend = new PluginApiClient({
      ...options,
      pluginId: 'scaffolder',
      serviceName: 'Scaffolder',
      timeoutMs: 10_000,
    });
    this.api = new ApiTransport({
      ...backend,
      pluginId: 'scaffolder',
      serviceName: 'Scaffolder',
    });
  }

  /** Throws NotFoundError when the task does not exist. */
  async getStatus(taskId: string): Promise<TaskStatus> {
    const { body } = await this.api.request<{ status: TaskStatus }>(
      'GET',
      `/v2/tasks/${encodeURIComponent(taskId)}`,
    );
    return body.status;
  }
}
