import { useState } from 'react';
import { useForm, type FieldValues, type UseFormProps } from 'react-hook-form';
import { explain, type Words } from '../lib/explain';

/**
 * A form checked as it is typed (react-hook-form + a zod resolver) whose submit sends it to
 * the server; a refusal becomes `formError`, in plain words.
 */
export function useServerForm<V extends FieldValues, T>(options: UseFormProps<V, unknown, T>, send: (values: T) => Promise<void>, words: Words = {}) {
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<V, unknown, T>({ mode: 'onChange', ...options });
  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(null);
    try {
      await send(values);
    } catch (err) {
      setFormError(explain(err, words));
    }
  });
  return { ...form, onSubmit, formError };
}
