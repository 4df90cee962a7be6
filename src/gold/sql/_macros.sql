-- Money is summed in integer cents and rounded half away from zero only at the end
-- (contract: "money columns are USD rounded to 2 decimals after summing"). For a, b >= 0,
-- (2a + b) // (2b) is a / b rounded half up, exactly, in integers.
CREATE OR REPLACE MACRO money(cents) AS CAST(coalesce(cents, 0) / 100.0 AS DECIMAL(18, 2));
CREATE OR REPLACE MACRO money_ratio(cents, n) AS
  CASE WHEN n = 0 THEN NULL ELSE CAST(((2 * cents + n) // (2 * n)) / 100.0 AS DECIMAL(18, 2)) END;
-- 100 x part / whole, rounded to 2 decimals; a ratio over zero is null.
CREATE OR REPLACE MACRO pct(part, whole) AS
  CASE WHEN whole = 0 THEN NULL ELSE CAST(((20000 * part + whole) // (2 * whole)) / 100.0 AS DECIMAL(9, 2)) END;
