/* sol.h — a minimal Solana C ABI for the OneirOS sBPF examples (written for this
 * repository): the program input layout, its deserialization, and the syscalls
 * these programs use, called as static syscalls (sBPF v3: call with the murmur3 hash
 * of the syscall's name as the immediate, source register 0). */
#ifndef ONEIROS_SOL_H
#define ONEIROS_SOL_H

typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef long long i64;

#define SUCCESS 0
#define ERROR_INVALID_ARGUMENT 2
#define ERROR_INVALID_INSTRUCTION_DATA 3
#define ERROR_INVALID_ACCOUNT_DATA 4
#define ERROR_INSUFFICIENT_FUNDS 6
#define ERROR_INCORRECT_PROGRAM_ID 7
#define ERROR_MISSING_REQUIRED_SIGNATURES 8
#define ERROR_NOT_ENOUGH_ACCOUNT_KEYS 11

#define MAX_ACCOUNTS 8
#define GROW_ROOM 10240 /* bytes an account's data may grow by */

typedef struct { u8 x[32]; } Pubkey;

typedef struct {
  const Pubkey *key;
  const Pubkey *owner;
  u64 *lamports;
  u64 data_len;
  u8 *data;
  u8 is_signer, is_writable, executable;
} Account;

typedef struct {
  Account accounts[MAX_ACCOUNTS];
  u64 num_accounts;
  const u8 *data;
  u64 data_len;
  const Pubkey *program_id;
} Params;

/* parse reads the serialized input at 0x400000000: duplicates point at their
 * original's fields. Returns 0 when more accounts are passed than fit. */
static inline int parse(u8 *in, Params *p) {
  u64 n = *(u64 *)in;
  in += 8;
  if (n > MAX_ACCOUNTS) return 0;
  p->num_accounts = n;
  for (u64 i = 0; i < n; i++) {
    u8 dup = in[0];
    if (dup != 0xff) {
      p->accounts[i] = p->accounts[dup];
      in += 8;
      continue;
    }
    Account *a = &p->accounts[i];
    a->is_signer = in[1];
    a->is_writable = in[2];
    a->executable = in[3];
    a->key = (const Pubkey *)(in + 8);
    a->owner = (const Pubkey *)(in + 40);
    a->lamports = (u64 *)(in + 72);
    a->data_len = *(u64 *)(in + 80);
    a->data = in + 88;
    in += 88 + ((a->data_len + 7) & ~7ULL) + GROW_ROOM + 8;
  }
  p->data_len = *(u64 *)in;
  p->data = in + 8;
  p->program_id = (const Pubkey *)(in + 8 + p->data_len);
  return 1;
}

static inline int key_eq(const Pubkey *a, const Pubkey *b) {
  const u64 *x = (const u64 *)a, *y = (const u64 *)b;
  return x[0] == y[0] && x[1] == y[1] && x[2] == y[2] && x[3] == y[3];
}

/* Static syscalls: the murmur3-32 hash of the name, in the call's immediate. */
#define SYSCALL2(hash, a, b)                                                      \
  do {                                                                            \
    register u64 r1 asm("r1") = (u64)(a);                                         \
    register u64 r2 asm("r2") = (u64)(b);                                         \
    asm volatile("call " #hash : "+r"(r1), "+r"(r2)::"r0", "r3", "r4", "r5", "memory"); \
  } while (0)
#define SYSCALL3(hash, a, b, c)                                                   \
  do {                                                                            \
    register u64 r1 asm("r1") = (u64)(a);                                         \
    register u64 r2 asm("r2") = (u64)(b);                                         \
    register u64 r3 asm("r3") = (u64)(c);                                         \
    asm volatile("call " #hash : "+r"(r1), "+r"(r2), "+r"(r3)::"r0", "r4", "r5", "memory"); \
  } while (0)
#define SYSCALL5(hash, a, b, c, d, e)                                             \
  do {                                                                            \
    register u64 r1 asm("r1") = (u64)(a);                                         \
    register u64 r2 asm("r2") = (u64)(b);                                         \
    register u64 r3 asm("r3") = (u64)(c);                                         \
    register u64 r4 asm("r4") = (u64)(d);                                         \
    register u64 r5 asm("r5") = (u64)(e);                                         \
    asm volatile("call " #hash : "+r"(r1), "+r"(r2), "+r"(r3), "+r"(r4), "+r"(r5)::"r0", "memory"); \
  } while (0)

#define sol_log(msg, len) SYSCALL2(0x207559bd, msg, len)            /* sol_log_ */
#define sol_log_64(a, b, c, d, e) SYSCALL5(0x5c2a3178, a, b, c, d, e) /* sol_log_64_ */
#define sol_log_pubkey(key) SYSCALL2(0x7ef088ca, key, 0)              /* sol_log_pubkey */
#define sol_log_compute_units() SYSCALL2(0x52ba5096, 0, 0)            /* sol_log_compute_units_ */
#define sol_sha256(slices, n, out) SYSCALL3(0x11f49d86, slices, n, out) /* sol_sha256 */
#define sol_keccak256(slices, n, out) SYSCALL3(0xd7793abb, slices, n, out) /* sol_keccak256 */
#define sol_set_return_data(p, n) SYSCALL2(0xa226d3eb, p, n)          /* sol_set_return_data */
#define sol_memcpy(d, s, n) SYSCALL3(0x717cc4a3, d, s, n)             /* sol_memcpy_ */

/* A byte slice as the hashing syscalls take it. */
typedef struct { const u8 *addr; u64 len; } Bytes;

/* LOG logs a string literal. The literal lives in a plain .rodata section: lld 14 cannot
 * relocate BPF references into mergeable string sections. */
#define LOG(s)                                                              \
  do {                                                                      \
    static const char msg_[] __attribute__((section(".rodata.log"))) = s;   \
    sol_log(msg_, sizeof(msg_) - 1);                                        \
  } while (0)

#endif
