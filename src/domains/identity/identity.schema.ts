import { z } from 'zod';
import { teamRoles } from '../../core/actor.js';

const email = z.email().max(320);
const password = z.string().min(12, 'must be at least 12 characters').max(1024);

/** `POST /api/auth/login` */
export const loginSchema = z.object({ email, password: z.string().min(1).max(1024) });

/** `POST /api/auth/password` */
export const changePasswordSchema = z.object({
  currentPassword: z.string().min(1).max(1024),
  newPassword: password,
});

/** `POST /api/users`, `tocsin user create` */
export const createUserSchema = z.object({
  email,
  name: z.string().trim().min(1).max(200),
  password,
  isOrgAdmin: z.boolean().default(false),
});
export type CreateUserInput = z.infer<typeof createUserSchema>;

/** `PATCH /api/users/:id` */
export const updateUserSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    isOrgAdmin: z.boolean().optional(),
    disabled: z.boolean().optional(),
  })
  .strict();
export type UpdateUserInput = z.infer<typeof updateUserSchema>;

/** `POST /api/teams` */
export const createTeamSchema = z.object({
  name: z.string().trim().min(1).max(100),
  description: z.string().max(2000).default(''),
});
export type CreateTeamInput = z.infer<typeof createTeamSchema>;

export const teamRoleSchema = z.enum(teamRoles);

/** `PUT /api/teams/:id/members/:userId` */
export const setMemberSchema = z.object({ role: teamRoleSchema });

/** `POST /api/teams/:id/api-keys`, `tocsin apikey create` */
export const createApiKeySchema = z.object({
  name: z.string().trim().min(1).max(100),
  role: teamRoleSchema,
});
export type CreateApiKeyInput = z.infer<typeof createApiKeySchema>;

/** `tocsin user reset-password` */
export const resetPasswordSchema = z.object({ email, password });
