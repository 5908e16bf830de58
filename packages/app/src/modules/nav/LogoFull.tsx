import { makeStyles } from '@material-ui/core';
import { CatalystMark } from './LogoIcon';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    alignItems: 'center',
    gap: 10,
    height: 30,
  },
  word: {
    color: '#7df3e1',
    fontSize: 24,
    fontWeight: 700,
    letterSpacing: 0.5,
    lineHeight: 1,
  },
});

/** The sidebar's full logo: the Catalyst mark and word. */
export const LogoFull = () => {
  const classes = useStyles();
  return (
    <span className={classes.root}>
      <CatalystMark size={30} />
      <span className={classes.word}>Catalyst</span>
    </span>
  );
};
