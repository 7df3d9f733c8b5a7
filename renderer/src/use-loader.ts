import { useCallback, useEffect, useRef, useState } from 'react';
import { toAppError, type AppError } from './api';

export interface Loaded<T> {
  /** The latest value; kept while a reload runs, so lists do not flicker. */
  value: T | undefined;
  error: AppError | null;
  loading: boolean;
  reload: () => void;
}

/**
 * Runs `load` when any of `deps` changes (and on `reload()`), keeping only the newest answer:
 * a slow answer to an older request never overwrites a newer one.
 */
export function useLoader<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [state, setState] = useState<{ value: T | undefined; error: AppError | null; loading: boolean }>({ value: undefined, error: null, loading: true });
  const [generation, setGeneration] = useState(0);
  const latest = useRef(0);

  useEffect(() => {
    const request = ++latest.current;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (value) => {
        if (request === latest.current) setState({ value, error: null, loading: false });
      },
      (error: unknown) => {
        if (request === latest.current) setState({ value: undefined, error: toAppError(error), loading: false });
      },
    );
    // `load` is not a dependency (it is a new closure on every render): `deps` say what it reads.
  }, [...deps, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...state, reload };
}
