module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // This package exists to run the backend plugins together in one process, as packages/backend does in
    // production; no plugin depends on it, so importing plugins here couples none of them to another.
    '@backstage/no-mixed-plugin-imports': 'off',
  },
});
