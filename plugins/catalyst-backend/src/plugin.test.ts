import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { catalystPlugin } from './plugin';

const events = createServiceFactory({
  service: eventsServiceRef,
  deps: {},
  factory: () => ({ publish: async () => {}, subscribe: async () => {} }),
});

describe('catalystPlugin', () => {
  it('schedules the byo-manual delegation watcher once per cluster, every catalyst.delegation.pollInterval', async () => {
    const scheduler = mockServices.scheduler.mock();
    await startTestBackend({
      features: [
        catalystPlugin,
        events,
        scheduler.factory,
        mockServices.rootConfig.factory({
          data: { catalyst: { delegation: { pollInterval: '2m' } } },
        }),
      ],
    });
    expect(scheduler.scheduleTask).toHaveBeenCalledTimes(1);
    const [task] = scheduler.scheduleTask.mock.calls[0];
    expect(task).toMatchObject({
      id: 'catalyst-delegation-watcher',
      scope: 'global',
      frequency: { minutes: 2 },
    });
    // With nothing dns-pending a run asks nobody and succeeds.
    await expect(
      task.fn(new AbortController().signal),
    ).resolves.toBeUndefined();
  });

  it('defaults to a 60-second poll', async () => {
    const scheduler = mockServices.scheduler.mock();
    await startTestBackend({
      features: [catalystPlugin, events, scheduler.factory],
    });
    expect(scheduler.scheduleTask.mock.calls[0][0].frequency).toEqual({
      seconds: 60,
    });
  });
});
