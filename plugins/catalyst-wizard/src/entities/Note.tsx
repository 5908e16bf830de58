import type { ReactNode } from 'react';
import Typography from '@material-ui/core/Typography';

/** A secondary paragraph of an overview card (a reason, a description); nothing when there is no text. */
export const Note = (props: { children?: ReactNode }) =>
  props.children ? (
    <Typography variant="body2" color="textSecondary" paragraph>
      {props.children}
    </Typography>
  ) : null;
