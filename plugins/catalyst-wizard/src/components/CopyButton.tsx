import { useEffect, useRef, useState } from 'react';
import { IconButton, Tooltip } from '@material-ui/core';
import CopyIcon from '@material-ui/icons/FileCopyOutlined';
import CheckIcon from '@material-ui/icons/Check';

/**
 * A copy icon that says what it copies: its label is both the accessible name and the tooltip shown on hover
 * and focus, and after a click the tooltip says "Copied". Several copy icons next to each other stay
 * distinguishable ("Copy the code", "Copy the redeem link").
 */
export function CopyButton(props: { text: string; label: string }) {
  const { text, label } = props;
  const [copied, setCopied] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(timer.current), []);
  return (
    <Tooltip title={copied ? 'Copied' : label} placement="top" arrow>
      <IconButton
        size="small"
        aria-label={label}
        onClick={() => {
          window.navigator.clipboard?.writeText(text).catch(() => undefined);
          setCopied(true);
          clearTimeout(timer.current);
          timer.current = setTimeout(() => setCopied(false), 1500);
        }}
      >
        {copied ? (
          <CheckIcon fontSize="small" />
        ) : (
          <CopyIcon fontSize="small" />
        )}
      </IconButton>
    </Tooltip>
  );
}
