import '@testing-library/jest-dom';
import { render, screen } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { blueprintEntity } from '../__fixtures__/entities';
import {
  BlueprintLogo,
  brandSlug,
  letterMarkText,
  logoImageSource,
} from './BlueprintLogo';

// Cards render through the whole test app; on a busy machine that takes seconds.
jest.setTimeout(30_000);

describe('BlueprintLogo', () => {
  it('draws the simple-icons brand named by the logo-slug annotation', async () => {
    const entity = blueprintEntity('grafana', {
      family: 'insights',
      logoSlug: 'grafana',
    });
    const { container } = render(
      <BlueprintLogo entity={entity} name="bp-grafana" />,
    );
    // The letter mark shows while the brand module loads, never an empty box.
    expect(container.querySelector('[data-logo="letter-mark"]')).not.toBeNull();
    expect(
      await screen.findByRole(
        'img',
        { name: 'Grafana logo' },
        { timeout: 15_000 },
      ),
    ).toHaveAttribute('data-logo', 'brand');
    expect(container.querySelector('path')?.getAttribute('fill')).toBe(
      '#F46800',
    );
  });

  it('uses the data URL the provider resolved', () => {
    const entity: Entity = {
      ...blueprintEntity('gitea', { family: 'pilot' }),
    };
    (entity.spec as any).logo = {
      type: 'simple-icons',
      slug: 'gitea',
      title: 'Gitea',
      hex: '609926',
      dataUrl: 'data:image/svg+xml;base64,PHN2Zy8+',
    };
    render(<BlueprintLogo entity={entity} name="bp-gitea" />);
    expect(screen.getByRole('img', { name: 'gitea logo' })).toHaveAttribute(
      'src',
      'data:image/svg+xml;base64,PHN2Zy8+',
    );
  });

  it('falls back to a letter mark when the image fails to load', async () => {
    const entity = blueprintEntity('alloy', {
      family: 'insights',
      logo: 'https://logos.example.org/alloy.svg',
    });
    const { container } = render(
      <BlueprintLogo entity={entity} name="bp-alloy" />,
    );
    const img = screen.getByRole('img', { name: 'alloy logo' });
    img.dispatchEvent(new Event('error'));
    expect(
      await screen.findByText('Al', {}, { timeout: 15_000 }),
    ).toBeInTheDocument();
    expect(container.querySelector('img')).toBeNull();
  });

  it('draws the provider letter mark, and one of its own for an unknown brand', async () => {
    const lettered = blueprintEntity('cnpg', { family: 'silo' });
    (lettered.spec as any).logo = {
      type: 'letter',
      letter: 'C',
      hex: '1E88E5',
    };
    const { container } = render(
      <BlueprintLogo entity={lettered} name="bp-cnpg" />,
    );
    expect(screen.getByText('C')).toBeInTheDocument();
    expect(container.querySelector('rect')?.getAttribute('fill')).toBe(
      '#1E88E5',
    );

    render(<BlueprintLogo name="bp-external-secrets" />);
    expect(
      screen.getByRole('img', { name: 'external-secrets logo' }),
    ).toHaveTextContent('ES');
  });
});

describe('logo helpers', () => {
  it('turns inline SVG into a data URL and ignores what an image cannot show', () => {
    expect(logoImageSource('<svg viewBox="0 0 1 1"/>')).toBe(
      `data:image/svg+xml;charset=utf-8,${encodeURIComponent(
        '<svg viewBox="0 0 1 1"/>',
      )}`,
    );
    expect(logoImageSource('grafana.svg')).toBeUndefined();
    // eslint-disable-next-line no-script-url
    expect(logoImageSource('javascript:alert(1)')).toBeUndefined();
    expect(logoImageSource({ type: 'letter', letter: 'G' })).toBeUndefined();
  });

  it('reads a brand slug from the annotation, the provider logo or a logo file name', () => {
    expect(
      brandSlug(blueprintEntity('x', { family: 'f', logoSlug: 'Grafana' })),
    ).toBe('grafana');
    expect(
      brandSlug(
        blueprintEntity('x', { family: 'f', logo: 'external-dns.png' }),
      ),
    ).toBe('externaldns');
    expect(brandSlug(blueprintEntity('x', { family: 'f' }))).toBeUndefined();
  });

  it('makes two-letter marks from the Blueprint name', () => {
    expect(letterMarkText('bp-cert-manager')).toBe('CM');
    expect(letterMarkText('bp-valkey')).toBe('Va');
  });
});
