import { makeStyles } from '@material-ui/core';

const useStyles = makeStyles({
  svg: { display: 'block' },
  ring: { fill: 'none', stroke: '#7df3e1', strokeWidth: 3 },
  core: { fill: '#7df3e1' },
});

/** The Catalyst mark: a core with three orbiting nodes (a Sovereign and its regions). */
export const CatalystMark = ({ size }: { size: number }) => {
  const classes = useStyles();
  return (
    <svg
      className={classes.svg}
      width={size}
      height={size}
      viewBox="0 0 40 40"
      xmlns="http://www.w3.org/2000/svg"
      role="img"
      aria-label="Catalyst"
    >
      <circle className={classes.ring} cx="20" cy="20" r="15" />
      <circle className={classes.core} cx="20" cy="20" r="6" />
      <circle className={classes.core} cx="20" cy="5" r="3.5" />
      <circle className={classes.core} cx="33" cy="27.5" r="3.5" />
      <circle className={classes.core} cx="7" cy="27.5" r="3.5" />
    </svg>
  );
};

/** The sidebar's collapsed logo. */
export const LogoIcon = () => <CatalystMark size={28} />;
