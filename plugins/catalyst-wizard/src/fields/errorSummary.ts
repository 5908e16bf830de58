import { makeStyles } from '@material-ui/core/styles';

/** Put on the root element of every Catalyst field: `<Box {...CATALYST_FIELD}>`. */
export const CATALYST_FIELD = { 'data-catalyst-field': true } as const;

const useStyles = makeStyles({
  '@global': {
    // The scaffolder's form lists every error of the last Next once more above the page, in JSON-schema words
    // ("'SSH public key' must have …"), and keeps the list until the next Next. Catalyst fields show their own
    // messages next to themselves (useFieldErrors), so on a page that holds one the list only repeats them.
    // The new frontend system offers no form option for it (showErrorList), hence this rule.
    'form.rjsf:has([data-catalyst-field]) > .MuiPaper-root:first-child': {
      display: 'none',
    },
  },
});

/** Hides the scaffolder's repeated error list on pages that hold a Catalyst field. */
export function useOwnErrorMessages(): void {
  useStyles();
}
