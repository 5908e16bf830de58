/**
 * The catalog settings the catalog benchmark runs with, for its floor and for Catalyst alike: the values
 * app-config.yaml sets under `catalog` (keep them in step). This catalog version always stitches deferred (there
 * is no immediate mode any more); its queue poll interval and the processing interval are what can be tuned.
 */
export const CATALOG_SETTINGS = {
  processingInterval: { minutes: 5 },
  stitchingStrategy: {
    pollingInterval: { milliseconds: 100 },
    stitchTimeout: { seconds: 60 },
  },
};
