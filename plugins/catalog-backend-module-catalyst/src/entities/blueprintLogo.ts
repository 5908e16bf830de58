import * as simpleIcons from 'simple-icons';

type SimpleIcon = { title: string; slug: string; svg: string; hex: string };

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

let iconsBySlug: Map<string, SimpleIcon> | undefined;

function icons(): Map<string, SimpleIcon> {
  if (!iconsBySlug) {
    iconsBySlug = new Map();
    for (const value of Object.values(simpleIcons) as unknown[]) {
      const icon = value as Partial<SimpleIcon> | undefined;
      if (
        icon &&
        typeof icon.slug === 'string' &&
        typeof icon.svg === 'string'
      ) {
        iconsBySlug.set(icon.slug, icon as SimpleIcon);
      }
    }
  }
  return iconsBySlug;
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
      if (icon) return icon;
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
