import { confirmationProblem } from './DecommissionConfirm';

describe('decommission confirmation', () => {
  const target = {
    ref: 'sovereign:default/acme-example-com',
    fqdn: 'acme.example.com',
    phase: 'ready',
  };

  it('accepts the FQDN typed exactly (any case, surrounding spaces)', () => {
    expect(confirmationProblem('acme.example.com', target)).toBeUndefined();
    expect(confirmationProblem(' ACME.example.com ', target)).toBeUndefined();
  });

  it('names what is wrong before the task starts', () => {
    expect(confirmationProblem('acme.example.co', target)).toBe(
      "“acme.example.co” is not acme.example.com: type the Sovereign's FQDN exactly",
    );
    expect(confirmationProblem('', target)).toBe(
      'Type acme.example.com to confirm',
    );
    expect(confirmationProblem('acme.example.com', undefined)).toBe(
      'Choose the Sovereign first',
    );
    expect(
      confirmationProblem('x', { ref: 'sovereign:default/x', phase: 'ready' }),
    ).toBe('sovereign:default/x has no FQDN in the catalog');
  });
});
