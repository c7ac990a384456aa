import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { AuthLayout } from '../components/AuthLayout';
import { useAuth } from '../hooks/useAuth';
import { ApiError, describeError } from '../lib/api';
import type { Role } from '../types';

type Field = 'name' | 'email' | 'password' | 'role';

function validate(values: { name: string; email: string; password: string }): Partial<Record<Field, string>> {
  const errors: Partial<Record<Field, string>> = {};
  if (!values.name.trim()) errors.name = 'Enter your name.';
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email.trim())) errors.email = 'Enter a valid email address.';
  if (values.password.length < 8) errors.password = 'Use at least 8 characters.';
  else if (values.password.length > 128) errors.password = 'Use at most 128 characters.';
  return errors;
}

export function RegisterPage() {
  const { register } = useAuth();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('investor');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const found = validate({ name, email, password });
    setErrors(found);
    setFormError(null);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      await register({ name: name.trim(), email: email.trim(), password, role });
      navigate('/dashboard', { replace: true });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'email_taken') {
        setErrors({ email: 'An account with this email already exists. Log in instead?' });
      } else if (err instanceof ApiError && err.code === 'validation_error') {
        const fields = err.fieldErrors();
        setErrors(fields as Partial<Record<Field, string>>);
        if (Object.keys(fields).length === 0) setFormError(err.message);
      } else if (err instanceof ApiError && err.status === 429) {
        setFormError('Too many sign-ups from here. Wait a minute and try again.');
      } else {
        setFormError(describeError(err));
      }
      setBusy(false);
    }
  };

  const fieldError = (field: Field) =>
    errors[field] ? (
      <p id={`register-${field}-error`} className="field__error">
        {errors[field]}
      </p>
    ) : null;

  return (
    <AuthLayout title="Create your account" subtitle="Start with ₹10,00,000 of demo money in your wallet.">
      <form className="form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="register-name" className="field__label">
            Name
          </label>
          <input
            id="register-name"
            autoComplete="name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            aria-invalid={errors.name ? true : undefined}
            aria-describedby={errors.name ? 'register-name-error' : undefined}
            maxLength={200}
            autoFocus
          />
          {fieldError('name')}
        </div>
        <div className="field">
          <label htmlFor="register-email" className="field__label">
            Email
          </label>
          <input
            id="register-email"
            type="email"
            autoComplete="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            aria-invalid={errors.email ? true : undefined}
            aria-describedby={errors.email ? 'register-email-error' : undefined}
          />
          {fieldError('email')}
        </div>
        <div className="field">
          <label htmlFor="register-password" className="field__label">
            Password
          </label>
          <input
            id="register-password"
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-invalid={errors.password ? true : undefined}
            aria-describedby={errors.password ? 'register-password-error' : 'register-password-hint'}
          />
          {fieldError('password') ?? (
            <p id="register-password-hint" className="field__hint">
              8 to 128 characters.
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor="register-role" className="field__label">
            Role
          </label>
          <select id="register-role" value={role} onChange={(e) => setRole(e.target.value as Role)} aria-describedby="register-role-hint">
            <option value="seller">Seller</option>
            <option value="investor">Investor</option>
          </select>
          <p id="register-role-hint" className="field__hint">
            {role === 'seller'
              ? 'Sellers list their unpaid invoices and get paid as soon as investors fund them.'
              : 'Investors fund invoices from ₹1,000 and receive the face value at maturity.'}
          </p>
          {fieldError('role')}
        </div>
        {formError && (
          <p className="form-error" role="alert">
            {formError}
          </p>
        )}
        <button type="submit" className="btn btn--primary btn--block" disabled={busy} aria-busy={busy || undefined}>
          {busy && <span className="spinner" aria-hidden="true" />}
          Create account
        </button>
      </form>
      <p className="auth__switch">
        Already have an account? <Link to="/login">Log in</Link>
      </p>
    </AuthLayout>
  );
}
