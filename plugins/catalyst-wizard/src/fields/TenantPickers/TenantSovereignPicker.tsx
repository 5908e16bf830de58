import { useEffect, useMemo } from 'react';
import type {
  CustomFieldValidator,
  FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { PickedValue, pickedRef, sovereignChoices } from './tenantChoices';
import { EntityChoiceSelect } from './EntityChoiceSelect';
import { useLoaded } from './useLoaded';

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
    <EntityChoiceSelect
      id={id}
      label={schema.title ?? 'Sovereign'}
      value={chosen ? formData! : ''}
      choices={choices.map(choice => ({ ref: choice.ref, label: choice.fqdn }))}
      emptyLabel={loaded ? 'Choose a Sovereign' : 'Loading…'}
      onChange={ref => {
        const next = choices.find(c => c.ref === ref);
        onChange(next ? { ref: next.ref, fqdn: next.fqdn } : undefined!);
      }}
      required={required}
      error={
        Boolean(rawErrors?.length) || Boolean(formData && loaded && !chosen)
      }
      helperText={rawErrors?.length ? rawErrors.join(' ') : help}
      disabled={!loaded}
    />
  );
}

/** Checked before the step can be left: a Sovereign must be chosen. */
export const tenantSovereignValidation: CustomFieldValidator<
  PickedValue | string
> = (value, validation) => {
  if (!pickedRef(value))
    validation.addError('Choose the Sovereign the voucher is for');
};
