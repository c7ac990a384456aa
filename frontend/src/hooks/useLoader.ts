import { useCallback, useEffect, useRef, useState, type Dispatch, type SetStateAction } from 'react';
import { describeError } from '../lib/api';

export interface Loader<T> {
  data: T | undefined;
  error: string | null;
  /** True only until the first answer: refetches keep showing the data they replace. */
  loading: boolean;
  reload(): void;
  setData: Dispatch<SetStateAction<T | undefined>>;
}

/** Load something on mount; reload() refetches quietly; answers that arrive out of order are ignored. */
export function useLoader<T>(load: () => Promise<T>): Loader<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const seq = useRef(0);
  const loadRef = useRef(load);
  useEffect(() => {
    loadRef.current = load;
  });

  const reload = useCallback(() => {
    const mine = ++seq.current;
    loadRef
      .current()
      .then((value) => {
        if (mine !== seq.current) return;
        setData(value);
        setError(null);
        setLoading(false);
      })
      .catch((err: unknown) => {
        if (mine !== seq.current) return;
        setError(describeError(err));
        setLoading(false);
      });
  }, []);

  useEffect(() => {
    reload();
    return () => {
      seq.current += 1; // ignore answers after unmount
    };
  }, [reload]);

  return { data, error, loading, reload, setData };
}
