import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The module boundaries of ARCHITECTURE.md are enforced by lint (eslint.config.mjs): a
 * deliberate violation in each direction must be reported, and an allowed import must not.
 * No feature is exempt: the modules that used to read users and conversations rows
 * directly (admin, auth, chat, groups, notifications, support) are refused like any other.
 * Type-only imports of another feature's entities are allowed (they are erased, so they
 * cannot reach its table). The cases are linted as if they were the given files, in one
 * ESLint run (typed linting builds the program once).
 */
const CASES: Array<{ file: string; code: string; refused: boolean }> = [
  { file: 'src/modules/health/health.service.ts', code: "import { Message } from 'src/modules/chat/entities/message.entity';", refused: true },
  { file: 'src/modules/health/health.service.ts', code: "import { User } from 'src/modules/users/user.entity';", refused: true },
  { file: 'src/modules/groups/groups.service.ts', code: "import { AuditLog } from 'src/modules/audit/audit-log.entity';", refused: true },
  { file: 'src/modules/health/health.service.ts', code: "import { Message } from '../chat/entities/message.entity';", refused: true },
  { file: 'src/infrastructure/mail/mail.service.ts', code: "import { UsersService } from 'src/modules/users/users.service';", refused: true },
  { file: 'src/common/access/access.guard.ts', code: "import { ChatModule } from 'src/modules/chat/chat.module';", refused: true },
  // Once listed as legacy exceptions: now refused like any other feature.
  { file: 'src/modules/auth/auth.service.ts', code: "import { User } from 'src/modules/users/user.entity';", refused: true },
  { file: 'src/modules/chat/conversations.service.ts', code: "import { User, UserStatus } from 'src/modules/users/user.entity';", refused: true },
  { file: 'src/modules/groups/groups.service.ts', code: "import { Conversation } from 'src/modules/chat/entities/conversation.entity';", refused: true },
  { file: 'src/modules/support/support.service.ts', code: "import { ConversationParticipant } from '../chat/entities/participant.entity';", refused: true },
  { file: 'src/modules/admin/admin-users.service.ts', code: "import { type User, UserStatus } from 'src/modules/users/user.entity';", refused: true },
  // Types only (erased), the owner's public files and exported services are fine.
  { file: 'src/modules/auth/auth-session.entity.ts', code: "import type { User } from 'src/modules/users/user.entity';", refused: false },
  { file: 'src/modules/notifications/notifications.service.ts', code: "import type { Message } from '../chat/entities/message.entity';", refused: false },
  { file: 'src/modules/auth/sessions.service.ts', code: "import { UserStatus } from 'src/modules/users/users.types';", refused: false },
  { file: 'src/modules/chat/rooms.service.ts', code: "import { ChatRoom } from './entities/chat-room.entity';", refused: false },
  { file: 'src/modules/groups/groups.service.ts', code: "import { ChatAccessService } from 'src/modules/chat/chat-access.service';", refused: false },
  { file: 'src/modules/groups/groups.service.ts', code: "import { ChatMembershipService } from 'src/modules/chat/chat-membership.service';", refused: false },
];

const SCRIPT = `
const { ESLint } = require('eslint');
(async () => {
  const eslint = new ESLint({ cwd: process.cwd() });
  const cases = JSON.parse(process.argv[1]);
  const out = [];
  for (const c of cases) {
    const [result] = await eslint.lintText(c.code + '\\nexport const used = [typeof 1];\\n', { filePath: c.file });
    out.push(result.messages.filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => m.message));
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
`;

describe('module boundaries (lint)', () => {
  it('reports an import of another feature’s entities, and modules imported by common/ or infrastructure/', () => {
    const run = spawnSync(process.execPath, ['-e', SCRIPT, JSON.stringify(CASES)], { cwd: join(__dirname, '..'), encoding: 'utf8', timeout: 240_000 });
    expect(run.stderr).toBe('');
    const messages = JSON.parse(run.stdout) as string[][];
    CASES.forEach((c, i) => {
      expect([c.file, c.code, messages[i].length > 0]).toEqual([c.file, c.code, c.refused]);
      if (c.refused) expect(messages[i][0]).toMatch(/ARCHITECTURE\.md/);
    });
  }, 300_000);
});
