import { DependencyList, useEffect, useState } from 'react';

export type AsyncValue<T> =
  | { loading: true; value?: undefined; error?: undefined }
  | { loading: false; value: T; error?: undefined }
  | { loading: false; value?: undefined; error: Error };

/**
 * Runs `load` whenever `deps` change and tracks its outcome. A result that arrives after the deps changed
 * (or after unmount) is dropped, so a slow earlier request never overwrites a newer one.
 */
export function useAsyncValue<T>(
  load: () => Promise<T>,
  deps: DependencyList,
): AsyncValue<T> {
  const [state, setState] = useState<AsyncValue<T>>({ loading: true });
  useEffect(() => {
    let current = true;
    setState({ loading: true });
    load().then(
      value => {
        if (current) setState({ loading: false, value });
      },
      error => {
        if (current) {
          setState({
            loading: false,
            error: error instanceof Error ? error : new Error(String(error)),
          });
        }
      },
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return state;
}
