import { useState } from 'react';
import { useForm, type FieldValues, type Path, type UseFormProps } from 'react-hook-form';
import { ApiError } from '../api/errors';
import { explain, type Words } from '../lib/explain';

/**
 * A form checked as it is typed (react-hook-form + a zod resolver) whose submit sends it to
 * the server; a refusal becomes `formError`, in plain words, and a 422's messages about fields
 * the form has (named as the API names them) are shown on those fields.
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
      if (!(err instanceof ApiError) || err.code !== 'validation_error') return;
      const known = new Set(Object.keys(form.getValues()));
      for (const [field, message] of Object.entries(err.fieldErrors())) {
        if (known.has(field)) form.setError(field as Path<V>, { type: 'server', message });
      }
    }
  });
  return { ...form, onSubmit, formError };
}
