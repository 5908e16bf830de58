import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  StatefulField,
  mockCatalystApi,
  renderField,
  runValidator,
} from '../__testUtils__/renderField';
import { SshPublicKey, forgetGeneratedKey } from './SshPublicKey';
import { sshPublicKeyValidation } from './validation';

// Real keys made with ssh-keygen for this test.
const ED25519 =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEjKaN4Q08ggu0FRiIdPbAIhrCv2S6ZmVnaZXwmWIfuA catalyst@test';
const NISTP384 =
  'ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBL4pLPiVap95iGAdjr2DLZTc4hQyPinUFSWgJsUDpU4u6gDKIQRQ7VKmllbWHtvZCASfbYTpHJZ1Niije4DYVJDQD2MEAtruvE9cV1Sc/NLacfP+Cl9byk+7PHqgoLziVg== op@host';

describe('SshPublicKey', () => {
  let downloads: string[];
  beforeEach(() => {
    forgetGeneratedKey();
    downloads = [];
    (URL as any).createObjectURL = jest.fn(() => 'blob:key');
    (URL as any).revokeObjectURL = jest.fn();
    jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function recordDownload(this: HTMLAnchorElement) {
        downloads.push(this.download);
      });
  });

  it('generates a key server-side, downloads the private key once as <fqdn>.pem and offers download again', async () => {
    const api = mockCatalystApi({
      generateSshKey: jest.fn().mockResolvedValue({
        publicKey: ED25519,
        privateKey:
          '-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n',
        fingerprint: 'SHA256:abc',
      }),
    });
    const onValue = jest.fn();
    await renderField(
      <StatefulField
        component={SshPublicKey}
        onValue={onValue}
        formData={{
          domain: {
            mode: 'pool',
            poolDomain: 'omani.works',
            subdomain: 'acme',
            byoDomain: '',
            registrar: '',
          },
        }}
      />,
      api,
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Generate SSH key pair' }),
    );
    await waitFor(() => expect(onValue).toHaveBeenCalledWith(ED25519));
    expect(api.generateSshKey).toHaveBeenCalledWith('acme.omani.works');
    expect(downloads).toEqual(['acme.omani.works.pem']);
    expect(screen.getByText(/Fingerprint SHA256:abc/)).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Download again' }),
    );
    expect(downloads).toEqual(['acme.omani.works.pem', 'acme.omani.works.pem']);
    expect(api.generateSshKey).toHaveBeenCalledTimes(1);
  });

  it('names the problem with a pasted key as the user types', async () => {
    const onValue = jest.fn();
    await renderField(
      <StatefulField component={SshPublicKey} onValue={onValue} />,
      mockCatalystApi(),
    );
    await userEvent.click(
      screen.getByRole('radio', { name: 'Paste my own public key' }),
    );
    const input = screen.getByLabelText('OpenSSH public key');
    await userEvent.type(input, 'ssh-dss AAAAB3NzaC1kc3MAAACBAP');
    expect(screen.getByText(/^The public key /)).toBeInTheDocument();
    await userEvent.clear(input);
    await userEvent.click(input);
    await userEvent.paste(ED25519);
    expect(onValue).toHaveBeenLastCalledWith(ED25519);
    expect(screen.queryByText(/^The public key /)).not.toBeInTheDocument();
  });

  it('validator accepts the shared key types and rejects the rest', async () => {
    expect(await runValidator(sshPublicKeyValidation, ED25519)).toEqual([]);
    expect(await runValidator(sshPublicKeyValidation, '')).toEqual([
      'Generate a key pair or paste an OpenSSH public key',
    ]);
    // One rule shared with the server and the OpenTofu module (defect 8): whatever it says, the field says.
    const { checkSshPublicKey } = jest.requireActual(
      '@catalyst/plugin-catalyst-common',
    );
    const shared = checkSshPublicKey(NISTP384);
    expect(await runValidator(sshPublicKeyValidation, NISTP384)).toEqual(
      shared.ok ? [] : [`The public key ${shared.message}`],
    );
    const [dsa] = await runValidator(
      sshPublicKeyValidation,
      'ssh-dss AAAAB3NzaC1kc3MAAACBAP op@host',
    );
    expect(dsa).toMatch(/^The public key /);
  });
});
