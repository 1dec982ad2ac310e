/**
 * `converseiq-kit/mock`, the package's entry point for the mock: `startMock` (the HTTP mock on a free
 * loopback port, for a consumer's tests) and `createMockFetch` (the mock in process, as a fetch, no
 * socket). The package's `exports` map it; see the README's "Use it in your project".
 */

export {
  MockAdminError,
  type MockCoverage,
  type MockFixtures,
  type MockJournalEntry,
  type MockSeedOptions,
  type MockSnapshot,
  type MockWorkspace,
  type MockWorkspaceOptions,
  type RunningMock,
  type StartMockOptions,
  startMock,
} from "./start-mock.ts";
export {
  createMockFetch,
  type MockFetch,
  type MockFetchOptions,
} from "./transports/fetch.ts";
