import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

type IconData = { title: string; slug: string; hex: string };
type SimpleIcon = IconData & { svg: string };

/** A brand mark from simple-icons, or the data the frontend needs to draw a letter mark. Never a broken image. */
export type BlueprintLogo =
  | {
      type: 'simple-icons';
      slug: string;
      title: string;
      hex: string;
      /** `data:image/svg+xml;base64,…`, filled with the brand colour. */
      dataUrl: string;
    }
  | { type: 'letter'; letter: string; hex: string };

let iconsBySlug: Map<string, IconData> | undefined;

/**
 * simple-icons' index (title, slug, colour of every icon), read from its JSON data file. The package's main module
 * holds the SVG of all ~3,400 icons (5 MB of code kept for the life of the process); only the few a Blueprint
 * uses are read, from their own files (`icons/<slug>.svg`).
 */
const iconsIndexFile = () => require.resolve('simple-icons/icons.json');

function icons(): Map<string, IconData> {
  if (!iconsBySlug) {
    iconsBySlug = new Map();
    const data = JSON.parse(
      readFileSync(iconsIndexFile(), 'utf8'),
    ) as unknown[];
    for (const value of data) {
      const icon = value as Partial<IconData> | undefined;
      if (
        icon &&
        typeof icon.slug === 'string' &&
        typeof icon.title === 'string' &&
        typeof icon.hex === 'string'
      ) {
        iconsBySlug.set(icon.slug, {
          slug: icon.slug,
          title: icon.title,
          hex: icon.hex,
        });
      }
    }
  }
  return iconsBySlug;
}

function withSvg(icon: IconData): SimpleIcon {
  const svg = readFileSync(
    join(dirname(iconsIndexFile()), '..', 'icons', `${icon.slug}.svg`),
    'utf8',
  ).trim();
  return { ...icon, svg };
}

/** simple-icons' slug rule, simplified: lower case, `+` → plus, `.` → dot, `&` → and, other symbols dropped. */
function toSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/\+/g, 'plus')
    .replace(/\./g, 'dot')
    .replace(/&/g, 'and')
    .replace(/[^a-z0-9]/g, '');
}

/**
 * Finds the brand icon of a Blueprint by its component id and display name. Besides the plain slugs it tries the
 * spellings simple-icons uses for project brands (`apache<name>`, `<name>proxy`, `<name>dotio`).
 */
export function findBrandIcon(
  id: string,
  title: string,
): SimpleIcon | undefined {
  const bases = [
    ...new Set([id, toSlug(id), toSlug(title), toSlug(id.split('-')[0])]),
  ].filter(b => b.length >= 3);
  const all = icons();
  for (const base of bases) {
    for (const candidate of [
      base,
      `apache${base}`,
      `${base}proxy`,
      `${base}dotio`,
    ]) {
      const icon = all.get(candidate);
      if (icon) return withSvg(icon);
    }
  }
  return undefined;
}

/** A stable colour per name, so a letter mark keeps its colour across refreshes. */
function letterColour(name: string): string {
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  const palette = [
    '1E88E5',
    '43A047',
    'F4511E',
    '8E24AA',
    '00897B',
    '6D4C41',
    '3949AB',
    'C0CA33',
  ];
  return palette[hash % palette.length];
}

export function blueprintLogo(id: string, title: string): BlueprintLogo {
  const icon = findBrandIcon(id, title);
  if (icon) {
    const svg = icon.svg.replace('<svg ', `<svg fill="#${icon.hex}" `);
    return {
      type: 'simple-icons',
      slug: icon.slug,
      title: icon.title,
      hex: icon.hex,
      dataUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString(
        'base64',
      )}`,
    };
  }
  const letter = (title.match(/[A-Za-z0-9]/)?.[0] ?? '?').toUpperCase();
  return { type: 'letter', letter, hex: letterColour(id) };
}
