import { TofuJsonLog } from './TofuJsonLog';

const line = (message: object) => JSON.stringify(message);

describe('TofuJsonLog', () => {
  it('turns plan and apply messages into readable lines with progress', () => {
    const log = new TofuJsonLog();
    expect(
      log.handle(
        line({
          '@level': 'info',
          '@message': 'Terraform 1.11.4',
          type: 'version',
        }),
      ),
    ).toEqual({
      level: 'info',
      text: 'Terraform 1.11.4',
    });
    expect(
      log.handle(
        line({
          '@message': 'Plan: 2 to add, 1 to change, 0 to destroy.',
          type: 'change_summary',
          changes: { add: 2, change: 1, remove: 0, operation: 'plan' },
        }),
      )?.text,
    ).toBe(
      'Plan: 2 to add, 1 to change, 0 to destroy. — progress: 2 to add, 1 to change, 0 to destroy',
    );
    const complete = (action: string, addr: string) =>
      log.handle(
        line({
          '@message': `${addr}: done`,
          type: 'apply_complete',
          hook: { action, resource: { addr } },
        }),
      )?.text;
    expect(complete('create', 'a.one')).toBe('a.one: done (added 1/2)');
    expect(complete('update', 'a.two')).toBe('a.two: done (changed 1/1)');
    expect(complete('create', 'a.three')).toBe('a.three: done (added 2/2)');
    expect(log.summary).toEqual({
      toAdd: 2,
      toChange: 1,
      toDestroy: 0,
      added: 2,
      changed: 1,
      destroyed: 0,
    });
  });

  it('collects error diagnostics in tofu words and keeps plain lines', () => {
    const log = new TofuJsonLog();
    expect(
      log.handle(
        line({
          '@level': 'error',
          type: 'diagnostic',
          diagnostic: {
            severity: 'error',
            summary: 'Invalid value for variable',
            detail: 'region must be one of\nfsn1.',
            range: { filename: 'variables.tf', start: { line: 58 } },
          },
        }),
      ),
    ).toEqual({
      level: 'error',
      text: 'Error: Invalid value for variable: region must be one of fsn1. (variables.tf:58)',
    });
    expect(
      log.handle(
        line({
          '@level': 'warn',
          type: 'diagnostic',
          diagnostic: { severity: 'warning', summary: 'Deprecated' },
        }),
      ),
    ).toEqual({
      level: 'warn',
      text: 'Warning: Deprecated',
    });
    expect(log.errors).toEqual([
      'Invalid value for variable: region must be one of fsn1. (variables.tf:58)',
    ]);
    expect(log.handle('not json')).toEqual({ level: 'info', text: 'not json' });
  });
});
