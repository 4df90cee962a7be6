// End-to-end tests start processes, servers, DuckDB and Chromium; on a loaded 2-core machine
// one test can take minutes. Files that need more set their own, larger timeout.
jest.setTimeout(300_000);
