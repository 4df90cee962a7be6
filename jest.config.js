// Two projects: fast unit tests, and slow end-to-end tests (child processes, Azurite, DuckDB,
// Chromium, crash and fuzz trials). Each gets a timeout sized for a loaded 2-core machine,
// so `npm test` passes with CPU-bound work running beside it; neither relies on jest's 5 s.
const shared = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
};

/** Folders of end-to-end tests (mirroring the source tree: test/<folder>/...). */
const SLOW = ['cli', 'reliability', 'gold', 'functions', 'adapters/azure', 'report', 'bench', 'local', 'e2e'];

/** @type {import('jest').Config} */
module.exports = {
  // The end-to-end tests drive the built CLI, so compile once before them.
  globalSetup: '<rootDir>/test/global-setup.js',
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
  projects: [
    {
      ...shared,
      displayName: 'unit',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: SLOW.map((f) => `<rootDir>/test/${f}/`),
      setupFilesAfterEnv: ['<rootDir>/test/timeouts/unit.js'],
    },
    {
      ...shared,
      displayName: 'slow',
      roots: SLOW.map((f) => `<rootDir>/test/${f}`),
      testMatch: ['**/*.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/timeouts/slow.js'],
    },
  ],
};
