// Package abi builds the Solana program input that Agave's BPF loaders serialize into
// the input region (0x400000000): accounts (keys, flags, lamports, data, owner),
// instruction data, program id. [Serialize] returns the region as the program sees it;
// [Tape] returns the private input the sBPF frontend takes for it — the same bytes
// without the 10240 zero bytes of room each account's data gets to grow, which the
// translation re-creates (fresh memory is zero) instead of reading them.
//
// # Layout (the loaders' aligned serialization)
//
//	u64 number of accounts
//	per account, a duplicate:  u8 index of the original, 7 bytes of padding
//	             otherwise:    u8 0xff, u8 is_signer, u8 is_writable, u8 executable,
//	                           4 bytes of padding, key (32), owner (32), u64 lamports,
//	                           u64 data length, data, 10240 bytes of room to grow,
//	                           zeros to a multiple of 8, u64 rent epoch
//	u64 instruction data length, instruction data, program id (32)
package abi
