// Lint: typescript-eslint with type information; zero warnings allowed (npm run lint).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import tseslint from 'typescript-eslint';

// Module boundaries (ARCHITECTURE.md): a feature uses another through its exported services,
// never through its entities (tables) or repositories; common/ and infrastructure/ never
// import modules/. Migrations and tests are exempt. Type-only imports of another feature's
// entities are allowed (a relation's type, a row a service returns): types are erased, so
// they cannot reach that feature's table (no repository, no query builder, no forFeature).
const modulesDir = join(import.meta.dirname, 'src', 'modules');
const featureModules = readdirSync(modulesDir).filter((name) => statSync(join(modulesDir, name)).isDirectory());
const boundaryRules = featureModules.map((module) => {
  const others = featureModules.filter((m) => m !== module).join('|');
  return {
    files: [`src/modules/${module}/**/*.ts`],
    ignores: ['**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^(src/modules/(?!${module}/)[^/]+|(\\.\\./)+(${others || '(?!)'}))/(.+/)?([^/]+\\.entity|entities/.+)$`,
              allowTypeImports: true,
              message: `Another feature's entities are its own: use that feature's exported services (ARCHITECTURE.md); \`import type\` is allowed.`,
            },
          ],
        },
      ],
    },
  };
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**', 'scripts/*.js', 'jest.config.js', 'eslint.config.mjs', 'bench/**/*.js', 'test/fixtures/**'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'Read configuration through AppConfig (src/config), not process.env.' },
      ],
    },
  },
  ...boundaryRules,
  {
    files: ['src/common/**/*.ts', 'src/infrastructure/**/*.ts', 'src/config/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(src/modules|(\\.\\./)+modules)(/|$)', message: 'common/, infrastructure/ and config/ are used by features and never import them (ARCHITECTURE.md).' }] },
      ],
    },
  },
  {
    // Emits go through RealtimeServer's typed methods (the server event map), not straight to a socket.
    files: ['src/modules/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'Read configuration through AppConfig (src/config), not process.env.' },
        { selector: "CallExpression[callee.property.name='emit']", message: 'Emit through RealtimeServer (typed server events), not on a socket or server directly.' },
      ],
    },
  },
  {
    files: ['src/config/**/*.ts', 'test/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['test/**/*.ts', '**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
