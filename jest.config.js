// Jest runs TypeScript through swc (decorator metadata on). Packages that ship only ESM
// are transformed too, so the CommonJS test runtime can load them.
const esmOnly = [
  '@nestjs',
  'cookie',
  '@apidevtools',
  'file-type',
  'strtok3',
  'token-types',
  'uint8array-extras',
  '@tokenizer',
  '@borewit',
  'content-disposition',
  'otplib',
  '@otplib',
  '@noble',
  '@scure',
];
const allow = `(?:${esmOnly.join('|')})/`;

const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2023',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];

/** @type {import('jest').Config} */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  // `module-sync`: ESM-only packages (file-type) that Node 20.19+ can require() resolve like in the app.
  testEnvironmentOptions: { customExportConditions: ['node', 'node-addons', 'module-sync'] },
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  moduleNameMapper: { '^src/(.*)$': '<rootDir>/src/$1' },
  transform: { '^.+\\.(t|j|mj|cj)s$': swc },
  // Ignore node_modules unless the file's own package (the last node_modules/<name>) is listed.
  transformIgnorePatterns: [`/node_modules/(?!${allow})(?!.*/node_modules/${allow})`],
  testTimeout: 60_000,
  maxWorkers: 2,
  // Each e2e file boots the app on its own database; 2 cores, 2 workers.
  workerIdleMemoryLimit: '1GB',
};
