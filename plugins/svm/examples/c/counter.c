/* counter: increments the u64 counter in the data of account 0, which this program
 * must own and which must be writable; the instruction data, if any, is the step
 * (u64, default 1). Logs the new value. */
#include "sol.h"

u64 entrypoint(u8 *input) {
  Params p;
  if (!parse(input, &p)) return ERROR_INVALID_ARGUMENT;
  if (p.num_accounts < 1) return ERROR_NOT_ENOUGH_ACCOUNT_KEYS;
  Account *c = &p.accounts[0];
  if (!key_eq(c->owner, p.program_id)) return ERROR_INCORRECT_PROGRAM_ID;
  if (!c->is_writable || c->data_len < 8) return ERROR_INVALID_ACCOUNT_DATA;
  u64 step = 1;
  if (p.data_len >= 8) step = *(const u64 *)p.data;
  u64 *value = (u64 *)c->data;
  *value += step;
  LOG("counter: incremented");
  sol_log_64(0, 0, 0, step, *value);
  return SUCCESS;
}
