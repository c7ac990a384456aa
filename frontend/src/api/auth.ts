// Signing in and out: the answers become the stored session (lib/session.ts).

import { setSession, clearSession, getRefreshToken } from '../lib/session';
import { api, publicApi, unwrap } from './client';
import type { AuthResponse, SelfRegisteredRole } from './types';

function startSession(result: AuthResponse): AuthResponse {
  setSession({ user: result.user, accessToken: result.access_token, refreshToken: result.refresh_token });
  return result;
}

export interface Registration {
  email: string;
  password: string;
  name: string;
  role: SelfRegisteredRole;
}

export const authApi = {
  login: async (email: string, password: string) =>
    startSession(await unwrap(publicApi.POST('/api/auth/login', { body: { email, password } }))),
  register: async (input: Registration) => startSession(await unwrap(publicApi.POST('/api/auth/register', { body: input }))),
  me: () => unwrap(api.GET('/api/auth/me')),
  setEmailNotifications: (on: boolean) => unwrap(api.PATCH('/api/auth/me', { body: { email_notifications: on } })),
  async logout(): Promise<void> {
    const refreshToken = getRefreshToken();
    clearSession();
    if (!refreshToken) return;
    try {
      await publicApi.POST('/api/auth/logout', { headers: { Authorization: `Bearer ${refreshToken}` } });
    } catch {
      // The local session is gone either way; an unreachable server just keeps the token
      // alive until it expires.
    }
  },
};
