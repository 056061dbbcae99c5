/* counter_v0: the counter for sBPF v0 (the legacy format of most deployed programs),
 * without syscalls: Debian's lld 14 cannot emit the R_BPF_64_32 dynamic relocations
 * through which v0 programs name syscalls. Increments the u64 in account 0's data by
 * the instruction data's u64 (default 1); r0 is the error code. */
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
  *(u64 *)c->data += step;
  return SUCCESS;
}
