-- pgcrypto's functions were created EXECUTE-able by PUBLIC, as every extension's are. Nobody but the owner has
-- USAGE on schema extensions, so nobody could reach them; revoking PUBLIC too makes the rule of the design hold
-- without exception: no function in this database is executable by PUBLIC. The owner keeps what its definer
-- functions use (bcrypt, hmac, random bytes).
revoke execute on all functions in schema extensions from public;
grant execute on all functions in schema extensions to gateway_owner;
