#!/usr/bin/env node
/* eslint-disable no-console */
// Fails when a package reaches past another package's boundary (docs/packages.md):
//   1. a plugin (plugins/*) depends on a workspace package that is not a plugin library (role common-library,
//      node-library or web-library in plugins/): plugins share code through -common / -node / -react libraries,
//      never through another plugin or module, and never through the end-to-end package in packages/;
//   2. a file imports another workspace package by path (`../plugins/x/src/...`, `plugins/x/__testUtils__`)
//      instead of by name, or imports a subpath of it (`@catalyst/x/src/...`) the package does not export.
// bench/ and scripts/ are held to rule 2 as well: they use the packages' entry points like any other caller.
const fs = require('node:fs');
const path = require('node:path');

const repo = path.resolve(__dirname, '..');
const LIBRARY_ROLES = ['common-library', 'node-library', 'web-library'];
const DEPENDENCY_FIELDS = [
  'dependencies',
  'devDependencies',
  'peerDependencies',
  'optionalDependencies',
];

/** Every workspace package: its folder, package.json and top folder (plugins or packages). */
const workspaces = new Map();
for (const top of ['plugins', 'packages']) {
  for (const entry of fs.readdirSync(path.join(repo, top), {
    withFileTypes: true,
  })) {
    const dir = path.join(repo, top, entry.name);
    const manifest = path.join(dir, 'package.json');
    if (!entry.isDirectory() || !fs.existsSync(manifest)) continue;
    const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8'));
    workspaces.set(pkg.name, { dir, pkg, top });
  }
}

const problems = [];

// 1. What plugins may depend on.
for (const [name, { dir, pkg, top }] of workspaces) {
  if (top !== 'plugins') continue;
  for (const field of DEPENDENCY_FIELDS) {
    for (const dep of Object.keys(pkg[field] ?? {})) {
      const target = workspaces.get(dep);
      if (!target) continue;
      const role = target.pkg.backstage?.role;
      if (target.top !== 'plugins' || !LIBRARY_ROLES.includes(role)) {
        problems.push(
          `${path.relative(repo, dir)}/package.json: ${name} lists ${dep} (${
            role ?? 'no role'
          }, in ${
            target.top
          }/) in ${field}; a plugin may depend only on -common / -node / -react libraries`,
        );
      }
    }
  }
}

// 2. How files import other workspace packages.
function* sources(dir) {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (
      ['node_modules', 'dist', 'dist-types', 'results'].includes(entry.name) ||
      entry.name.startsWith('.')
    ) {
      continue;
    }
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(full);
    else if (/\.(ts|tsx|js|cjs|mjs)$/.test(entry.name)) yield full;
  }
}

/** The workspace package folder a path lies in, if any. */
function packageDirOf(file) {
  for (const { dir } of workspaces.values()) {
    if (file === dir || file.startsWith(dir + path.sep)) return dir;
  }
  return undefined;
}

/** Subpaths a package exports besides its index (`exports` keys, without `./`). */
function exportedSubpaths(pkg) {
  if (!pkg.exports || typeof pkg.exports !== 'object') return ['package.json'];
  return Object.keys(pkg.exports)
    .filter(key => key !== '.')
    .map(key => key.replace(/^\.\//, ''));
}

const SPECIFIER =
  /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire(?:\.resolve)?\s*\(\s*|\bjest\.mock\(\s*)['"]([^'"\n]+)['"]/g;
const PATH_INTO_PACKAGE =
  /(?:^|\/)(plugins|packages)\/[^/]+\/(src|__\w+__)(\/|$)/;

const scanned = ['plugins', 'packages', 'bench', 'scripts'].map(top =>
  path.join(repo, top),
);
let files = 0;
for (const root of scanned) {
  for (const file of sources(root)) {
    files++;
    const own = packageDirOf(file);
    const text = fs.readFileSync(file, 'utf8');
    for (const match of text.matchAll(SPECIFIER)) {
      const spec = match[1];
      const where = `${path.relative(repo, file)}: '${spec}'`;
      if (spec.startsWith('.')) {
        const target = path.resolve(path.dirname(file), spec);
        const targetDir = packageDirOf(target);
        if (targetDir && targetDir !== own) {
          problems.push(
            `${where} reaches into ${path.relative(
              repo,
              targetDir,
            )} by path; import the package by name`,
          );
        }
      } else if (PATH_INTO_PACKAGE.test(spec)) {
        problems.push(`${where} names a file inside a package's source`);
      } else {
        const parts = spec.split('/');
        const name = spec.startsWith('@')
          ? parts.slice(0, 2).join('/')
          : parts[0];
        const subpath = parts.slice(spec.startsWith('@') ? 2 : 1).join('/');
        const target = workspaces.get(name);
        if (
          target &&
          subpath &&
          target.dir !== own &&
          !exportedSubpaths(target.pkg).includes(subpath)
        ) {
          problems.push(
            `${where} is not an entry point of ${name} (it exports: ${
              ['.', ...exportedSubpaths(target.pkg)].join(', ') || '.'
            })`,
          );
        }
      }
    }
  }
}

if (problems.length > 0) {
  for (const problem of problems) console.error(problem);
  process.exit(1);
}
console.log(
  `Package boundaries: ${workspaces.size} packages, ${files} files; no plugin depends on another plugin, every import uses an entry point`,
);
