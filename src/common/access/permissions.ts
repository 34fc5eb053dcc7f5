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
  /** Work the support desk: every ticket with its internal notes; reply, note, assign, change status and priority. */
  TicketsManage = 'tickets:manage',
  /** Create support groups (and moderate them). */
  GroupsCreate = 'groups:create',
  /** Inspect failed background jobs. */
  JobsRead = 'jobs:read',
  /** Manage the catalogues every user chooses from: calming music tracks and alarm scenarios. */
  CatalogManage = 'catalog:manage',
  /** See every alarm and safety signal with its deliveries (and their failures); resolve alarms. */
  SafetyMonitor = 'safety:monitor',
  /** See every care session (and its feedback) and act on any of them. */
  SessionsOversee = 'sessions:oversee',
  /** Manage subscription plans and see every subscription and payment. */
  PlansManage = 'plans:manage',
  /** Host group events (create, edit, cancel them, see attendees); providers once verified. */
  EventsHost = 'events:host',
  /** Create and remove matches between clients and providers, and see every match. */
  MatchesManage = 'matches:manage',
  /**
   * The operations dashboard (`/admin/dashboard`): aggregate counts of accounts, sign-ups,
   * chats, sessions, alarms, risk flags and failed jobs. Counts only, never a person's data.
   */
  DashboardRead = 'dashboard:read',
  /** Business figures: revenue by plan (`/admin/dashboard/revenue`). Admins only. */
  RevenueRead = 'revenue:read',
  /** See the retention periods and run the retention job now. */
  RetentionManage = 'retention:manage',
}

const staff = [
  Permission.MetricsRead,
  Permission.UsersManage,
  Permission.JobsRead,
  Permission.SupportManage,
  Permission.TicketsManage,
  Permission.GroupsCreate,
  Permission.CatalogManage,
  Permission.SafetyMonitor,
  Permission.SessionsOversee,
  Permission.PlansManage,
  Permission.EventsHost,
  Permission.MatchesManage,
  Permission.DashboardRead,
];

/** The single role → permission map. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  [Role.Client]: [],
  [Role.Therapist]: [Permission.GroupsCreate, Permission.EventsHost],
  [Role.Friend]: [Permission.EventsHost],
  [Role.Manager]: staff,
  [Role.Admin]: [...staff, Permission.RolesManage, Permission.AuditRead, Permission.RevenueRead, Permission.RetentionManage],
};

/** Whom a permission check is about: a role, and for therapists and friends whether staff verified them. */
export interface PermissionSubject {
  role: Role;
  isVerified: boolean;
}

export const isStaff = (role: Role): boolean => (STAFF_ROLES as readonly Role[]).includes(role);

export const isProvider = (role: Role): boolean => (PROVIDER_ROLES as readonly Role[]).includes(role);

/**
 * The one rule for providers: a therapist or friend acts as one only once staff have
 * verified the account. Until then their role grants nothing a client does not have
 * (no permissions, no provider side in chats, no moderation, no therapist-only messages).
 */
export const isUnverifiedProvider = (subject: PermissionSubject): boolean => isProvider(subject.role) && !subject.isVerified;

export const isVerifiedProvider = (subject: PermissionSubject): boolean => isProvider(subject.role) && subject.isVerified;

export function hasPermission(subject: PermissionSubject, permission: Permission): boolean {
  if (isUnverifiedProvider(subject)) return false;
  return ROLE_PERMISSIONS[subject.role].includes(permission);
}

/** True when the role would grant the permission if the account were verified. */
export function awaitsVerificationFor(subject: PermissionSubject, permission: Permission): boolean {
  return isUnverifiedProvider(subject) && ROLE_PERMISSIONS[subject.role].includes(permission);
}
