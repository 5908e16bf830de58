import { useEffect, useMemo } from 'react';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import { Alert } from '@material-ui/lab';
import { wizardFormData } from '../wizardForm';
import { firstAppChoices, PickedValue, pickedRef } from './tenantChoices';
import { EntityChoiceSelect } from './EntityChoiceSelect';
import { useLoaded } from './useLoaded';

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
    <EntityChoiceSelect
      id={id}
      label={schema.title ?? 'First App'}
      value={choices.some(c => c.ref === formData) ? formData! : ''}
      choices={choices.map(choice => ({
        ref: choice.ref,
        label: choice.title,
      }))}
      emptyLabel={value ? 'No App for now' : 'Loading…'}
      onChange={ref => {
        const next = choices.find(c => c.ref === ref);
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
      disabled={!value}
    />
  );
}
