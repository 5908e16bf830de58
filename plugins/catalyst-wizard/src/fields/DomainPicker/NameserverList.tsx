import { useState } from 'react';
import Box from '@material-ui/core/Box';
import IconButton from '@material-ui/core/IconButton';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import FileCopyIcon from '@material-ui/icons/FileCopy';
import { Alert } from '@material-ui/lab';

/** The NS records a user sets at their registrar for their own domain, each with a copy button. */
export const NameserverList = (props: {
  fqdn: string;
  nameservers: string[];
}) => {
  const { fqdn, nameservers } = props;
  const [copied, setCopied] = useState<string | undefined>();
  const copy = (text: string) => {
    window.navigator.clipboard?.writeText(text);
    setCopied(text);
  };
  return (
    <Box mt={2}>
      <Typography variant="subtitle2">
        Set these NS records at your registrar for {fqdn || 'your domain'}:
      </Typography>
      {nameservers.length ? (
        <List dense>
          {nameservers.map(ns => (
            <ListItem key={ns}>
              <ListItemText primary={`NS ${ns}`} />
              <IconButton aria-label={`Copy ${ns}`} onClick={() => copy(ns)}>
                <FileCopyIcon fontSize="small" />
              </IconButton>
            </ListItem>
          ))}
        </List>
      ) : (
        <Alert severity="warning">
          PDM did not report its nameservers; ask your platform team.
        </Alert>
      )}
      {copied && (
        <Typography variant="caption" role="status">
          Copied {copied}
        </Typography>
      )}
      <Typography variant="body2" color="textSecondary">
        Propagation typically takes 1–4 hours and up to 48 hours. TLS
        certificates are issued by Let's Encrypt once the delegation is visible.
      </Typography>
    </Box>
  );
};
