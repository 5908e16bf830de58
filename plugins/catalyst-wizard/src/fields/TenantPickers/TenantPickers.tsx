import { useEffect, useMemo, useState } from 'react';
import type {
  CustomFieldValidator,
  FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { Alert } from '@material-ui/lab';
import { wizardFormData } from '../wizardForm';

/**
 * The redeem template's two choices, in the words a tenant reads: the Sovereign by its FQDN (never an entity
 * ref) and the first App among the Blueprints that Sovereign actually runs and that an Organization installs for
 * itself (installable, not part of every Sovereign's platform) — the same rule the redeem action enforces.
 */

type SovereignChoice = { ref: string; fqdn: string; phase?: string };
export type AppChoice = { ref: string; name: string; title: string };

const sovereignRefOf = (entity: Entity) =>
  `sovereign:${entity.metadata.namespace ?? 'default'}/${entity.metadata.name}`;

/** The Sovereigns a voucher can be redeemed on: ready ones, named by their FQDN, sorted. */
export function sovereignChoices(entities: Entity[]): SovereignChoice[] {
  return entities
    .map(entity => {
      const spec = (entity.spec ?? {}) as { fqdn?: string; phase?: string };
      return {
        ref: sovereignRefOf(entity),
        fqdn: spec.fqdn ?? entity.metadata.title ?? entity.metadata.name,
        phase: spec.phase,
      };
    })
    .filter(choice => choice.phase === 'ready')
    .sort((a, b) => a.fqdn.localeCompare(b.fqdn));
}

/**
 * The Apps a tenant can install first on a Sovereign: every Blueprint its record lists (`bp-<name>@<version>`)
 * that is installable and not always included, named by its title.
 */
export function firstAppChoices(
  sovereign: Entity | undefined,
  blueprints: Entity[],
): AppChoice[] {
  const installed = new Set(
    (
      ((sovereign?.spec ?? {}) as { blueprints?: string[] }).blueprints ?? []
    ).map(entry => entry.split('@')[0]),
  );
  return blueprints
    .filter(bp => {
      const spec = (bp.spec ?? {}) as {
        installable?: boolean;
        alwaysIncluded?: boolean;
      };
      return (
        installed.has(bp.metadata.name) &&
        spec.installable === true &&
        spec.alwaysIncluded !== true
      );
    })
    .map(bp => ({
      ref: `blueprint:${bp.metadata.namespace ?? 'default'}/${
        bp.metadata.name
      }`,
      name: bp.metadata.name,
      title: bp.metadata.title ?? bp.metadata.name,
    }))
    .sort((a, b) => a.title.localeCompare(b.title));
}

function useLoaded<T>(load: () => Promise<T>, deps: unknown[]) {
  const [state, setState] = useState<
    { value: T } | { error: Error } | undefined
  >();
  useEffect(() => {
    let current = true;
    setState(undefined);
    load().then(
      value => current && setState({ value }),
      (error: Error) => current && setState({ error }),
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return state;
}

/**
 * The value both pickers keep: the entity ref for the action (hidden from the review) and the name a person reads
 * (shown in the review). A bare ref (e.g. handed over in a link's formData) is accepted too.
 */
export type PickedValue = { ref?: string; fqdn?: string; title?: string };

/** The entity ref of a picked value (an object or a bare ref). */
export function pickedRef(value: unknown): string | undefined {
  if (typeof value === 'string') return value || undefined;
  if (value && typeof value === 'object') {
    const ref = (value as PickedValue).ref;
    return typeof ref === 'string' && ref ? ref : undefined;
  }
  return undefined;
}

/** A ready Sovereign, chosen by its FQDN; the form keeps its entity ref for the action. */
export function TenantSovereignPicker(
  props: FieldExtensionComponentProps<PickedValue | string>,
) {
  const { onChange, rawErrors, required, schema, idSchema } = props;
  const formData = pickedRef(props.formData);
  const catalog = useApi(catalogApiRef);
  const loaded = useLoaded(
    async () =>
      sovereignChoices(
        (
          await catalog.getEntities({
            filter: { kind: 'Sovereign' },
            fields: [
              'kind',
              'metadata.name',
              'metadata.namespace',
              'metadata.title',
              'spec.fqdn',
              'spec.phase',
            ],
          })
        ).items,
      ),
    [catalog],
  );
  const choices = useMemo(
    () => (loaded && 'value' in loaded ? loaded.value : []),
    [loaded],
  );
  const chosen = choices.find(c => c.ref === formData);
  // A bare ref (from a link) becomes the full value once its FQDN is known.
  useEffect(() => {
    if (
      chosen &&
      (typeof props.formData === 'string' ||
        props.formData?.fqdn !== chosen.fqdn)
    ) {
      onChange({ ref: chosen.ref, fqdn: chosen.fqdn });
    }
  }, [chosen, props.formData, onChange]);
  const id = idSchema?.$id ?? 'sovereign';
  let help: string = schema.description ?? 'The Sovereign the voucher is for';
  if (loaded && 'error' in loaded) {
    help = `Could not list the Sovereigns: ${loaded.error.message}`;
  } else if (loaded && !choices.length) {
    help = 'No Sovereign is ready to take new Organizations.';
  } else if (formData && loaded && !chosen) {
    help = 'This Sovereign is not ready to take new Organizations.';
  }
  return (
    <TextField
      id={id}
      select
      label={schema.title ?? 'Sovereign'}
      value={chosen ? formData : ''}
      onChange={e => {
        const next = choices.find(c => c.ref === e.target.value);
        onChange(next ? { ref: next.ref, fqdn: next.fqdn } : undefined!);
      }}
      required={required}
      error={
        Boolean(rawErrors?.length) || Boolean(formData && loaded && !chosen)
      }
      helperText={rawErrors?.length ? rawErrors.join(' ') : help}
      fullWidth
      margin="normal"
      variant="outlined"
      SelectProps={{ native: true }}
      InputLabelProps={{ shrink: true }}
      disabled={!loaded}
    >
      <option value="">{loaded ? 'Choose a Sovereign' : 'Loading…'}</option>
      {choices.map(choice => (
        <option key={choice.ref} value={choice.ref}>
          {choice.fqdn}
        </option>
      ))}
    </TextField>
  );
}

/** Checked before the step can be left: a Sovereign must be chosen. */
export const tenantSovereignValidation: CustomFieldValidator<
  PickedValue | string
> = (value, validation) => {
  if (!pickedRef(value))
    validation.addError('Choose the Sovereign the voucher is for');
};

/** The first App: one of the Blueprints the chosen Sovereign runs that a tenant installs, or none. */
export function FirstAppPicker(
  props: FieldExtensionComponentProps<PickedValue | undefined>,
) {
  const { onChange, rawErrors, schema, idSchema, formContext } = props;
  const formData = pickedRef(props.formData);
  const catalog = useApi(catalogApiRef);
  const sovereignRef = pickedRef(
    (wizardFormData(formContext) as Record<string, unknown>).sovereign,
  );
  const loaded = useLoaded(async () => {
    if (!sovereignRef) return undefined;
    const [sovereign, blueprints] = await Promise.all([
      catalog.getEntityByRef(sovereignRef),
      catalog.getEntities({
        filter: { kind: 'Blueprint' },
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.title',
          'spec.installable',
          'spec.alwaysIncluded',
        ],
      }),
    ]);
    return {
      fqdn: ((sovereign?.spec ?? {}) as { fqdn?: string }).fqdn,
      choices: firstAppChoices(sovereign, blueprints.items),
    };
  }, [catalog, sovereignRef]);
  const value = loaded && 'value' in loaded ? loaded.value : undefined;
  const choices = useMemo(() => value?.choices ?? [], [value]);
  // A choice that the newly chosen Sovereign does not run is dropped, never sent.
  useEffect(() => {
    if (formData && value && !choices.some(c => c.ref === formData)) {
      onChange(undefined);
    }
  }, [formData, value, choices, onChange]);

  if (!sovereignRef) {
    return (
      <Typography variant="body2" color="textSecondary">
        Choose the Sovereign first: the first App is one of the Apps it runs.
      </Typography>
    );
  }
  if (loaded && 'error' in loaded) {
    return (
      <Alert severity="error">
        Could not list the Apps of the Sovereign: {loaded.error.message}
      </Alert>
    );
  }
  const id = idSchema?.$id ?? 'firstApp';
  const fqdn = value?.fqdn ?? 'the Sovereign';
  return (
    <TextField
      id={id}
      select
      label={schema.title ?? 'First App'}
      value={choices.some(c => c.ref === formData) ? formData : ''}
      onChange={e => {
        const next = choices.find(c => c.ref === e.target.value);
        onChange(next ? { ref: next.ref, title: next.title } : undefined);
      }}
      error={Boolean(rawErrors?.length)}
      helperText={
        rawErrors?.length
          ? rawErrors.join(' ')
          : `${
              value && !choices.length
                ? `${fqdn} runs no App an Organization installs yet: start without one.`
                : `One of the ${choices.length} Apps ${fqdn} runs, installed into your namespace; or none.`
            }`
      }
      fullWidth
      margin="normal"
      variant="outlined"
      SelectProps={{ native: true }}
      InputLabelProps={{ shrink: true }}
      disabled={!value}
    >
      <option value="">{value ? 'No App for now' : 'Loading…'}</option>
      {choices.map(choice => (
        <option key={choice.ref} value={choice.ref}>
          {choice.title}
        </option>
      ))}
    </TextField>
  );
}
