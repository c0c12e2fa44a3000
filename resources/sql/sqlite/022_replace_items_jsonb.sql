-- SafeTill schema, version 22 (SQLite): nothing. PostgreSQL's version 22 reads PUT /current's
-- batch as jsonb in safetill_replace_items; SQLite has no such function (OrderService runs the
-- replace's statements itself), and both dialects keep the same version numbers.
SELECT 1;
