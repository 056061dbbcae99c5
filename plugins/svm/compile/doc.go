// Package compile turns what a user hands the sBPF frontend — a Solana program (.so) or
// a container (package container) — into a normalized program: it loads the ELF or the
// raw bytecode, runs the static verifier, resolves the syscalls and translates.
//
// Errors name the stage that refused the program, so that harnesses can tell a loader
// rejection from a verifier one: their messages start with "elf_parse:", "load:",
// "verify:" or "translate:", and they wrap [ErrELFParse], [ErrLoad], [ErrVerify] or
// [ErrTranslate].
package compile
