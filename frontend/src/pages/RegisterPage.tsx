import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { Link, useNavigate } from 'react-router';
import { z } from 'zod';
import type { Registration } from '../api/auth';
import { ApiError, describeError } from '../api/errors';
import { AuthLayout } from '../components/AuthLayout';
import { ErrorSummary, FormField, summarize } from '../components/Form';
import { useAuth } from '../hooks/useAuth';
import { usePageTitle } from '../hooks/usePageTitle';
import { registerBounds } from '../lib/bounds';

const { name, email, password } = registerBounds;

const schema = z.object({
  name: z.string().trim().min(name.minLength, 'Enter your name.').max(name.maxLength, `Use at most ${name.maxLength} characters.`),
  email: z.string().trim().max(email.maxLength, `Use at most ${email.maxLength} characters.`).pipe(z.email('Enter a valid email address.')),
  password: z
    .string()
    .min(password.minLength, `Use at least ${password.minLength} characters.`)
    .max(password.maxLength, `Use at most ${password.maxLength} characters.`),
  role: z.enum(['seller', 'investor', 'buyer']),
}) satisfies z.ZodType<Registration>;

const ROLES: { value: Registration['role']; label: string; hint: string }[] = [
  { value: 'seller', label: 'Seller', hint: 'Sellers list their unpaid invoices and get paid as soon as investors fund them.' },
  { value: 'investor', label: 'Investor', hint: 'Investors fund invoices from ₹1,000 and receive the face value at maturity.' },
  {
    value: 'buyer',
    label: 'Buyer',
    hint: 'Buyers confirm the invoices their suppliers list against them, then repay them from their wallet when due.',
  },
];

const FIELDS = [
  { name: 'name', id: 'register-name', label: 'Name' },
  { name: 'email', id: 'register-email', label: 'Email' },
  { name: 'password', id: 'register-password', label: 'Password' },
  { name: 'role', id: 'register-role', label: 'Role' },
] as const;

export function RegisterPage() {
  usePageTitle('Create an account');
  const { register: signUp } = useAuth();
  const navigate = useNavigate();
  const [formError, setFormError] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    control,
    formState: { errors, isSubmitting, submitCount },
  } = useForm<Registration>({
    resolver: zodResolver(schema),
    defaultValues: { name: '', email: '', password: '', role: 'investor' },
  });
  const role = useWatch({ control, name: 'role' });

  const submit = handleSubmit(async (input) => {
    setFormError(null);
    try {
      await signUp(input);
      navigate('/dashboard', { replace: true });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'email_taken') {
        setError('email', { message: 'An account with this email already exists. Log in instead?' }, { shouldFocus: true });
      } else if (err instanceof ApiError && err.code === 'validation_error' && Object.keys(err.fieldErrors()).length > 0) {
        const fields = err.fieldErrors();
        FIELDS.filter((f) => fields[f.name]).forEach((f, i) => setError(f.name, { message: fields[f.name] }, { shouldFocus: i === 0 }));
      } else if (err instanceof ApiError && err.status === 429) {
        setFormError('Too many sign-ups from here. Wait a minute and try again.');
      } else {
        setFormError(describeError(err));
      }
    }
  });

  return (
    <AuthLayout title="Create your account" subtitle="Start with ₹10,00,000 of demo money in your wallet.">
      <form className="form" onSubmit={submit} noValidate aria-label="Create account">
        <ErrorSummary items={submitCount > 0 ? summarize(FIELDS, errors) : []} formError={formError} />
        <FormField id="register-name" label="Name" error={errors.name?.message}>
          {(field) => <input {...field} {...register('name')} autoComplete="name" maxLength={name.maxLength} />}
        </FormField>
        <FormField id="register-email" label="Email" error={errors.email?.message}>
          {(field) => <input {...field} {...register('email')} type="email" autoComplete="email" />}
        </FormField>
        <FormField
          id="register-password"
          label="Password"
          error={errors.password?.message}
          hint={`${password.minLength} to ${password.maxLength} characters, not a common or easily guessed password.`}
        >
          {(field) => <input {...field} {...register('password')} type="password" autoComplete="new-password" />}
        </FormField>
        <FormField
          id="register-role"
          label="Role"
          error={errors.role?.message}
          hint={ROLES.find((r) => r.value === role)?.hint}
        >
          {(field) => (
            <select {...field} {...register('role')}>
              {ROLES.map((r) => (
                <option key={r.value} value={r.value}>
                  {r.label}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <button type="submit" className="btn btn--primary btn--block" disabled={isSubmitting} aria-busy={isSubmitting || undefined}>
          {isSubmitting && <span className="spinner" aria-hidden="true" />}
          Create account
        </button>
      </form>
      <p className="auth__switch">
        Already have an account? <Link to="/login">Log in</Link>
      </p>
    </AuthLayout>
  );
}
