/* hash: SHA-256 and Keccak-256 of the instruction data (in two slices, to exercise
 * streaming), written to the data of account 0 (64 bytes: SHA-256, then Keccak-256),
 * the SHA-256 digest also as return data. Uses the core's SHA256_COMPRESS and
 * KECCAKF precompiles through sol_sha256 and sol_keccak256. */
#include "sol.h"

u64 entrypoint(u8 *input) {
  Params p;
  if (!parse(input, &p)) return ERROR_INVALID_ARGUMENT;
  if (p.num_accounts < 1) return ERROR_NOT_ENOUGH_ACCOUNT_KEYS;
  Account *out = &p.accounts[0];
  if (!out->is_writable || out->data_len < 64) return ERROR_INVALID_ACCOUNT_DATA;
  u64 half = p.data_len / 2;
  Bytes parts[2] = {{p.data, half}, {p.data + half, p.data_len - half}};
  sol_sha256(parts, 2, out->data);
  sol_keccak256(parts, 2, out->data + 32);
  sol_set_return_data(out->data, 32);
  sol_log_compute_units();
  return SUCCESS;
}
