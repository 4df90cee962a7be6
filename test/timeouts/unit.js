// Unit tests: pure code and local files; 30 s covers a machine busy with other work.
jest.setTimeout(30_000);
