import { z } from 'zod';
import { locales } from '../../web/i18n.js';

// Where to go after sign-in: a staff page of this portal only.
export const staffNext = z.string().max(500).regex(new RegExp(`^/(${locales.join('|')})/staff(/[A-Za-z0-9\\-._~/%?=&]*)?$`));

export const signInForm = z.object({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(1000),
  code: z.string().trim().min(1).max(40),
  next: staffNext.optional().catch(undefined),
});

export const activateForm = z.object({
  token: z.string().max(100),
  pending: z.string().max(200),
  password: z.string().max(1000),
  confirm: z.string().max(1000),
  code: z.string().max(40),
});

export const passwordForm = z.object({
  current: z.string().max(1000),
  password: z.string().max(1000),
  confirm: z.string().max(1000),
});

export const tokenQuery = z.object({ token: z.string().max(100).optional().catch(undefined) });
export const signInQuery = z.object({
  next: staffNext.optional().catch(undefined),
  'signed-out': z.string().optional().catch(undefined),
  reset: z.string().optional().catch(undefined),
});

export const resetForm = z.object({
  token: z.string().max(100),
  recoveryCode: z.string().max(60),
  password: z.string().max(1000),
  confirm: z.string().max(1000),
});
