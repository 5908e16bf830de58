import { useEffect, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { VoucherPreview, vouchersApiRef } from '../VouchersApi';

export type VoucherPreviewState =
  | { status: 'missing' }
  | { status: 'loading' }
  | { status: 'done'; code: string; preview: VoucherPreview }
  | { status: 'error'; error: Error };

/** How long typing must pause before a code is checked: the preview endpoint is rate-limited per IP. */
export const PREVIEW_DEBOUNCE_MS = 400;

/**
 * Previews `code` (already trimmed and upper-cased) after the typing pauses. A code that came with the link is
 * checked at once. Answers for a code the user has since changed are dropped.
 */
export function useVoucherPreview(
  code: string,
  sovereign: string | undefined,
  options: { immediate: boolean },
): VoucherPreviewState {
  const vouchersApi = useApi(vouchersApiRef);
  const [state, setState] = useState<VoucherPreviewState>(
    code ? { status: 'loading' } : { status: 'missing' },
  );
  const { immediate } = options;

  useEffect(() => {
    if (!code) {
      setState({ status: 'missing' });
      return undefined;
    }
    let current = true;
    setState({ status: 'loading' });
    const timer = setTimeout(
      () => {
        vouchersApi.previewVoucher(code, sovereign).then(
          preview => {
            if (current) setState({ status: 'done', code, preview });
          },
          error => {
            if (current) {
              setState({
                status: 'error',
                error:
                  error instanceof Error ? error : new Error(String(error)),
              });
            }
          },
        );
      },
      immediate ? 0 : PREVIEW_DEBOUNCE_MS,
    );
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [vouchersApi, code, sovereign, immediate]);

  return state;
}
