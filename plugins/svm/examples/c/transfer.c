/* transfer: a token-like transfer between two accounts owned by this program. Token
 * account data: the authority's key (32 bytes), then the balance (u64). Accounts:
 * source (writable), destination (writable), authority (signer). Instruction data:
 * the amount (u64). The new source balance is the return data. */
#include "sol.h"

typedef struct {
  Pubkey authority;
  u64 balance;
} Token;

u64 entrypoint(u8 *input) {
  Params p;
  if (!parse(input, &p)) return ERROR_INVALID_ARGUMENT;
  if (p.num_accounts < 3) return ERROR_NOT_ENOUGH_ACCOUNT_KEYS;
  if (p.data_len != 8) return ERROR_INVALID_INSTRUCTION_DATA;
  u64 amount = *(const u64 *)p.data;
  Account *src = &p.accounts[0], *dst = &p.accounts[1], *auth = &p.accounts[2];
  for (int i = 0; i < 2; i++) {
    Account *a = &p.accounts[i];
    if (!key_eq(a->owner, p.program_id)) return ERROR_INCORRECT_PROGRAM_ID;
    if (!a->is_writable || a->data_len < sizeof(Token)) return ERROR_INVALID_ACCOUNT_DATA;
  }
  Token *from = (Token *)src->data, *to = (Token *)dst->data;
  if (!auth->is_signer || !key_eq(&from->authority, auth->key)) {
    LOG("transfer: the source's authority did not sign");
    return ERROR_MISSING_REQUIRED_SIGNATURES;
  }
  if (from->balance < amount) {
    LOG("transfer: insufficient funds");
    return ERROR_INSUFFICIENT_FUNDS;
  }
  if (src->key == dst->key || key_eq(src->key, dst->key)) return ERROR_INVALID_ARGUMENT;
  from->balance -= amount;
  to->balance += amount;
  LOG("transfer: done");
  sol_log_pubkey(src->key);
  sol_log_pubkey(dst->key);
  sol_log_64(amount, from->balance, to->balance, 0, 0);
  sol_set_return_data(&from->balance, 8);
  return SUCCESS;
}
