/**
 * The chat module's public vocabulary: the values other features (groups, support) use
 * with its exported services. The entities (entities/) are the module's own.
 */

export enum ConversationKind {
  /** Two people: client ↔ provider, or staff ↔ anyone. */
  Direct = 'direct',
  /** A support group: many members, moderators. */
  Group = 'group',
  /** One user ↔ the admin team. */
  Support = 'support',
}

export enum ConversationStatus {
  Active = 'active',
  Archived = 'archived',
  Blocked = 'blocked',
  Deleted = 'deleted',
}

export enum ParticipantRole {
  /** Direct chats: the client (patient) side. */
  Patient = 'patient',
  /** Direct chats: the provider (therapist/friend) or staff side. */
  Provider = 'provider',
  /** Groups and support conversations: an ordinary member / the user. */
  Member = 'member',
  /** Groups: may remove messages and members. */
  Moderator = 'moderator',
}
