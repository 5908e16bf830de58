import { classifyFluxObject, evaluateReadiness, FluxObject } from './readiness';

function helmRelease(
  name: string,
  ready:
    | { status: 'True' | 'False' | 'Unknown'; reason: string; message: string }
    | undefined,
  options: { dependsOn?: string[]; stalled?: boolean } = {},
): FluxObject {
  return {
    kind: 'HelmRelease',
    metadata: { name, namespace: 'flux-system' },
    spec: { dependsOn: options.dependsOn?.map(n => ({ name: n })) },
    status: {
      conditions: [
        ...(ready ? [{ type: 'Ready', ...ready }] : []),
        ...(options.stalled
          ? [
              {
                type: 'Stalled',
                status: 'True' as const,
                reason: 'RetriesExceeded',
              },
            ]
          : []),
      ],
    },
  };
}

describe('classifyFluxObject', () => {
  it.each([
    [
      {
        status: 'True',
        reason: 'InstallSucceeded',
        message: 'Helm install succeeded',
      },
      { state: 'ready' },
    ],
    [
      { status: 'Unknown', reason: 'Progressing', message: 'Running install' },
      { state: 'progressing' },
    ],
    [
      {
        status: 'False',
        reason: 'DependencyNotReady',
        message: "dependency 'flux-system/bp-cilium' is not ready",
      },
      { state: 'blocked', cause: 'DependencyNotReady' },
    ],
    [
      {
        status: 'False',
        reason: 'InstallFailed',
        message:
          'no matches for kind "ClusterIssuer" in version "cert-manager.io/v1"\nensure CRDs are installed first',
      },
      { state: 'failed', cause: 'CRDMissing' },
    ],
    [
      {
        status: 'False',
        reason: 'ArtifactFailed',
        message:
          'failed to fetch artifact: dial tcp: lookup ghcr.io: no such host',
      },
      { state: 'failed', cause: 'SourceUnreachable' },
    ],
    [
      {
        status: 'False',
        reason: 'HelmChartNotReady',
        message: 'HelmChart is not ready',
      },
      { state: 'failed', cause: 'SourceUnreachable' },
    ],
    [
      {
        status: 'False',
        reason: 'InstallFailed',
        message: 'Helm install failed: context deadline exceeded',
      },
      { state: 'failed', cause: 'InstallFailed' },
    ],
    [
      {
        status: 'False',
        reason: 'UpgradeFailed',
        message: 'Helm upgrade failed: another operation is in progress',
      },
      { state: 'failed', cause: 'UpgradeFailed' },
    ],
    [
      { status: 'False', reason: 'SomethingElse', message: 'odd' },
      { state: 'failed', cause: 'Unknown' },
    ],
  ] as const)('reads %j as %j', (ready, expected) => {
    expect(classifyFluxObject(helmRelease('bp-x', ready))).toMatchObject(
      expected,
    );
  });

  it('counts an object without conditions as progressing', () => {
    expect(classifyFluxObject(helmRelease('bp-x', undefined)).state).toBe(
      'progressing',
    );
  });
});

describe('evaluateReadiness', () => {
  const now = new Date('2026-12-03T10:00:00.000Z');

  it('keeps waiting while a failure may still recover, and decides once Flux has given up', () => {
    const failing = {
      status: 'False' as const,
      reason: 'InstallFailed',
      message: 'Helm install failed: timed out waiting for the condition',
    };
    const objects = [
      helmRelease('bp-a', {
        status: 'True',
        reason: 'InstallSucceeded',
        message: 'ok',
      }),
      helmRelease('bp-b', failing, { dependsOn: ['bp-a'] }),
      helmRelease('bp-c', undefined, { dependsOn: ['bp-b'] }),
    ];
    const retrying = evaluateReadiness({
      expected: ['bp-a', 'bp-b', 'bp-c'],
      objects,
      now,
      timedOut: false,
    });
    expect(retrying.verdict.phase).toBe('bootstrapping');
    expect(retrying.readiness.firstBlocked).toBe('bp-b');
    const stalled = evaluateReadiness({
      expected: ['bp-a', 'bp-b', 'bp-c'],
      objects: [
        objects[0],
        helmRelease('bp-b', failing, { dependsOn: ['bp-a'], stalled: true }),
        objects[2],
      ],
      now,
      timedOut: false,
    });
    expect(stalled.verdict).toMatchObject({
      phase: 'degraded',
      reason: 'InstallFailed',
    });
    expect(
      stalled.readiness.components.find(c => c.name === 'bp-c'),
    ).toMatchObject({
      state: 'blocked',
      blockedBy: 'bp-b',
    });
  });

  it('counts an expected release Flux has not applied yet as not ready, and fails when nothing is ready by the deadline', () => {
    const result = evaluateReadiness({
      expected: ['bp-a'],
      objects: [],
      now,
      timedOut: true,
    });
    expect(result.readiness.components).toEqual([
      expect.objectContaining({
        name: 'bp-a',
        state: 'failed',
        cause: 'TimedOut',
      }),
    ]);
    expect(result.verdict).toMatchObject({
      phase: 'failed',
      reason: 'TimedOut',
    });
  });

  it('keeps the time a component entered its state while it stays there', () => {
    const objects = [
      helmRelease('bp-a', {
        status: 'Unknown',
        reason: 'Progressing',
        message: 'x',
      }),
    ];
    const first = evaluateReadiness({
      expected: [],
      objects,
      now,
      timedOut: false,
    });
    const later = evaluateReadiness({
      expected: [],
      objects,
      now: new Date('2026-12-03T10:05:00.000Z'),
      previous: first.readiness,
      timedOut: false,
    });
    expect(later.readiness.components[0].since).toBe(
      '2026-12-03T10:00:00.000Z',
    );
  });
});
