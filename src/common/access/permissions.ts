/** The five roles. Registration may choose client, therapist or friend; the rest are granted by staff. */
export enum Role {
  Client = 'client',
  Therapist = 'therapist',
  Friend = 'friend',
  Manager = 'manager',
  Admin = 'admin',
}

export const SELF_ASSIGNABLE_ROLES = [Role.Client, Role.Therapist, Role.Friend] as const;
export const PROVIDER_ROLES = [Role.Therapist, Role.Friend] as const;
export const STAFF_ROLES = [Role.Manager, Role.Admin] as const;

/** What a caller may do. Routes declare permissions, never role lists. */
export enum Permission {
  /** Monitoring: per-route metrics and queue state. */
  MetricsRead = 'metrics:read',
  /** List and search all users; verify providers; suspend and reactivate. */
  UsersManage = 'users:manage',
  /** Change anyone's role, including making admins. */
  RolesManage = 'roles:manage',
  /** Read the security audit log. */
  AuditRead = 'audit:read',
  /** See every user's support conversation and answer it. */
  SupportManage = 'support:manage',
  /** Create support groups (and moderate them). */
  GroupsCreate = 'groups:create',
  /** Inspect failed background jobs. */
  JobsRead = 'jobs:read',
}

const staff = [Permission.MetricsRead, Permission.UsersManage, Permission.JobsRead, Permission.SupportManage, Permission.GroupsCreate];

/** The single role → permission map. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  [Role.Client]: [],
  [Role.Therapist]: [Permission.GroupsCreate],
  [Role.Friend]: [],
  [Role.Manager]: staff,
  [Role.Admin]: [...staff, Permission.RolesManage, Permission.AuditRead],
};

export function hasPermission(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
