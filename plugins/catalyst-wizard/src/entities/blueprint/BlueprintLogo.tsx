import { useEffect, useState } from 'react';
import { Entity } from '@backstage/catalog-model';
import {
  BlueprintLogoSpec,
  LOGO_SLUG_ANNOTATION,
  blueprintSpec,
} from '../catalystEntities';

/** A simple-icons brand mark: one 24×24 path and its brand colour. */
export interface BrandIcon {
  title: string;
  hex: string;
  path: string;
}

type IconModule = Record<string, unknown>;

// simple-icons ships every brand in one large module: load it on first use, in its own chunk, and only once.
let iconModule: Promise<IconModule> | undefined;
function loadIcons(): Promise<IconModule> {
  if (!iconModule) {
    iconModule = import('simple-icons').then(m => m as unknown as IconModule);
  }
  return iconModule;
}

const SLUG = /^[a-z0-9_]+$/;

/** Looks a simple-icons slug up; undefined when simple-icons has no such brand. */
export async function findBrandIcon(
  slug: string,
): Promise<BrandIcon | undefined> {
  if (!SLUG.test(slug)) return undefined;
  const icons = await loadIcons();
  const icon = icons[`si${slug[0].toUpperCase()}${slug.slice(1)}`] as
    | Partial<BrandIcon>
    | undefined;
  if (!icon?.path || !icon.hex) return undefined;
  return { title: icon.title ?? slug, hex: icon.hex, path: icon.path };
}

/**
 * `spec.logo` as an image source: the provider's brand data URL, inline SVG markup turned into a data URL, or
 * an https/data URL. Anything else (a letter mark, a bare file name) has no image.
 */
export function logoImageSource(
  logo: BlueprintLogoSpec | null | undefined,
): string | undefined {
  if (logo && typeof logo === 'object') {
    return logo.type === 'simple-icons' &&
      typeof logo.dataUrl === 'string' &&
      logo.dataUrl.startsWith('data:image/')
      ? logo.dataUrl
      : undefined;
  }
  const value = logo?.trim();
  if (!value) return undefined;
  if (value.startsWith('<svg') || value.startsWith('<?xml')) {
    // An <img> never runs scripts inside an SVG, so provider-supplied markup is safe to show this way.
    return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(value)}`;
  }
  if (/^(https:\/\/|data:image\/)/.test(value)) return value;
  return undefined;
}

/**
 * The simple-icons slug for a Blueprint: the `catalyst.openova.io/logo-slug` annotation, else the base name of
 * a logo file name in `spec.logo` (the component catalog names its brand files after the brand, e.g.
 * `grafana.svg`, `external-dns.png`).
 */
export function brandSlug(entity: Entity): string | undefined {
  const annotated = entity.metadata.annotations?.[LOGO_SLUG_ANNOTATION]?.trim();
  if (annotated) return annotated.toLocaleLowerCase('en-US');
  const logo = blueprintSpec(entity).logo;
  if (logo && typeof logo === 'object') {
    return logo.type === 'simple-icons' && logo.slug ? logo.slug : undefined;
  }
  const file =
    typeof logo === 'string' && /^[\w.-]+\.(svg|png|jpe?g|webp)$/i.exec(logo);
  if (!file) return undefined;
  return file[0]
    .replace(/\.[a-z]+$/i, '')
    .toLocaleLowerCase('en-US')
    .replace(/[^a-z0-9]/g, '');
}

/** The name a letter mark is made from: `bp-grafana` reads as `grafana`. */
function markName(name: string): string {
  return name.replace(/^bp-/, '');
}

/** Two letters for a letter mark: initials of a multi-word name, else its first two letters. */
export function letterMarkText(name: string): string {
  const words = markName(name)
    .split(/[-_\s.]+/)
    .filter(Boolean);
  if (words.length === 0) return '?';
  if (words.length === 1) {
    const w = words[0];
    return (w[0].toUpperCase() + (w[1] ?? '')).slice(0, 2);
  }
  return (words[0][0] + words[1][0]).toUpperCase();
}

/** A stable hue per name, so a Blueprint keeps its colour on every page. */
export function letterMarkHue(name: string): number {
  let hash = 0;
  for (const ch of markName(name)) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return hash % 360;
}

/** The letter and colour the provider chose for a letter mark, when it chose one. */
function providerLetterMark(entity: Entity | undefined): {
  text?: string;
  color?: string;
} {
  const logo = entity ? blueprintSpec(entity).logo : undefined;
  if (!logo || typeof logo !== 'object' || logo.type !== 'letter') return {};
  return {
    text: logo.letter?.trim() ? logo.letter.trim().slice(0, 2) : undefined,
    color:
      logo.hex && /^[0-9a-f]{6}$/i.test(logo.hex) ? `#${logo.hex}` : undefined,
  };
}

export function LetterMark(props: {
  name: string;
  size: number;
  text?: string;
  color?: string;
}) {
  const { name, size } = props;
  const hue = letterMarkHue(name);
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 40 40"
      role="img"
      aria-label={`${markName(name)} logo`}
      data-logo="letter-mark"
    >
      <rect
        width="40"
        height="40"
        rx="8"
        fill={props.color ?? `hsl(${hue}, 55%, 42%)`}
      />
      <text
        x="20"
        y="21"
        textAnchor="middle"
        dominantBaseline="middle"
        fontFamily="Helvetica, Arial, sans-serif"
        fontSize="17"
        fontWeight="600"
        fill="#ffffff"
      >
        {props.text ?? letterMarkText(name)}
      </text>
    </svg>
  );
}

export interface BlueprintLogoProps {
  /** The Blueprint entity; when absent (not in the catalog) a letter mark of `name` is shown. */
  entity?: Entity;
  name: string;
  size?: number;
}

/**
 * A Blueprint's logo: the provider's SVG (`spec.logo`), else the simple-icons brand named by
 * {@link brandSlug}, else a generated letter mark. Whatever fails to load falls
 * back to the letter mark, so the page never shows a broken image.
 */
export function BlueprintLogo(props: BlueprintLogoProps) {
  const { entity, name, size = 32 } = props;
  const imageSource = entity
    ? logoImageSource(blueprintSpec(entity).logo)
    : undefined;
  const slug = entity ? brandSlug(entity) : undefined;
  const [imageFailed, setImageFailed] = useState(false);
  const [brand, setBrand] = useState<BrandIcon | undefined>();

  useEffect(() => {
    let current = true;
    setBrand(undefined);
    if (imageSource || !slug) return undefined;
    findBrandIcon(slug).then(
      icon => {
        if (current) setBrand(icon);
      },
      () => {
        // The brand module failed to load (e.g. offline chunk): the letter mark stays.
      },
    );
    return () => {
      current = false;
    };
  }, [imageSource, slug]);

  if (imageSource && !imageFailed) {
    return (
      <img
        src={imageSource}
        alt={`${markName(name)} logo`}
        width={size}
        height={size}
        style={{ objectFit: 'contain' }}
        data-logo="image"
        onError={() => setImageFailed(true)}
      />
    );
  }
  if (brand) {
    return (
      <svg
        width={size}
        height={size}
        viewBox="0 0 24 24"
        role="img"
        aria-label={`${brand.title} logo`}
        data-logo="brand"
      >
        <path d={brand.path} fill={`#${brand.hex}`} />
      </svg>
    );
  }
  return <LetterMark name={name} size={size} {...providerLetterMark(entity)} />;
}
