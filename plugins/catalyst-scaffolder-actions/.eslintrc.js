module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  overrides: [
    {
      // The end-to-end harness boots the scaffolder together with the catalyst and PDM backend plugins (and
      // PDM's registrar fakes) in one process; only these tests may import backend plugins.
      files: ['src/e2e/**'],
      rules: { '@backstage/no-mixed-plugin-imports': 'off' },
    },
  ],
});
