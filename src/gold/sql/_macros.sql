-- Money is summed in integer cents and rounded half away from zero only at the end
-- (contract: "money columns are USD rounded to 2 decimals after summing").
--
-- Contract v1.1: any finite amount is valid and gold must sum it without overflow. An
-- order's USD value (a double in silver) becomes exact integer cents as DECIMAL(38,0) while
-- it is below 1e27 USD (a sum of a billion such values still fits 38 digits), and "big
-- cents", a double, beyond: a double that large has no cents to keep, and a double sum never
-- raises. The double goes through DECIMAL(38,2), which keeps 1.08e20 exact where x * 100 in
-- double arithmetic would not; from 1e12 USD through its shortest text, since DuckDB scales the
-- double itself (3999999999999999 USD came out as 3999999999999998.72, 1e26 with wrong digits).
CREATE OR REPLACE MACRO usd_decimal(usd) AS
  CASE WHEN abs(usd) < 1e12 THEN CAST(usd AS DECIMAL(38, 2)) ELSE TRY_CAST(CAST(usd AS VARCHAR) AS DECIMAL(38, 2)) END;
-- (DuckDB's HUGEINT sums wrap around silently on overflow, and BIGINT cents overflow at
-- 9.2e16 USD: both froze gold on one hostile record.)
CREATE OR REPLACE MACRO cents_of(usd) AS CASE WHEN abs(usd) < 1e27 THEN CAST(usd_decimal(usd) * 100 AS DECIMAL(38, 0)) END;
CREATE OR REPLACE MACRO big_cents_of(usd) AS CASE WHEN NOT abs(usd) < 1e27 THEN usd * 100 END;
-- USD of a sum of cents and big cents: exact decimal(38,2) when no big value took part;
-- otherwise the double sum, null past decimal(38,2) (the widest decimal Delta allows).
CREATE OR REPLACE MACRO money_of(cents, big) AS
  CASE WHEN big IS NULL THEN CAST(coalesce(cents, 0) * 0.01 AS DECIMAL(38, 2))
  ELSE usd_decimal((coalesce(cents, 0)::DOUBLE + big) / 100) END;
CREATE OR REPLACE MACRO money(cents, big) AS money_of(sum(cents), sum(big));
-- sum / n rounded half up, exactly: for a, b >= 0, (2a + b) // (2b) is a / b rounded half up.
CREATE OR REPLACE MACRO money_ratio_of(cents, big, n) AS
  CASE WHEN n = 0 THEN NULL
  WHEN big IS NULL THEN CAST(((2 * CAST(coalesce(cents, 0) AS HUGEINT) + n) // (2 * n)) * 0.01 AS DECIMAL(38, 2))
  ELSE usd_decimal((coalesce(cents, 0)::DOUBLE + big) / n / 100) END;
-- A sort key for ranking by a money sum (exact cents break the ties of equal doubles).
CREATE OR REPLACE MACRO money_key(cents, big) AS coalesce(cents, 0)::DOUBLE + coalesce(big, 0);
-- 100 x part / whole, rounded to 2 decimals; a ratio over zero is null.
CREATE OR REPLACE MACRO pct(part, whole) AS
  CASE WHEN whole = 0 THEN NULL ELSE CAST(((20000 * part + whole) // (2 * whole)) / 100.0 AS DECIMAL(9, 2)) END;

-- Which rewrite of a group merged together an order date belongs to (src/gold/work.ts redefines
-- it for each group); a rewrite alone is rewrite 0.
CREATE OR REPLACE MACRO rewrite_of(d) AS 0;
