#!/usr/bin/env node
/* eslint-disable no-console */
// Fails when any @backstage package is installed more than once: mixed release lines break
// extension points and service refs in ways that only show at run time.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', 'node_modules');
const copies = new Map();

function visit(dir, depth) {
  if (depth > 8 || !fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (
      !entry.isDirectory() ||
      entry.name === '.bin' ||
      entry.name === '.cache'
    )
      continue;
    const full = path.join(dir, entry.name);
    if (entry.name.startsWith('@')) {
      for (const sub of fs.readdirSync(full, { withFileTypes: true })) {
        if (sub.isDirectory()) record(path.join(full, sub.name), depth);
      }
    } else {
      record(full, depth);
    }
  }
}

function record(pkgDir, depth) {
  const manifest = path.join(pkgDir, 'package.json');
  if (fs.existsSync(manifest)) {
    const { name, version } = JSON.parse(fs.readFileSync(manifest, 'utf8'));
    if (name && name.startsWith('@backstage/')) {
      const list = copies.get(name) ?? [];
      list.push(`${version} at ${path.relative(root, pkgDir)}`);
      copies.set(name, list);
    }
  }
  visit(path.join(pkgDir, 'node_modules'), depth + 1);
}

visit(root, 0);
const duplicated = [...copies].filter(([, list]) => list.length > 1);
if (duplicated.length > 0) {
  console.error('More than one installed copy of these @backstage packages:');
  for (const [name, list] of duplicated) {
    console.error(`  ${name}: ${list.join(', ')}`);
  }
  process.exit(1);
}
console.log(`@backstage packages: ${copies.size}, each installed once`);
