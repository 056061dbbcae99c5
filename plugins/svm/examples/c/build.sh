#!/bin/sh
# Builds the example Solana programs with Debian's clang and lld
# (apt-get install -y clang lld). sBPF v3 programs: static syscalls, the strict
# layout of sbpfv3.ld, e_flags = 3. The v0 program: a shared object (e_flags = 0).
set -eu
cd "$(dirname "$0")"
CFLAGS="-target bpf -O2 -fno-builtin -ffreestanding -nostdlib -Wall -Werror"
for p in counter transfer hash; do
  clang $CFLAGS -c $p.c -o $p.o
  ld.lld -T sbpfv3.ld -z max-page-size=8 -static $p.o -o ../$p.so
  printf '\003' | dd of=../$p.so bs=1 seek=48 count=1 conv=notrunc status=none # e_flags = 3 (sBPF v3)
  rm $p.o
done
clang $CFLAGS -fPIC -c counter_v0.c -o counter_v0.o
ld.lld -T sbpfv0.ld -z max-page-size=8 -z notext -shared --Bdynamic -e entrypoint counter_v0.o -o ../counter_v0.so
rm counter_v0.o
