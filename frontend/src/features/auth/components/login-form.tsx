import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { fieldAria } from '@/components/ui/field-aria';
import { applyServerFieldErrors } from '@/lib/form-errors';
import { loginInputSchema, useLogin, type LoginInput } from '@/features/auth/api/login';

export function LoginForm({ onSuccess }: { onSuccess: () => void }) {
  const form = useForm<LoginInput>({
    resolver: zodResolver(loginInputSchema),
    defaultValues: { username: '', password: '' },
  });
  const login = useLogin({ onSuccess });
  const { errors } = form.formState;

  const onSubmit = form.handleSubmit((values) =>
    login.mutate(values, {
      onError: (error) => applyServerFieldErrors(error, form.setError, ['username', 'password']),
    }),
  );

  return (
    <form className="stack" onSubmit={onSubmit} noValidate data-testid="login-form" aria-label="Sign in">
      <Field label="Username" htmlFor="login-username" error={errors.username?.message}>
        <input
          {...fieldAria('login-username', errors.username?.message)}
          type="text"
          autoComplete="username"
          {...form.register('username')}
        />
      </Field>
      <Field label="Password" htmlFor="login-password" error={errors.password?.message}>
        <input
          {...fieldAria('login-password', errors.password?.message)}
          type="password"
          autoComplete="current-password"
          {...form.register('password')}
        />
      </Field>
      <Button type="submit" variant="primary" isLoading={login.isPending} data-testid="login-submit">
        Sign in
      </Button>
    </form>
  );
}
