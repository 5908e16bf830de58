import {
  POSTGRES_IDENTIFIER_MAX,
  SOVEREIGN_ENTITY_NAME_MAX,
  sovereignEntityName,
  sovereignStateSchemaName,
} from './sovereignKeys';

/** Pairs of FQDNs whose keys were equal under the earlier derivation (dots and hyphens both became one separator). */
const PAIRS_THAT_COLLIDED: Array<[string, string]> = [
  ['x.omani.works', 'x-omani.works'],
  ['a-b.c.example.com', 'a.b-c.example.com'],
  ['a.b.c.example.com', 'a-b-c.example.com'],
  ['om-tel.omani.works', 'om.tel.omani.works'],
  ['acme.example-corp.com', 'acme-example.corp.com'],
];

const LONG_LABEL = 'a'.repeat(60);
const LONG = [
  `${LONG_LABEL}.omani.works`,
  `${LONG_LABEL}1.omani.works`,
  `${LONG_LABEL}.omani-works.net`,
  `${LONG_LABEL}-omani.works.net`,
  `${'b'.repeat(50)}.${'c'.repeat(50)}.${'d'.repeat(50)}.${'e'.repeat(50)}.org`,
];

/** Every key must be a valid catalog entity name. */
const ENTITY_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const OWN_ENTITY_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const POSTGRES_IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

describe('Sovereign keys', () => {
  it('keeps the earlier names for FQDNs without hyphens (no migration needed for them)', () => {
    expect(sovereignEntityName('omantel.omani.works')).toBe(
      'omantel-omani-works',
    );
    expect(sovereignStateSchemaName('omantel.omani.works')).toBe(
      'catalyst_omantel_omani_works',
    );
    expect(sovereignEntityName(' Omantel.Omani.Works ')).toBe(
      'omantel-omani-works',
    );
  });

  it('doubles hyphens so a hyphen never reads as a dot', () => {
    expect(sovereignEntityName('om-tel.omani.works')).toBe(
      'om--tel-omani-works',
    );
    expect(sovereignStateSchemaName('om-tel.omani.works')).toBe(
      'catalyst_om__tel_omani_works',
    );
    expect(sovereignEntityName('xn--mgbh0fb.example')).toBe(
      'xn----mgbh0fb-example',
    );
  });

  it.each(PAIRS_THAT_COLLIDED)(
    'gives %s and %s different entity names, work directories and state schemas',
    (a, b) => {
      expect(a.replace(/\./g, '-')).toBe(b.replace(/\./g, '-'));
      expect(sovereignEntityName(a)).not.toBe(sovereignEntityName(b));
      expect(sovereignStateSchemaName(a)).not.toBe(sovereignStateSchemaName(b));
    },
  );

  it('keeps long FQDNs within the catalog and PostgreSQL limits, readable and distinct', () => {
    const names = LONG.map(sovereignEntityName);
    const schemas = LONG.map(sovereignStateSchemaName);
    for (const name of names) {
      expect(name.length).toBeLessThanOrEqual(SOVEREIGN_ENTITY_NAME_MAX);
      expect(name).toMatch(ENTITY_NAME);
      expect(name).toMatch(OWN_ENTITY_NAME);
      expect(name).toMatch(/^(a{20}|b{20})/);
      expect(name).toMatch(/---[a-z2-7]{16}$/);
    }
    for (const schema of schemas) {
      expect(Buffer.byteLength(schema)).toBeLessThanOrEqual(
        POSTGRES_IDENTIFIER_MAX,
      );
      expect(schema).toMatch(POSTGRES_IDENTIFIER);
      expect(schema).toMatch(/^catalyst_/);
    }
    expect(new Set(names).size).toBe(LONG.length);
    expect(new Set(schemas).size).toBe(LONG.length);
    // Deterministic: the same FQDN always maps to the same key.
    expect(LONG.map(sovereignEntityName)).toEqual(names);
  });

  it('is injective over a large set of FQDNs built from the characters that collided', () => {
    const labels = ['a', 'b', 'a-b', 'a-a', 'b-a', 'ab', 'aa', 'a--b', 'a-b-a'];
    const fqdns = new Set<string>();
    for (const first of labels) {
      for (const second of labels) {
        for (const tld of ['io', 'a-io']) {
          fqdns.add(`${first}.${second}.${tld}`);
          fqdns.add(`${first}-${second}.${tld}`);
          fqdns.add(`${first}.${second}-${tld}`);
        }
      }
    }
    const names = new Map<string, string>();
    const schemas = new Map<string, string>();
    for (const fqdn of fqdns) {
      const name = sovereignEntityName(fqdn);
      const schema = sovereignStateSchemaName(fqdn);
      expect({ fqdn, clash: names.get(name) }).toEqual({
        fqdn,
        clash: undefined,
      });
      expect({ fqdn, clash: schemas.get(schema) }).toEqual({
        fqdn,
        clash: undefined,
      });
      names.set(name, fqdn);
      schemas.set(schema, fqdn);
    }
    expect(names.size).toBeGreaterThan(400);
  });

  it('never lets a short name equal a long (digest) name', () => {
    // A short form has separator runs of length 1 or even; a long form has exactly one run of three.
    const short = sovereignEntityName('a-b.c.example.com');
    expect(short).not.toMatch(/(^|[^-])---([^-]|$)/);
    expect(sovereignEntityName(`${LONG_LABEL}.example.com`)).toMatch(
      /[^-]---[^-]/,
    );
  });
});
