/**
 * The users module's statements on hot read paths (`GET /users/me` runs on every app start
 * and page load), run as named prepared statements returning plain rows with the User
 * entity's property names, so the DTO mappers take them as they take entities.
 */
import type { User } from './user.entity';

/** What toUserDto and toPublicUserDto read. */
export type UserProfileRow = Pick<
  User,
  | 'id'
  | 'username'
  | 'firstName'
  | 'lastName'
  | 'role'
  | 'isVerified'
  | 'email'
  | 'status'
  | 'personalityData'
  | 'timeZone'
  | 'country'
  | 'language'
  | 'twoFactorEnabled'
  | 'subscriptionStatus'
  | 'createdAt'
  | 'updatedAt'
  | 'lastLoginAt'
>;

/** $1 user id: the account unless it was deleted. */
export const USER_PROFILE_SQL = `
SELECT u.id, u.username, u.first_name AS "firstName", u.last_name AS "lastName", u.role, u.is_verified AS "isVerified",
       u.email, u.status, u.personality_data AS "personalityData", u.time_zone AS "timeZone", u.country, u.language,
       u.two_factor_enabled AS "twoFactorEnabled", u.subscription_status AS "subscriptionStatus",
       u.created_at AS "createdAt", u.updated_at AS "updatedAt", u.last_login_at AS "lastLoginAt"
  FROM users u
 WHERE u.id = $1 AND u.status <> 'deleted'`;
