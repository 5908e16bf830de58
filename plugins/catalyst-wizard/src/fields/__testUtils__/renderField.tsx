import '@testing-library/jest-dom';
import type { ComponentType, ReactElement, ReactNode } from 'react';
import { useEffect, useState } from 'react';
import { configure } from '@testing-library/react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import {
  SecretsContextProvider,
  useTemplateSecrets,
} from '@backstage/plugin-scaffolder-react';
import { createFieldValidation } from '@backstage/plugin-scaffolder-react/alpha';
import { catalystApiRef, type CatalystApi } from '../../api';
import { loadCatalogData } from './catalogData';

// Card grids with 60+ MUI cards render slowly on small CI machines.
configure({ asyncUtilTimeout: 15_000 });
jest.setTimeout(60_000);

export const catalogData = loadCatalogData();

/** A CatalystApi whose every call is a jest mock; catalog data is the real parsed YAML. */
export function mockCatalystApi(
  overrides: Partial<jest.Mocked<CatalystApi>> = {},
): jest.Mocked<CatalystApi> {
  return {
    getCatalogData: jest.fn().mockResolvedValue(catalogData),
    validateCredential: jest.fn(),
    generateSshKey: jest.fn(),
    checkSshKey: jest.fn(),
    getPdmInfo: jest.fn().mockResolvedValue({
      managedDomains: ['omani.works', 'openova.io'],
      registrars: ['cloudflare', 'dynadot'],
      nameservers: ['ns1.openova.io', 'ns2.openova.io', 'ns3.openova.io'],
    }),
    checkSubdomain: jest.fn(),
    validateRegistrarToken: jest.fn(),
    ...overrides,
  } as jest.Mocked<CatalystApi>;
}

/** Exposes the scaffolder secrets context to a test. */
export const secretsProbe: { current: Record<string, string> } = {
  current: {},
};

const SecretsProbe = ({ children }: { children: ReactNode }) => {
  const { secrets } = useTemplateSecrets();
  useEffect(() => {
    secretsProbe.current = secrets;
  }, [secrets]);
  return <>{children}</>;
};

export function renderField(
  element: ReactElement,
  api: CatalystApi,
  initialSecrets: Record<string, string> = {},
) {
  secretsProbe.current = { ...initialSecrets };
  return renderInTestApp(
    <TestApiProvider apis={[[catalystApiRef, api]]}>
      <SecretsContextProvider initialSecrets={initialSecrets}>
        <SecretsProbe>{element}</SecretsProbe>
      </SecretsContextProvider>
    </TestApiProvider>,
  );
}

/** Runs a field validator the way the scaffolder's Stepper does and returns its messages. */
export async function runValidator<T>(
  validator: (v: T, f: any, ctx: any) => void | Promise<void>,
  value: T,
  formData: Record<string, unknown> = {},
  api: CatalystApi = mockCatalystApi(),
  uiSchema: Record<string, unknown> = {},
): Promise<string[]> {
  const validation = createFieldValidation();
  await validator(value, validation, {
    apiHolder: {
      get: (ref: { id: string }) =>
        ref.id === catalystApiRef.id ? api : undefined,
    },
    formData,
    schema: {},
    uiSchema,
  });
  return (validation as unknown as { __errors?: string[] }).__errors ?? [];
}

/** Minimal RJSF field props; tests override what they need. */
export function fieldProps<T>(
  overrides: Record<string, unknown> & { formData?: T },
) {
  return {
    name: 'field',
    schema: { title: 'Field' },
    uiSchema: {},
    idSchema: { $id: 'root_field' },
    rawErrors: [],
    required: false,
    disabled: false,
    readonly: false,
    onBlur: jest.fn(),
    onFocus: jest.fn(),
    formContext: { formData: {} },
    registry: {} as any,
    errorSchema: {},
    ...overrides,
  } as any;
}

/** Holds a field's value in state like the scaffolder form does, and records every change. */
export function StatefulField<T>(props: {
  component: ComponentType<any>;
  initial?: T;
  formData?: Record<string, unknown>;
  onValue?: (value: T) => void;
  extra?: Record<string, unknown>;
}) {
  const {
    component: Field,
    initial,
    formData = {},
    onValue,
    extra = {},
  } = props;
  const [value, setValue] = useState<T | undefined>(initial);
  return (
    <Field
      {...fieldProps<T>({
        formData: value,
        formContext: { formData: { ...formData, field: value } },
        onChange: (v: T) => {
          setValue(v);
          onValue?.(v);
        },
        ...extra,
      })}
    />
  );
}
