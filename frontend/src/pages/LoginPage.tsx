import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useNavigate } from 'react-router';
import { z } from 'zod';
import { ApiError, describeError } from '../api/errors';
import { AuthLayout } from '../components/AuthLayout';
import { ErrorSummary, FormField, summarize } from '../components/Form';
import { useAuth } from '../hooks/useAuth';
import { usePageTitle } from '../hooks/usePageTitle';

const schema = z.object({
  email: z.string().trim().min(1, 'Enter your email.'),
  password: z.string().min(1, 'Enter your password.'),
});
type Values = z.infer<typeof schema>;

const FIELDS = [
  { name: 'email', id: 'login-email', label: 'Email' },
  { name: 'password', id: 'login-password', label: 'Password' },
] as const;

function loginErrorMessage(err: unknown): string {
  if (err instanceof ApiError && err.status === 401) return 'Wrong email or password.';
  if (err instanceof ApiError && err.status === 429) return 'Too many attempts. Wait a minute and try again.';
  if (err instanceof ApiError && err.code === 'account_suspended') return 'This account is suspended. Contact the platform to have it reinstated.';
  return describeError(err);
}

export function LoginPage() {
  usePageTitle('Log in');
  const { login } = useAuth();
  const navigate = useNavigate();
  const [formError, setFormError] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    formState: { errors, isSubmitting, submitCount },
  } = useForm<Values>({ resolver: zodResolver(schema), defaultValues: { email: '', password: '' } });

  const submit = handleSubmit(async ({ email, password }) => {
    setFormError(null);
    try {
      await login(email, password);
      navigate('/dashboard', { replace: true });
    } catch (err) {
      setFormError(loginErrorMessage(err));
    }
  });

  return (
    <AuthLayout title="Welcome back" subtitle="Log in to your FactorFlow account.">
      <form className="form" onSubmit={submit} noValidate aria-label="Log in">
        <ErrorSummary items={submitCount > 0 ? summarize(FIELDS, errors) : []} formError={formError} />
        <FormField id="login-email" label="Email" error={errors.email?.message}>
          {(field) => <input {...field} {...register('email')} type="email" autoComplete="email" />}
        </FormField>
        <FormField id="login-password" label="Password" error={errors.password?.message}>
          {(field) => <input {...field} {...register('password')} type="password" autoComplete="current-password" />}
        </FormField>
        <button type="submit" className="btn btn--primary btn--block" disabled={isSubmitting} aria-busy={isSubmitting || undefined}>
          {isSubmitting && <span className="spinner" aria-hidden="true" />}
          Log in
        </button>
      </form>
      <p className="auth__switch">
        New here? <Link to="/register">Create an account</Link>
      </p>
    </AuthLayout>
  );
}
