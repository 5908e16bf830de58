import { useEffect, useState } from 'react';

/** Runs `load` whenever `deps` change: undefined while loading, then its value or its error. */
export function useLoaded<T>(load: () => Promise<T>, deps: unknown[]) {
  const [state, setState] = useState<
    { value: T } | { error: Error } | undefined
  >();
  useEffect(() => {
    let current = true;
    setState(undefined);
    load().then(
      value => current && setState({ value }),
      (error: Error) => current && setState({ error }),
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return state;
}
